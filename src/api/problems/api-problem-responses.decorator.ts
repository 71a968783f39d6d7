import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto.js';

/**
 * The problem statuses this route itself can answer (a 404 for a missing
 * record, a 503 while sources warm up). The OpenAPI document's contract step
 * (api/openapi/http-contract.ts) gives each its schema, headers and example,
 * and adds what every route can answer as configured (401, 429, 431, 500).
 */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiExtraModels(ProblemDto), ...statuses.map((status) => ApiResponse({ status, description: `HTTP ${status}` })));
}

import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { ProblemDto } from './problem.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid parameters; `errors` has one entry per bad field.',
  401: 'Missing or wrong API key (only when the gateway has API_KEYS set).',
  404: 'No such record or route.',
  429: 'Too many requests from this caller; see `Retry-After`.',
  500: 'Unexpected error; the body carries only an `errorId` that is also logged.',
  502: 'Every requested upstream failed and none has a usable snapshot; `sources` says why.',
  503: 'No requested source has data yet and at least one is still warming up; `Retry-After` says when to ask again, `sources` shows each walk\'s progress.',
};

/** Documents RFC 9457 problem responses, served as application/problem+json. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...[...statuses, 500].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}

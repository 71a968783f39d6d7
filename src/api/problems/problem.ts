import type { FieldError, SourceReport } from '../../domain/gateway-error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem types; URNs because they are names, not pages to fetch. */
export const ProblemType = {
  InvalidRequest: 'urn:suborg-gateway:problem:invalid-request',
  NotFound: 'urn:suborg-gateway:problem:not-found',
  AllSourcesFailed: 'urn:suborg-gateway:problem:all-sources-failed',
  Warming: 'urn:suborg-gateway:problem:warming',
  Unauthorized: 'urn:suborg-gateway:problem:unauthorized',
  RateLimited: 'urn:suborg-gateway:problem:rate-limited',
  Internal: 'urn:suborg-gateway:problem:internal',
  Http: 'about:blank',
} as const;

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly FieldError[];
  readonly sources?: readonly SourceReport[];
  readonly errorId?: string;
}

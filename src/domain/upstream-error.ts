/** Why a source could not contribute, as callers see it in `sources[].error.code`. */
export const UPSTREAM_ERROR_CODES = [
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_RATE_LIMITED',
  'CIRCUIT_OPEN',
  'GATEWAY_FAULT',
] as const;
export type UpstreamErrorCode = (typeof UPSTREAM_ERROR_CODES)[number];

/**
 * What kind of failure it was, which decides retries, the breaker and whether
 * an interrupted walk may resume: `status` (the upstream answered an error),
 * `connection`, `attempt-timeout` (one attempt exceeded UPSTREAM_TIMEOUT_MS),
 * `cancelled` (the walk's own bound or shutdown), `circuit` (not sent: the
 * breaker is open), `body` (an answer we cannot use).
 */
export type UpstreamFailureKind = 'status' | 'connection' | 'attempt-timeout' | 'cancelled' | 'circuit' | 'body';

export interface UpstreamErrorDetails {
  readonly kind: UpstreamFailureKind;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
}

const RETRYABLE_STATUSES = new Set([502, 503, 504]);

export class UpstreamError extends Error {
  readonly kind: UpstreamFailureKind;
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly provider: string,
    readonly code: UpstreamErrorCode,
    message: string,
    details: UpstreamErrorDetails = { kind: 'body' },
  ) {
    super(message);
    this.name = 'UpstreamError';
    this.kind = details.kind;
    this.httpStatus = details.httpStatus;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Another attempt of the same idempotent GET may succeed: connection errors, attempt timeouts, 502/503/504. */
  get retryable(): boolean {
    if (this.kind === 'connection' || this.kind === 'attempt-timeout') return true;
    return this.kind === 'status' && this.httpStatus !== undefined && RETRYABLE_STATUSES.has(this.httpStatus);
  }

  /** The breaker counts failures that cost time or say the upstream is broken; not 429, not our own cancellation. */
  get countsAgainstBreaker(): boolean {
    return this.kind !== 'cancelled' && this.kind !== 'circuit' && this.httpStatus !== 429;
  }

  /** The upstream may well answer later: a walk stopped by this keeps its pages and resumes from the failed one. */
  get transient(): boolean {
    return this.retryable || this.kind === 'circuit' || (this.kind === 'status' && this.httpStatus !== undefined && (this.httpStatus >= 500 || this.httpStatus === 429));
  }
}

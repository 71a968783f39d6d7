/** Stable codes a caller sees in `sources[].error.code`. */
export const UPSTREAM_ERROR_CODES = [
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_BAD_RESPONSE',
  'CIRCUIT_OPEN',
] as const;
export type UpstreamErrorCode = (typeof UPSTREAM_ERROR_CODES)[number];

/** What actually happened; decides whether a retry may help and whether the breaker counts it. */
export type UpstreamFailureKind =
  | 'connection' // refused, reset, DNS: nothing usable came back
  | 'attempt-timeout' // one attempt ran past UPSTREAM_TIMEOUT_MS
  | 'deadline' // the listing deadline passed: our limit, not the upstream's fault
  | 'status' // a non-2xx answer
  | 'body' // a 2xx answer we cannot use (not JSON, wrong shape, too big, runaway)
  | 'circuit'; // the breaker is open: no call was made

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export interface UpstreamErrorDetails {
  readonly kind: UpstreamFailureKind;
  readonly httpStatus?: number;
  /** Milliseconds the upstream asked us to wait (Retry-After), when it said so. */
  readonly retryAfterMs?: number;
}

/**
 * An upstream call that did not give a usable answer. The message is written
 * for API callers: it names the provider and the kind of fault, never an
 * upstream body, URL query or credential.
 */
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

  /** Another attempt of the same idempotent GET may succeed: connection errors, attempt timeouts, 429, 502/503/504. */
  get retryable(): boolean {
    if (this.kind === 'connection' || this.kind === 'attempt-timeout') return true;
    return this.kind === 'status' && this.httpStatus !== undefined && RETRYABLE_STATUSES.has(this.httpStatus);
  }

  /** Whether the circuit breaker counts this as a failure: not our own deadline, not an open circuit, not 429. */
  get countsAgainstBreaker(): boolean {
    return this.kind !== 'deadline' && this.kind !== 'circuit' && this.httpStatus !== 429;
  }
}

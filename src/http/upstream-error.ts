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

/**
 * An upstream call that did not give a usable answer. The message is written
 * for API callers: it names the provider and the kind of fault, never an
 * upstream body, URL query or credential.
 */
export class UpstreamError extends Error {
  constructor(
    readonly provider: string,
    readonly code: UpstreamErrorCode,
    message: string,
    readonly httpStatus?: number,
    /** Milliseconds the upstream asked us to wait (Retry-After), when it said so. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  /** Whether another attempt of the same idempotent GET could succeed. */
  get isTransient(): boolean {
    return this.code === 'UPSTREAM_UNAVAILABLE' || this.code === 'UPSTREAM_RATE_LIMITED' || this.code === 'UPSTREAM_TIMEOUT';
  }
}

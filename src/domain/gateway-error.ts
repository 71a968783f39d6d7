import type { SourceStatus } from './source.js';

/** What went wrong, independent of HTTP; the API's problem filter maps each code to a status and title. */
export const GatewayErrorCode = {
  InvalidRequest: 'INVALID_REQUEST',
  NotFound: 'NOT_FOUND',
  AllSourcesFailed: 'ALL_SOURCES_FAILED',
  SourcesWarming: 'SOURCES_WARMING',
  Unauthorized: 'UNAUTHORIZED',
  RateLimited: 'RATE_LIMITED',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** A source as reported in a listing or a problem: plain data, times as ISO strings. */
export interface SourceReport {
  readonly provider: string;
  readonly status: SourceStatus;
  readonly itemCount: number;
  readonly skipped: number;
  readonly fetchedAt: string | null;
  readonly latencyMs: number | null;
  readonly progress: {
    readonly pagesFetched: number;
    readonly recordsFetched: number;
    readonly totalPages: number | null;
    readonly startedAt: string;
    readonly estimatedReadyAt: string | null;
  } | null;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface GatewayExceptionExtras {
  readonly errors?: readonly FieldError[];
  readonly sources?: readonly SourceReport[];
  /** Seconds a client should wait before asking again (503 warming). */
  readonly retryAfterSeconds?: number;
}

const MAX_LISTED_ERRORS = 20;

export class GatewayException extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    readonly detail: string,
    readonly extras: GatewayExceptionExtras = {},
  ) {
    super(detail);
    this.name = 'GatewayException';
  }

  static invalid(errors: readonly FieldError[]): GatewayException {
    let detail = errors.length === 1 ? `${errors[0].field}: ${errors[0].message}` : `${errors.length} request parameters are invalid`;
    // A request with hundreds of junk parameters gets a short answer, not an echo of all of them.
    if (errors.length > MAX_LISTED_ERRORS) detail += `; the first ${MAX_LISTED_ERRORS} are listed`;
    return new GatewayException(GatewayErrorCode.InvalidRequest, detail, { errors: errors.slice(0, MAX_LISTED_ERRORS) });
  }

  static notFound(detail: string): GatewayException {
    return new GatewayException(GatewayErrorCode.NotFound, detail);
  }
}

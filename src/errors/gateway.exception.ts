/** What went wrong, independent of HTTP; the problem filter maps each code to a status and title. */
export const GatewayErrorCode = {
  InvalidRequest: 'INVALID_REQUEST',
  NotFound: 'NOT_FOUND',
  AllSourcesFailed: 'ALL_SOURCES_FAILED',
  Unauthorized: 'UNAUTHORIZED',
  RateLimited: 'RATE_LIMITED',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

const MAX_LISTED_ERRORS = 20;

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class GatewayException extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    readonly detail: string,
    readonly extras: { readonly errors?: readonly FieldError[]; readonly sources?: readonly object[] } = {},
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
}

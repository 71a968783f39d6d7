/** What went wrong, independent of HTTP; the problem filter maps each code to a status and title. */
export const GatewayErrorCode = {
  InvalidRequest: 'INVALID_REQUEST',
  NotFound: 'NOT_FOUND',
  AllSourcesFailed: 'ALL_SOURCES_FAILED',
  Unauthorized: 'UNAUTHORIZED',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

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
    const detail = errors.length === 1 ? `${errors[0].field}: ${errors[0].message}` : `${errors.length} request parameters are invalid`;
    return new GatewayException(GatewayErrorCode.InvalidRequest, detail, { errors });
  }
}

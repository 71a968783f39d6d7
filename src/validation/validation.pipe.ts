import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, GatewayException } from '../errors/gateway.exception.js';

function fieldErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const constraints = error.constraints ?? {};
    const own: FieldError[] =
      'whitelistValidation' in constraints
        ? // The name is the caller's own text: echo a bounded prefix only.
          [{ field: field.length > 64 ? `${field.slice(0, 64)}…` : field, message: 'is not a known parameter' }]
        : Object.keys(constraints).length > 0
          ? [{ field, message: Object.values(constraints).join('; ') }]
          : [];
    return [...own, ...fieldErrors(error.children ?? [], `${field}.`)];
  });
}

/** The one ValidationPipe: whitelist, unknown parameters refused, one problem entry per bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => GatewayException.invalid(fieldErrors(errors)),
  });
}

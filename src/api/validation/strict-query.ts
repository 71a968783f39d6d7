import { type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, getMetadataStorage, validateSync } from 'class-validator';
import { type FieldError, GatewayException } from '../../domain/gateway-error.js';

/** The caller's own text, bounded, for echoing in a problem. */
const echo = (name: string): string => (name.length > 64 ? `${name.slice(0, 64)}…` : name);

function fieldErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const messages = Object.values(error.constraints ?? {});
    const own: FieldError[] = messages.length > 0 ? [{ field, message: messages.join('; ') }] : [];
    return [...own, ...fieldErrors(error.children ?? [], `${field}.`)];
  });
}

/** The query parameter names a DTO class declares. */
export function declaredParameters(dto: new () => object): ReadonlySet<string> {
  return new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((metadata) => metadata.propertyName));
}

/**
 * Validates a raw query against a DTO class: every name must be one the DTO
 * declares (checked on the query's own keys, so `__proto__` or `constructor`
 * are unknown names like any other), then each field's rules. Returns the DTO
 * and every error found, so one answer names every bad field.
 */
export function validateQuery<T extends object>(dto: new () => T, raw: unknown): { readonly value: T; readonly errors: FieldError[] } {
  const query = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const allowed = declaredParameters(dto);
  const errors: FieldError[] = [];
  const known: Record<string, unknown> = {};
  for (const name of Object.keys(query)) {
    if (allowed.has(name)) known[name] = query[name];
    else errors.push({ field: echo(name), message: 'is not a known parameter' });
  }
  const value = plainToInstance(dto, known);
  const invalid = validateSync(value, { forbidUnknownValues: true, validationError: { target: false, value: false } });
  errors.push(...fieldErrors(invalid));
  return { value, errors };
}

/** A route's query: validated against its DTO, or a 400 problem naming every bad field. */
export class StrictQueryPipe<T extends object> implements PipeTransform<unknown, T> {
  constructor(private readonly dto: new () => T) {}

  transform(raw: unknown): T {
    const { value, errors } = validateQuery(this.dto, raw);
    if (errors.length > 0) throw GatewayException.invalid(errors);
    return value;
  }
}

/** A route that takes no query parameters: any name is a 400 problem, as on every other /v1 route. */
export class NoQueryPipe implements PipeTransform<unknown, Record<string, never>> {
  transform(raw: unknown): Record<string, never> {
    const names = typeof raw === 'object' && raw !== null ? Object.keys(raw) : [];
    if (names.length > 0) throw GatewayException.invalid(names.map((name) => ({ field: echo(name), message: 'is not a known parameter' })));
    return {};
  }
}

import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';

/** `a,b` and `x=a&x=b` both become `['a', 'b']`; anything else is left for the validators to refuse. */
export function toList(value: unknown): unknown {
  const parts = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
  if (parts === undefined) return value;
  return parts.flatMap((part) => part.split(',')).map((item) => item.trim()).filter((item) => item.length > 0);
}

function toStrictInt(value: unknown): unknown {
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
}

function toStrictBoolean(value: unknown): unknown {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** An ISO 8601 date-time with a zone, on a real calendar day (Date.parse would roll Feb 31 into March). */
export function isDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_TIME.exec(value);
  if (match === null || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}

interface ListOptions {
  readonly description: string;
  /** Allowed values; an empty list documents a named enum whose values are checked (and filled into the document) at run time. */
  readonly enum?: readonly string[];
  readonly enumName?: string;
  readonly maxItems: number;
  readonly itemMaxLength?: number;
}

/** A list filter: comma-separated or repeated, validated item by item, documented as such. */
export function ListQueryParam(options: ListOptions): PropertyDecorator {
  const each = { each: true } as const;
  const itemRule = options.enum !== undefined && options.enum.length > 0
    ? IsIn(options.enum, { ...each, message: `$property may only contain: ${options.enum.join(', ')}` })
    : Length(1, options.itemMaxLength ?? 100, { ...each, message: `$property items must be 1 to ${options.itemMaxLength ?? 100} characters` });
  return applyDecorators(
    ApiPropertyOptional({
      description: `${options.description} Comma-separated (\`a,b\`) or repeated (\`x=a&x=b\`); any-of.`,
      type: String,
      isArray: true,
      enum: options.enum ? [...options.enum] : undefined,
      enumName: options.enumName,
      maxItems: options.maxItems,
    }),
    IsOptional(),
    Transform(({ value }) => toList(value)),
    IsArray({ message: '$property must be a list of strings' }),
    ArrayMinSize(1, { message: '$property must not be empty' }),
    ArrayMaxSize(options.maxItems, { message: `$property may have at most ${options.maxItems} items` }),
    IsString(each),
    itemRule,
  );
}

interface IntOptions {
  readonly description: string;
  readonly minimum: number;
  readonly maximum: number;
  readonly default?: number;
}

export function IntQueryParam(options: IntOptions): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: options.description, type: 'integer', minimum: options.minimum, maximum: options.maximum, default: options.default }),
    IsOptional(),
    Transform(({ value }) => toStrictInt(value)),
    IsInt({ message: '$property must be a whole number' }),
    Min(options.minimum, { message: `$property must be at least ${options.minimum}` }),
    Max(options.maximum, { message: `$property must be at most ${options.maximum}` }),
  );
}

/** A boolean parameter: `false` when absent, or (`defaultsToFalse` false) absent meaning "no filter". */
export function BooleanQueryParam(description: string, defaultsToFalse = true): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, type: Boolean, ...(defaultsToFalse ? { default: false } : {}) }),
    IsOptional(),
    Transform(({ value }) => toStrictBoolean(value)),
    IsBoolean({ message: '$property must be true or false' }),
  );
}

export function DateTimeQueryParam(description: string): PropertyDecorator {
  return applyDecorators(
    // No `example`: Swagger UI pre-fills examples into "Try it out", which turned every tried listing into an empty date range.
    ApiPropertyOptional({ description: `${description} For example \`2025-01-31T00:00:00Z\`.`, type: String, format: 'date-time' }),
    IsOptional(),
    ValidateBy({
      name: 'isDateTime',
      validator: { validate: isDateTime, defaultMessage: () => '$property must be an ISO 8601 date-time with a time zone, e.g. 2025-01-31T00:00:00Z' },
    }),
  );
}

export function TextQueryParam(options: { description: string; minLength: number; maxLength: number; pattern?: RegExp }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: options.description, type: String, minLength: options.minLength, maxLength: options.maxLength, pattern: options.pattern?.source }),
    IsOptional(),
    IsString({ message: '$property must be a single string' }),
    Length(options.minLength, options.maxLength, { message: `$property must be ${options.minLength} to ${options.maxLength} characters` }),
    ...(options.pattern
      ? [ValidateBy({ name: 'pattern', validator: { validate: (value: unknown) => typeof value === 'string' && options.pattern!.test(value), defaultMessage: () => '$property is malformed' } })]
      : []),
  );
}

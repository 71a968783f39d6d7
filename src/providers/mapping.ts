import type { SubOrg } from '../sub-orgs/sub-org.model.js';

/** What a mapper makes of one upstream record: a canonical record or the reason it was left out. */
export type MappingResult = { readonly ok: true; readonly subOrg: SubOrg } | { readonly ok: false; readonly reason: string };

export const skip = (reason: string): MappingResult => ({ ok: false, reason });

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function optionalNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function optionalInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

export function optionalBoolean(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** An upstream timestamp normalised to ISO 8601 UTC; anything unparseable becomes null. */
export function optionalTimestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** The required identity of a record: a non-empty string id (numbers are accepted and stringified). */
export function requiredId(value: unknown): string | null {
  if (typeof value === 'string') {
    const id = value.trim();
    return id.length > 0 && id.length <= 256 ? id : null;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

export function requiredName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const name = value.trim();
  return name.length > 0 && name.length <= 1024 ? name : null;
}

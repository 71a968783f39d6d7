import type { SubOrg } from '../domain/sub-org.js';

/** What a mapper makes of one upstream record: the canonical record, or the reason it was left out. */
export type MappingResult = { readonly ok: true; readonly record: SubOrg } | { readonly ok: false; readonly reason: string };

/** What every mapper is told: the key of the provider it maps for (from its definition), which makes record ids. */
export interface MappingContext {
  readonly provider: string;
}

export const skip = (reason: string): MappingResult => ({ ok: false, reason });

/**
 * How deep an upstream record may nest objects and arrays. Deeper records are
 * skipped: serialising one for `raw` would overflow the stack (from about
 * 5,000 levels) and fail the request; no real record comes near 64.
 */
export const MAX_RECORD_NESTING = 64;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

const interned = new Map<string, string>();
const MAX_INTERNED = 10_000;

/**
 * optionalString for fields with few distinct values (plans, parents, time
 * zones): one string per value instead of one per record. JSON.parse makes a
 * new string for every value, which at 100k records was ~20 MB of copies.
 */
export function optionalSharedString(value: unknown): string | null {
  const text = optionalString(value);
  if (text === null || text.length > 128) return text;
  const shared = interned.get(text);
  if (shared !== undefined) return shared;
  if (interned.size >= MAX_INTERNED) interned.clear();
  interned.set(text, text);
  return text;
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

const CANONICAL_UTC = /^\d{4}-(\d{2})-(\d{2})T([01]\d|2[0-3]):\d{2}:\d{2}\.\d{3}Z$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether `value` is already what toISOString would print for it. Date.parse
 * accepts 24:00 and days past the month's end (rolling them over), so those
 * are left to the full round trip.
 */
function isCanonicalUtc(value: string, time: number): boolean {
  const match = CANONICAL_UTC.exec(value);
  if (match === null) return false;
  const day = Number(match[2]);
  if (day <= 28) return true;
  return day <= DAYS_IN_MONTH[Number(match[1]) - 1] && new Date(time).getUTCDate() === day;
}

/** Canonical and certainly valid: months 01-12, days up to 28 (every month has them), a real time of day. */
const SURELY_CANONICAL = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** An upstream timestamp normalised to ISO 8601 UTC; anything unparseable becomes null. */
export function optionalTimestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return null;
  // Most upstream timestamps already are canonical: no parse, no new string (100k records carry several each).
  if (SURELY_CANONICAL.test(value)) return value;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return null;
  // Most upstream timestamps already are canonical: keep the string rather than print a new one.
  return isCanonicalUtc(value, time) ? value : new Date(time).toISOString();
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

/** A record that has what every canonical record needs: an object with a usable id and name. */
export type Identified =
  | { readonly ok: true; readonly record: Record<string, unknown>; readonly sourceId: string; readonly name: string }
  | { readonly ok: false; readonly reason: string };

export function identify(record: unknown): Identified {
  if (!isRecord(record)) return { ok: false, reason: 'record is not an object' };
  const sourceId = requiredId(record.id);
  if (sourceId === null) return { ok: false, reason: 'missing or invalid id' };
  const name = requiredName(record.name);
  if (name === null) return { ok: false, reason: `record ${sourceId}: missing or invalid name` };
  return { ok: true, record, sourceId, name };
}

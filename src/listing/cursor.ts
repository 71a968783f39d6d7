import { createHash } from 'node:crypto';
import { SORT_OPTIONS, type SortKey, type SortOption } from './listing-query.js';

/** Where a cursor continues: after `key` in `sort` order, for the query with `querySignature`. */
export interface CursorPosition {
  readonly sort: SortOption;
  readonly key: SortKey;
  readonly querySignature: string;
}

export class InvalidCursorError extends Error {}

// 2: name keys follow the root collation (punctuation, Ø Ł Æ …); cursors made with the old keys would skip or repeat records.
const VERSION = 2;

function checksum(payload: string): string {
  return createHash('sha256').update(`suborg-cursor:${payload}`).digest('base64url').slice(0, 16);
}

/**
 * An opaque keyset cursor. The checksum catches edits and truncation; it is not
 * a secret, because a forged cursor can only name a position in data the caller
 * may list anyway, and every field is validated on the way in.
 */
export function encodeCursor(position: CursorPosition): string {
  const payload = Buffer.from(
    JSON.stringify([VERSION, position.sort, position.key.value, position.key.id, position.querySignature]),
  ).toString('base64url');
  return `${payload}.${checksum(payload)}`;
}

export function decodeCursor(cursor: string): CursorPosition {
  const [payload, sum, extra] = cursor.split('.');
  if (extra !== undefined || !payload || !sum || checksum(payload) !== sum) throw new InvalidCursorError('cursor is malformed or was altered');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is malformed or was altered');
  }
  if (!Array.isArray(decoded) || decoded.length !== 5 || decoded[0] !== VERSION) throw new InvalidCursorError('cursor is from an unsupported version');
  const [, sort, value, id, querySignature] = decoded as unknown[];
  const validSort = typeof sort === 'string' && (SORT_OPTIONS as readonly string[]).includes(sort);
  const validValue = value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  if (!validSort || !validValue || typeof id !== 'string' || typeof querySignature !== 'string') {
    throw new InvalidCursorError('cursor is malformed or was altered');
  }
  return { sort: sort as SortOption, key: { value: value as SortKey['value'], id }, querySignature };
}

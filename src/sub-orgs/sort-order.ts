import type { SortOption } from './listing-query.js';

/** A record's place in one sort order: its primary value, then its id for a total order. */
export interface SortKey {
  readonly value: string | number | null;
  readonly id: string;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Case-insensitive, Unicode-aware folding for `q`: NFKC, then full case folding (ß ~ ss). */
export function foldForSearch(text: string): string {
  // ASCII is its own NFKC form and folds by lower-casing alone; most names are ASCII.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toUpperCase().toLowerCase();
}

/**
 * The name's sort key: accents and case removed, so "Zürich" sorts beside
 * "Zurich" rather than after "Zz". Plain code-unit comparison of these keys is
 * deterministic across machines and fast enough to sort 100k names.
 */
export function nameSortKey(name: string): string {
  if (ASCII.test(name)) return name.toLowerCase();
  return name.normalize('NFKD').replace(/\p{M}+/gu, '').toUpperCase().toLowerCase();
}

export function isDescending(sort: SortOption): boolean {
  return sort.startsWith('-');
}

/** Orders two keys under `sort`: nulls last in either direction, ties broken by id ascending. */
export function compareKeys(sort: SortOption, a: SortKey, b: SortKey): number {
  if (a.value !== b.value) {
    if (a.value === null) return 1;
    if (b.value === null) return -1;
    const ascending = a.value < b.value ? -1 : 1;
    return isDescending(sort) ? -ascending : ascending;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

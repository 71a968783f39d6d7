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

/** Joins the folded names the index searches `q` in; never part of a folded name itself. */
export const NAME_SEPARATOR = '\u0000';

/** A name as `q` is searched in it: folded, with any NAME_SEPARATOR in it made a space. */
export function searchableName(name: string): string {
  return foldForSearch(name).replaceAll(NAME_SEPARATOR, ' ');
}

/** Epoch milliseconds of a canonical createdAt, NaN when there is none. */
export function createdTime(createdAt: string | null): number {
  return createdAt === null ? Number.NaN : Date.parse(createdAt);
}

/** Index keys of one page's records, in page order, worked out where the page is read (off the event loop). */
export interface PageSearchKeys {
  readonly searchableNames: readonly string[];
  readonly nameKeys: readonly string[];
  readonly createdTimes: ArrayLike<number>;
}

/**
 * What the listing index needs of a whole snapshot's names and creation
 * times, assembled during the walk so a cold listing does not wait for it
 * after the last page.
 */
export interface SearchKeys {
  /** Every record's searchable name followed by NAME_SEPARATOR, in record order. */
  readonly searchableText: string;
  /** Where each record's name starts in searchableText, then where the text ends (length n + 1). */
  readonly nameStarts: Uint32Array<ArrayBuffer>;
  readonly nameKeys: readonly string[];
  readonly createdTimes: Float64Array<ArrayBuffer>;
}

/** Gathers SearchKeys one record at a time, in record order. */
export class SearchKeysBuilder {
  private readonly names: string[] = [];
  private readonly nameStarts: number[] = [];
  private readonly nameKeys: string[] = [];
  private readonly createdTimes: number[] = [];
  private offset = 0;

  add(searchable: string, nameKey: string, created: number): void {
    this.names.push(searchable, NAME_SEPARATOR);
    this.nameStarts.push(this.offset);
    this.offset += searchable.length + NAME_SEPARATOR.length;
    this.nameKeys.push(nameKey);
    this.createdTimes.push(created);
  }

  build(): SearchKeys {
    return {
      searchableText: this.names.join(''),
      nameStarts: Uint32Array.from([...this.nameStarts, this.offset]),
      nameKeys: this.nameKeys,
      createdTimes: Float64Array.from(this.createdTimes),
    };
  }
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

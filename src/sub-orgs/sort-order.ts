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
  /** Positions in name order (ties by id), when put together during the walk. */
  readonly nameOrder?: Uint32Array<ArrayBuffer>;
}

/** Gathers SearchKeys one record at a time, in record order. */
export class SearchKeysBuilder {
  private readonly names: string[] = [];
  private readonly nameStarts: number[] = [];
  private readonly nameKeys: string[] = [];
  private readonly createdTimes: number[] = [];
  private offset = 0;
  /** With `orderByName`: each record's name key as the name order compares it, and its id for ties. */
  private readonly orderKeys: string[] = [];
  private readonly ids: string[] = [];
  /** Sorted runs of positions, each at most half the one before it. */
  private readonly runs: Uint32Array<ArrayBuffer>[] = [];
  private runStart = 0;

  /**
   * `orderByName`: also put the records in name order as they come, a page
   * at a time (see endPage), so the order is ready when the last page is in.
   */
  constructor(private readonly orderByName = false) {}

  add(searchable: string, nameKey: string, created: number, id: string): void {
    this.names.push(searchable, NAME_SEPARATOR);
    this.nameStarts.push(this.offset);
    this.offset += searchable.length + NAME_SEPARATOR.length;
    this.nameKeys.push(nameKey);
    this.createdTimes.push(created);
    if (!this.orderByName) return;
    this.orderKeys.push(nameKey.includes(NAME_SEPARATOR) ? nameKey.replaceAll(NAME_SEPARATOR, ' ') : nameKey);
    this.ids.push(id);
  }

  /**
   * Sorts the records added since the last call into a run and merges runs
   * while the newest is at least half the size of the one before: a walk's
   * merging happens as its pages come in, and what is left after the last
   * page is about one pass over the records.
   */
  endPage(): void {
    if (!this.orderByName || this.orderKeys.length === this.runStart) return;
    const run = new Uint32Array(this.orderKeys.length - this.runStart);
    for (let i = 0; i < run.length; i++) run[i] = this.runStart + i;
    this.runs.push(run.sort(this.compareByName));
    this.runStart = this.orderKeys.length;
    while (this.runs.length > 1 && this.runs[this.runs.length - 2].length <= 2 * this.runs[this.runs.length - 1].length) this.mergeLastRuns();
  }

  build(): SearchKeys {
    this.endPage();
    while (this.runs.length > 1) this.mergeLastRuns();
    return {
      searchableText: this.names.join(''),
      nameStarts: Uint32Array.from([...this.nameStarts, this.offset]),
      nameKeys: this.nameKeys,
      createdTimes: Float64Array.from(this.createdTimes),
      ...(this.orderByName ? { nameOrder: this.runs[0] ?? new Uint32Array(0) } : {}),
    };
  }

  /** By name key, then id: the index's name order (ids are unique within a snapshot). */
  private readonly compareByName = (a: number, b: number): number => {
    const x = this.orderKeys[a];
    const y = this.orderKeys[b];
    if (x !== y) return x < y ? -1 : 1;
    return this.ids[a] < this.ids[b] ? -1 : this.ids[a] > this.ids[b] ? 1 : 0;
  };

  private mergeLastRuns(): void {
    const right = this.runs.pop()!;
    const left = this.runs.pop()!;
    const merged = new Uint32Array(left.length + right.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < merged.length; k++) {
      merged[k] = i < left.length && (j >= right.length || this.compareByName(left[i], right[j]) <= 0) ? left[i++] : right[j++];
    }
    this.runs.push(merged);
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

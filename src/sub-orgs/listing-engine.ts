import { createHash } from 'node:crypto';
import type { ListingFilter, SortOption } from './listing-query.js';
import { type SnapshotIndex, compareEntries } from './snapshot-index.js';
import { type SortKey, compareKeys } from './sort-order.js';
import { CHECK_EVERY, TimeSlicer } from '../runtime/time-slicer.js';

/** One record chosen for a page: which index and which position in it. */
export interface PageEntry {
  readonly index: SnapshotIndex;
  readonly position: number;
}

/** Which selection holds the next entry in `sort` order, or -1 when all are used up; advances nothing. */
function nextSource(sort: SortOption, indexes: readonly SnapshotIndex[], selections: readonly Uint32Array[], cursors: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < indexes.length; i++) {
    if (cursors[i] >= selections[i].length) continue;
    if (best < 0 || compareEntries(sort, indexes[i], selections[i][cursors[i]], indexes[best], selections[best][cursors[best]]) < 0) best = i;
  }
  return best;
}

/**
 * The filtered, sorted listing across snapshots. Each snapshot's selection is
 * already in order; the merged order is produced lazily, only as far as an
 * offset page needs it, and kept for the next page.
 */
export class MergedListing {
  readonly totalItems: number;
  // Grown on demand: most listings are read a few pages deep, not to the end.
  private sources = new Uint8Array(0);
  private positions = new Uint32Array(0);
  private readonly cursors: number[];
  private merged = 0;

  constructor(
    readonly indexes: readonly SnapshotIndex[],
    readonly selections: readonly Uint32Array[],
    private readonly sort: SortOption,
  ) {
    this.totalItems = selections.reduce((sum, selection) => sum + selection.length, 0);
    this.cursors = selections.map(() => 0);
  }

  /** Merges until at least `count` entries exist, yielding between slices. */
  async ensure(count: number): Promise<void> {
    const target = Math.min(count, this.totalItems);
    if (target > this.positions.length) {
      const capacity = Math.min(this.totalItems, Math.max(target, this.positions.length * 2, 256));
      const sources = new Uint8Array(capacity);
      const positions = new Uint32Array(capacity);
      sources.set(this.sources.subarray(0, this.merged));
      positions.set(this.positions.subarray(0, this.merged));
      this.sources = sources;
      this.positions = positions;
    }
    const slicer = new TimeSlicer();
    const { indexes, selections, cursors, sort } = this;
    while (this.merged < target) {
      const best = nextSource(sort, indexes, selections, cursors);
      this.sources[this.merged] = best;
      this.positions[this.merged] = selections[best][cursors[best]++];
      this.merged++;
      if ((this.merged & (CHECK_EVERY - 1)) === 0 && slicer.due()) await slicer.yield();
    }
  }

  entryAt(place: number): PageEntry {
    return { index: this.indexes[this.sources[place]], position: this.positions[place] };
  }
}

export interface ListingWindow {
  readonly entries: readonly PageEntry[];
  readonly totalItems: number;
  /** Zero-based place of the first entry in the whole filtered, sorted listing. */
  readonly startIndex: number;
  /** Key of the last entry when more records follow it. */
  readonly nextKey: SortKey | undefined;
}

const MERGED_MEMO_SIZE = 32;
const mergedMemo = new Map<string, { readonly indexes: readonly SnapshotIndex[]; readonly merged: Promise<MergedListing> }>();
/** The newest index id seen per provider (ids only grow). */
const newestIndexOf = new Map<string, number>();

/**
 * Whether every index is its provider's newest. A newer one drops the merges
 * memoised over its predecessor: they would pin a replaced snapshot (100k
 * records) in memory until 32 other query shapes pushed them out.
 */
function allNewest(indexes: readonly SnapshotIndex[]): boolean {
  let newest = true;
  for (const index of indexes) {
    const provider = index.snapshot.provider;
    const known = newestIndexOf.get(provider) ?? 0;
    if (index.id < known) newest = false;
    if (index.id <= known) continue;
    newestIndexOf.set(provider, index.id);
    for (const [key, entry] of mergedMemo) {
      if (entry.indexes.some((other) => other.snapshot.provider === provider && other.id < index.id)) mergedMemo.delete(key);
    }
  }
  return newest;
}

/** Identifies the filter and sort a cursor was made for, so it cannot be replayed against another query. */
export function querySignature(filter: ListingFilter, sort: SortOption): string {
  const list = (values: Iterable<string> | undefined): string[] | null => (values === undefined ? null : [...values].sort());
  const canonical = JSON.stringify([
    sort,
    [...filter.providers].sort(),
    filter.q ?? null,
    list(filter.statuses),
    list(filter.types),
    list(filter.plans),
    filter.createdFrom ?? null,
    filter.createdTo ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

/**
 * The filtered, sorted listing across several snapshots, memoised per
 * (snapshots, filter, sort): the first request of a query shape pays the
 * filter scan in time slices; further pages reuse it.
 */
export async function mergedListing(
  indexes: readonly SnapshotIndex[],
  filter: ListingFilter,
  sort: SortOption,
  signature = querySignature(filter, sort),
): Promise<MergedListing> {
  const key = `${indexes.map((index) => index.id).join(',')}|${signature}`;
  const merge = (): Promise<MergedListing> =>
    Promise.all(indexes.map((index) => index.select(filter, sort, signature))).then((selections) => new MergedListing(indexes, selections, sort));
  // A request still reading a replaced snapshot gets its answer, but it is not kept.
  if (!allNewest(indexes)) return merge();
  let entry = mergedMemo.get(key);
  if (entry !== undefined) {
    mergedMemo.delete(key);
  } else {
    entry = { indexes, merged: merge() };
    entry.merged.catch(() => mergedMemo.delete(key));
  }
  mergedMemo.set(key, entry);
  if (mergedMemo.size > MERGED_MEMO_SIZE) mergedMemo.delete(mergedMemo.keys().next().value as string);
  return entry.merged;
}

/** Per selection, the first place whose key sorts after `after`. */
function placesAfter(merged: MergedListing, sort: SortOption, after: SortKey): number[] {
  return merged.selections.map((selection, i) => {
    const index = merged.indexes[i];
    let low = 0;
    let high = selection.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareKeys(sort, index.keyAt(sort, selection[middle]), after) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  });
}

/**
 * Cuts one page from a merged listing: by offset (merging as far as needed),
 * or after a cursor key (a binary search per snapshot, then a short merge).
 * Keyset continuation never repeats or skips a record, even when the
 * snapshots changed in between.
 */
export async function cutPage(merged: MergedListing, sort: SortOption, start: { readonly offset: number } | { readonly after: SortKey }, pageSize: number): Promise<ListingWindow> {
  const { totalItems } = merged;
  const entries: PageEntry[] = [];
  let startIndex: number;
  if ('offset' in start) {
    startIndex = Math.min(start.offset, totalItems);
    await merged.ensure(startIndex + pageSize);
    for (let place = startIndex; place < Math.min(totalItems, startIndex + pageSize); place++) entries.push(merged.entryAt(place));
  } else {
    const cursors = placesAfter(merged, sort, start.after);
    startIndex = cursors.reduce((sum, place) => sum + place, 0);
    const { indexes, selections } = merged;
    while (entries.length < pageSize) {
      const best = nextSource(sort, indexes, selections, cursors);
      if (best < 0) break;
      entries.push({ index: indexes[best], position: selections[best][cursors[best]++] });
    }
  }
  const last = entries.at(-1);
  const more = startIndex + entries.length < totalItems;
  return { entries, totalItems, startIndex, nextKey: more && last ? last.index.keyAt(sort, last.position) : undefined };
}

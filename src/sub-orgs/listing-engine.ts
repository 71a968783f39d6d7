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

/** The whole filtered, sorted listing across snapshots, as (index, position) pairs. */
export interface MergedListing {
  readonly indexes: readonly SnapshotIndex[];
  readonly sources: Uint8Array;
  readonly positions: Uint32Array;
}

export interface ListingWindow {
  readonly entries: readonly PageEntry[];
  readonly totalItems: number;
  /** Zero-based place of the first entry in the whole filtered, sorted listing. */
  readonly startIndex: number;
  /** Key of the last entry when more records follow it. */
  readonly nextKey: SortKey | undefined;
}

const MERGED_MEMO_SIZE = 64;
const mergedMemo = new Map<string, Promise<MergedListing>>();

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

async function merge(indexes: readonly SnapshotIndex[], selections: readonly Uint32Array[], sort: SortOption): Promise<MergedListing> {
  const total = selections.reduce((sum, selection) => sum + selection.length, 0);
  const sources = new Uint8Array(total);
  const positions = new Uint32Array(total);
  if (indexes.length === 1) {
    positions.set(selections[0]);
    return { indexes, sources, positions };
  }
  const slicer = new TimeSlicer();
  const cursors = selections.map(() => 0);
  for (let out = 0; out < total; out++) {
    let best = -1;
    for (let i = 0; i < indexes.length; i++) {
      if (cursors[i] >= selections[i].length) continue;
      if (best < 0 || compareEntries(sort, indexes[i], selections[i][cursors[i]], indexes[best], selections[best][cursors[best]]) < 0) best = i;
    }
    sources[out] = best;
    positions[out] = selections[best][cursors[best]++];
    if ((out & (CHECK_EVERY - 1)) === 0 && slicer.due()) await slicer.yield();
  }
  return { indexes, sources, positions };
}

/**
 * The filtered, sorted listing across several snapshots, memoised per
 * (snapshots, filter, sort): the first request of a query shape pays a linear
 * pass in time slices; every further page of it is a slice or a binary search.
 */
export async function mergedListing(indexes: readonly SnapshotIndex[], filter: ListingFilter, sort: SortOption): Promise<MergedListing> {
  const signature = querySignature(filter, sort);
  const key = `${indexes.map((index) => index.id).join(',')}|${signature}`;
  let merged = mergedMemo.get(key);
  if (merged !== undefined) {
    mergedMemo.delete(key);
  } else {
    merged = Promise.all(indexes.map((index) => index.select(filter, sort, signature))).then((selections) => merge(indexes, selections, sort));
    merged.catch(() => mergedMemo.delete(key));
  }
  mergedMemo.set(key, merged);
  if (mergedMemo.size > MERGED_MEMO_SIZE) mergedMemo.delete(mergedMemo.keys().next().value as string);
  return merged;
}

function entryAt(merged: MergedListing, place: number): PageEntry {
  return { index: merged.indexes[merged.sources[place]], position: merged.positions[place] };
}

/** First place in the merged listing whose key sorts after `after`. */
function firstAfter(merged: MergedListing, sort: SortOption, after: SortKey): number {
  let low = 0;
  let high = merged.positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const { index, position } = entryAt(merged, middle);
    if (compareKeys(sort, index.keyAt(sort, position), after) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Cuts one page from a merged listing: by offset, or after a cursor key.
 * Keyset continuation never repeats or skips a record, even when the
 * snapshots changed in between.
 */
export function cutPage(merged: MergedListing, sort: SortOption, start: { readonly offset: number } | { readonly after: SortKey }, pageSize: number): ListingWindow {
  const totalItems = merged.positions.length;
  const startIndex = 'offset' in start ? Math.min(start.offset, totalItems) : firstAfter(merged, sort, start.after);
  const end = Math.min(totalItems, startIndex + pageSize);
  const entries: PageEntry[] = [];
  for (let place = startIndex; place < end; place++) entries.push(entryAt(merged, place));
  const last = entries.at(-1);
  return { entries, totalItems, startIndex, nextKey: end < totalItems && last ? last.index.keyAt(sort, last.position) : undefined };
}

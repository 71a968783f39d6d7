import { createHash } from 'node:crypto';
import type { ListingFilter, SortOption } from './listing-query.js';
import type { SnapshotIndex } from './snapshot-index.js';
import { type SortKey, compareKeys } from './sort-order.js';

/** One record chosen for a page: which index and which position in it. */
export interface PageEntry {
  readonly index: SnapshotIndex;
  readonly position: number;
}

export interface ListingWindow {
  readonly entries: readonly PageEntry[];
  readonly totalItems: number;
  /** Zero-based place of the first entry in the whole filtered, sorted listing. */
  readonly startIndex: number;
  /** Key of the last entry when more records follow it. */
  readonly nextKey: SortKey | undefined;
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

/** First place in `selected` whose key sorts after `after`. */
function firstAfter(index: SnapshotIndex, selected: Uint32Array, sort: SortOption, after: SortKey): number {
  let low = 0;
  let high = selected.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(sort, index.keyAt(sort, selected[middle]), after) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Merges the filtered, sorted selections of several snapshots and cuts one
 * page from them: by offset, or after a cursor key. Keyset continuation never
 * repeats or skips a record, even when the snapshots changed in between.
 */
export function cutPage(
  indexes: readonly SnapshotIndex[],
  filter: ListingFilter,
  sort: SortOption,
  start: { readonly offset: number } | { readonly after: SortKey },
  pageSize: number,
): ListingWindow {
  const signature = querySignature(filter, sort);
  const selections = indexes.map((index) => index.select(filter, sort, signature));
  const totalItems = selections.reduce((sum, selection) => sum + selection.length, 0);
  const cursors = selections.map((selection, i) => ('after' in start ? firstAfter(indexes[i], selection, sort, start.after) : 0));
  let startIndex = cursors.reduce((sum, place) => sum + place, 0);

  const next = (): PageEntry | undefined => {
    let best = -1;
    let bestKey: SortKey | undefined;
    for (let i = 0; i < indexes.length; i++) {
      if (cursors[i] >= selections[i].length) continue;
      const key = indexes[i].keyAt(sort, selections[i][cursors[i]]);
      if (bestKey === undefined || compareKeys(sort, key, bestKey) < 0) {
        best = i;
        bestKey = key;
      }
    }
    if (best < 0) return undefined;
    return { index: indexes[best], position: selections[best][cursors[best]++] };
  };

  if ('offset' in start) {
    if (indexes.length === 1) cursors[0] = Math.min(start.offset, selections[0].length);
    else for (let skipped = 0; skipped < start.offset && next() !== undefined; skipped++);
    startIndex = Math.min(start.offset, totalItems);
  }
  const entries: PageEntry[] = [];
  while (entries.length < pageSize) {
    const entry = next();
    if (entry === undefined) break;
    entries.push(entry);
  }
  const last = entries.at(-1);
  const more = startIndex + entries.length < totalItems;
  return { entries, totalItems, startIndex, nextKey: more && last ? last.index.keyAt(sort, last.position) : undefined };
}

import { createHash } from 'node:crypto';
import { CHECK_EVERY, TimeSlicer } from '../runtime/time-slicer.js';
import { type ListingFilter, type SortKey, type SortOption, compareKeys } from './listing-query.js';
import type { SnapshotIndex } from './snapshot-index.js';

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
  const ranges = Object.entries(filter.ranges)
    .filter(([, range]) => range !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([field, range]) => [field, range.from ?? null, range.to ?? null]);
  const canonical = JSON.stringify([
    sort,
    [...filter.providers].sort(),
    filter.q ?? null,
    list(filter.statuses),
    list(filter.types),
    list(filter.plans),
    list(filter.parentIds),
    filter.ownerEmail ?? null,
    filter.hasSubOrgs ?? null,
    ranges,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

/** Orders two records of (possibly different) indexes under `sort`. */
function compareEntries(sort: SortOption, a: SnapshotIndex, aPosition: number, b: SnapshotIndex, bPosition: number): number {
  return compareKeys(sort, a.keyAt(sort, aPosition), b.keyAt(sort, bPosition));
}

/**
 * The filtered, sorted listing across snapshots: each snapshot's selection is
 * already in order, so pages are cut by merging them — as far as an offset
 * page needs, or from a cursor's key found by binary search in each.
 */
export class MergedListing {
  readonly totalItems: number;

  constructor(
    readonly indexes: readonly SnapshotIndex[],
    readonly selections: readonly Uint32Array[],
    private readonly sort: SortOption,
  ) {
    this.totalItems = selections.reduce((sum, selection) => sum + selection.length, 0);
  }

  static async of(indexes: readonly SnapshotIndex[], filter: ListingFilter, sort: SortOption, signature: string): Promise<MergedListing> {
    return new MergedListing(indexes, await Promise.all(indexes.map((index) => index.select(filter, sort, signature))), sort);
  }

  /** Which selection holds the next entry, or -1 when all are used up. */
  private nextSource(cursors: readonly number[]): number {
    let best = -1;
    for (let i = 0; i < this.indexes.length; i++) {
      if (cursors[i] >= this.selections[i].length) continue;
      if (best < 0 || compareEntries(this.sort, this.indexes[i], this.selections[i][cursors[i]], this.indexes[best], this.selections[best][cursors[best]]) < 0) best = i;
    }
    return best;
  }

  /** Per selection, the first place whose key sorts after `after`. */
  private placesAfter(after: SortKey): number[] {
    return this.selections.map((selection, i) => {
      const index = this.indexes[i];
      let low = 0;
      let high = selection.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (compareKeys(this.sort, index.keyAt(this.sort, selection[middle]), after) <= 0) low = middle + 1;
        else high = middle;
      }
      return low;
    });
  }

  /** The merged entries from the given places on, advancing them as it goes. */
  *entries(cursors: number[]): Generator<PageEntry> {
    for (let best = this.nextSource(cursors); best >= 0; best = this.nextSource(cursors)) {
      yield { index: this.indexes[best], position: this.selections[best][cursors[best]++] };
    }
  }

  /**
   * One page: by offset (merging past the skipped entries, one provider's
   * selection indexed directly), or after a cursor key (a binary search per
   * snapshot, then a short merge). Keyset continuation never repeats or skips
   * a record, even when the snapshots changed in between.
   */
  async cut(start: { readonly offset: number } | { readonly after: SortKey }, pageSize: number): Promise<ListingWindow> {
    let cursors: number[];
    let startIndex: number;
    if ('after' in start) {
      cursors = this.placesAfter(start.after);
      startIndex = cursors.reduce((sum, place) => sum + place, 0);
    } else {
      startIndex = Math.min(start.offset, this.totalItems);
      cursors = await this.skip(startIndex);
    }
    const entries: PageEntry[] = [];
    for (const entry of this.entries(cursors)) {
      entries.push(entry);
      if (entries.length === pageSize) break;
    }
    const last = entries.at(-1);
    const more = startIndex + entries.length < this.totalItems;
    return { entries, totalItems: this.totalItems, startIndex, nextKey: more && last ? last.index.keyAt(this.sort, last.position) : undefined };
  }

  /** The places after the first `count` entries of the merged order. */
  private async skip(count: number): Promise<number[]> {
    const cursors = this.selections.map(() => 0);
    if (this.indexes.length === 1) {
      cursors[0] = count;
      return cursors;
    }
    const slicer = new TimeSlicer();
    for (let skipped = 0; skipped < count; skipped++) {
      cursors[this.nextSource(cursors)]++;
      if ((skipped & (CHECK_EVERY - 1)) === 0 && slicer.due()) await slicer.yield();
    }
    return cursors;
  }
}

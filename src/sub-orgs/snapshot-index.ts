import type { ProviderSnapshot } from '../cache/provider-snapshot.js';
import type { ListingFilter, SortOption } from './listing-query.js';
import { type SortKey, foldForSearch, nameSortKey } from './sort-order.js';
import type { SubOrg } from './sub-org.model.js';
import { CHECK_EVERY, TimeSlicer, sortSliced } from '../runtime/time-slicer.js';

const SELECTION_MEMO_SIZE = 64;

type Primary = string | number | null;

function comparePrimary(a: Primary, b: Primary, descending: boolean): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const ascending = a < b ? -1 : 1;
  return descending ? -ascending : ascending;
}

/** Orders two records of (possibly different) indexes under `sort`: nulls last, ties by id ascending. */
export function compareEntries(sort: SortOption, a: SnapshotIndex, aPosition: number, b: SnapshotIndex, bPosition: number): number {
  const byPrimary = comparePrimary(a.primaryAt(sort, aPosition), b.primaryAt(sort, bPosition), sort.startsWith('-'));
  if (byPrimary !== 0) return byPrimary;
  const aId = a.items[aPosition].id;
  const bId = b.items[bPosition].id;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/**
 * The descending order from the ascending one in O(n): equal-primary groups
 * in reverse, each group still by id ascending, records without a value last.
 */
function descendingFrom(ascending: Uint32Array, primaryAt: (position: number) => Primary): Uint32Array {
  const n = ascending.length;
  let nullsFrom = n;
  while (nullsFrom > 0 && primaryAt(ascending[nullsFrom - 1]) === null) nullsFrom--;
  const result = new Uint32Array(n);
  let out = 0;
  let groupEnd = nullsFrom;
  while (groupEnd > 0) {
    let groupStart = groupEnd - 1;
    const value = primaryAt(ascending[groupStart]);
    while (groupStart > 0 && primaryAt(ascending[groupStart - 1]) === value) groupStart--;
    result.set(ascending.subarray(groupStart, groupEnd), out);
    out += groupEnd - groupStart;
    groupEnd = groupStart;
  }
  result.set(ascending.subarray(nullsFrom), out);
  return result;
}

/**
 * Everything a listing needs from one snapshot, computed once per snapshot and
 * in time slices: folded names for `q`, sort keys, each sort order as
 * positions, ids to positions, and a memo of recent filter results.
 */
export class SnapshotIndex {
  private static readonly built = new WeakMap<ProviderSnapshot, Promise<SnapshotIndex>>();
  private static nextId = 1;

  /** Distinguishes snapshots in memo keys. */
  readonly id = SnapshotIndex.nextId++;
  readonly items: readonly SubOrg[];
  private readonly positionsById = new Map<string, number>();
  private readonly selections = new Map<string, Promise<Uint32Array>>();
  private foldedNames: string[] = [];
  private nameKeys: string[] = [];
  private createdTimes = new Float64Array(0);
  private orders = {} as Record<SortOption, Uint32Array>;

  private constructor(readonly snapshot: ProviderSnapshot) {
    this.items = snapshot.items;
  }

  /** The index of a snapshot, built once (concurrent callers share the build). */
  static of(snapshot: ProviderSnapshot): Promise<SnapshotIndex> {
    let index = SnapshotIndex.built.get(snapshot);
    if (index === undefined) {
      index = new SnapshotIndex(snapshot).build();
      SnapshotIndex.built.set(snapshot, index);
    }
    return index;
  }

  private async build(): Promise<this> {
    const slicer = new TimeSlicer();
    const n = this.items.length;
    this.foldedNames = new Array<string>(n);
    this.nameKeys = new Array<string>(n);
    this.createdTimes = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const item = this.items[i];
      this.foldedNames[i] = foldForSearch(item.name);
      this.nameKeys[i] = nameSortKey(item.name);
      this.createdTimes[i] = item.createdAt === null ? Number.NaN : Date.parse(item.createdAt);
      this.positionsById.set(item.id, i);
      if ((i & (CHECK_EVERY - 1)) === 0 && slicer.due()) await slicer.yield();
    }
    const byName = await sortSliced(Uint32Array.from(this.items.keys()), (a, b) => compareEntries('name', this, a, this, b), slicer);
    const byCreated = await sortSliced(Uint32Array.from(this.items.keys()), (a, b) => compareEntries('createdAt', this, a, this, b), slicer);
    this.orders = {
      name: byName,
      '-name': descendingFrom(byName, (p) => this.nameKeys[p]),
      createdAt: byCreated,
      '-createdAt': descendingFrom(byCreated, (p) => this.primaryAt('createdAt', p)),
    };
    return this;
  }

  positionOf(id: string): number | undefined {
    return this.positionsById.get(id);
  }

  primaryAt(sort: SortOption, position: number): Primary {
    if (sort === 'name' || sort === '-name') return this.nameKeys[position];
    const time = this.createdTimes[position];
    return Number.isNaN(time) ? null : time;
  }

  keyAt(sort: SortOption, position: number): SortKey {
    return { value: this.primaryAt(sort, position), id: this.items[position].id };
  }

  /** Positions of the records that pass `filter`, in `sort` order; memoised per filter signature. */
  select(filter: ListingFilter, sort: SortOption, signature: string): Promise<Uint32Array> {
    const key = `${sort}|${signature}`;
    let selection = this.selections.get(key);
    if (selection !== undefined) {
      // Re-insert so the memo evicts the least recently used entry.
      this.selections.delete(key);
    } else {
      selection = this.filter(filter, this.orders[sort]);
    }
    this.selections.set(key, selection);
    if (this.selections.size > SELECTION_MEMO_SIZE) this.selections.delete(this.selections.keys().next().value as string);
    return selection;
  }

  private async filter(filter: ListingFilter, order: Uint32Array): Promise<Uint32Array> {
    const matches = this.matcher(filter);
    if (matches === undefined) return order;
    const slicer = new TimeSlicer();
    const buffer = new Uint32Array(order.length);
    let count = 0;
    for (let i = 0; i < order.length; i++) {
      if (matches(order[i])) buffer[count++] = order[i];
      if ((i & (CHECK_EVERY - 1)) === 0 && slicer.due()) await slicer.yield();
    }
    return buffer.slice(0, count);
  }

  private matcher(filter: ListingFilter): ((position: number) => boolean) | undefined {
    const checks: Array<(position: number) => boolean> = [];
    const { q, statuses, types, plans, createdFrom, createdTo } = filter;
    if (q !== undefined) checks.push((p) => this.foldedNames[p].includes(q));
    if (statuses !== undefined) checks.push((p) => statuses.has(this.items[p].status));
    if (types !== undefined) checks.push((p) => this.items[p].type !== null && types.has(this.items[p].type!));
    if (plans !== undefined) checks.push((p) => this.items[p].plan !== null && plans.has(this.items[p].plan!.toLowerCase()));
    // NaN (no createdAt) fails both comparisons, so such records never match a date range.
    if (createdFrom !== undefined) checks.push((p) => this.createdTimes[p] >= createdFrom);
    if (createdTo !== undefined) checks.push((p) => this.createdTimes[p] <= createdTo);
    if (checks.length === 0) return undefined;
    if (checks.length === 1) return checks[0];
    return (position) => checks.every((check) => check(position));
  }
}

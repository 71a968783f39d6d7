import type { ProviderSnapshot } from '../cache/provider-snapshot.js';
import type { ListingFilter, SortOption } from './listing-query.js';
import { SORT_OPTIONS } from './listing-query.js';
import { type SortKey, compareKeys, foldForSearch, nameSortKey } from './sort-order.js';
import type { SubOrg } from './sub-org.model.js';

const FILTER_MEMO_SIZE = 64;

/**
 * Everything a listing needs from one snapshot, computed once per snapshot:
 * folded names for `q`, sort keys, each sort order as positions, ids to
 * positions, and a small memo of recent filter results.
 */
export class SnapshotIndex {
  private static readonly bySnapshot = new WeakMap<ProviderSnapshot, SnapshotIndex>();

  readonly items: readonly SubOrg[];
  private readonly foldedNames: readonly string[];
  private readonly nameKeys: readonly string[];
  private readonly createdTimes: readonly (number | null)[];
  private readonly orders: Readonly<Record<SortOption, Uint32Array>>;
  private readonly positionsById: ReadonlyMap<string, number>;
  private readonly filtered = new Map<string, Uint32Array>();

  private constructor(readonly snapshot: ProviderSnapshot) {
    this.items = snapshot.items;
    this.foldedNames = this.items.map((item) => foldForSearch(item.name));
    this.nameKeys = this.items.map((item) => nameSortKey(item.name));
    this.createdTimes = this.items.map((item) => (item.createdAt === null ? null : Date.parse(item.createdAt)));
    this.positionsById = new Map(this.items.map((item, position) => [item.id, position]));
    const orders = {} as Record<SortOption, Uint32Array>;
    for (const sort of SORT_OPTIONS) {
      const order = Uint32Array.from(this.items.keys());
      order.sort((a, b) => compareKeys(sort, this.keyAt(sort, a), this.keyAt(sort, b)));
      orders[sort] = order;
    }
    this.orders = orders;
  }

  static of(snapshot: ProviderSnapshot): SnapshotIndex {
    let index = SnapshotIndex.bySnapshot.get(snapshot);
    if (index === undefined) {
      index = new SnapshotIndex(snapshot);
      SnapshotIndex.bySnapshot.set(snapshot, index);
    }
    return index;
  }

  positionOf(id: string): number | undefined {
    return this.positionsById.get(id);
  }

  keyAt(sort: SortOption, position: number): SortKey {
    const id = this.items[position].id;
    return sort === 'name' || sort === '-name' ? { value: this.nameKeys[position], id } : { value: this.createdTimes[position], id };
  }

  /** Positions of the records that pass `filter`, in `sort` order. */
  select(filter: ListingFilter, sort: SortOption, signature: string): Uint32Array {
    const memoKey = `${sort}|${signature}`;
    const memo = this.filtered.get(memoKey);
    if (memo !== undefined) {
      // Re-insert so the memo evicts the least recently used entry.
      this.filtered.delete(memoKey);
      this.filtered.set(memoKey, memo);
      return memo;
    }
    const order = this.orders[sort];
    const matches = this.matcher(filter);
    let selected: Uint32Array;
    if (matches === undefined) {
      selected = order;
    } else {
      const buffer = new Uint32Array(order.length);
      let count = 0;
      for (const position of order) if (matches(position)) buffer[count++] = position;
      selected = buffer.slice(0, count);
    }
    this.filtered.set(memoKey, selected);
    if (this.filtered.size > FILTER_MEMO_SIZE) this.filtered.delete(this.filtered.keys().next().value as string);
    return selected;
  }

  private matcher(filter: ListingFilter): ((position: number) => boolean) | undefined {
    const checks: Array<(position: number) => boolean> = [];
    const { q, statuses, types, plans, createdFrom, createdTo } = filter;
    if (q !== undefined) checks.push((p) => this.foldedNames[p].includes(q));
    if (statuses !== undefined) checks.push((p) => statuses.has(this.items[p].status));
    if (types !== undefined) checks.push((p) => this.items[p].type !== null && types.has(this.items[p].type!));
    if (plans !== undefined) checks.push((p) => this.items[p].plan !== null && plans.has(this.items[p].plan!.toLowerCase()));
    if (createdFrom !== undefined) checks.push((p) => this.createdTimes[p] !== null && this.createdTimes[p]! >= createdFrom);
    if (createdTo !== undefined) checks.push((p) => this.createdTimes[p] !== null && this.createdTimes[p]! <= createdTo);
    if (checks.length === 0) return undefined;
    return (position) => checks.every((check) => check(position));
  }
}

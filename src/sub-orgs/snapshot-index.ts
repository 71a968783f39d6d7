import type { ProviderSnapshot } from '../cache/provider-snapshot.js';
import { type ListingFilter, SORT_OPTIONS, type SortOption } from './listing-query.js';
import { NAME_SEPARATOR, type SearchKeys, SearchKeysBuilder, type SortKey, createdTime, nameSortKey, searchableName } from './sort-order.js';
import { SUB_ORG_STATUSES, SUB_ORG_TYPES, type SubOrg } from './sub-org.model.js';
import { CHECK_EVERY, TimeSlicer, sortSliced } from '../runtime/time-slicer.js';

const SELECTION_MEMO_SIZE = 32;
const BACKGROUND_SLICE_MS = 1;
const NO_CODE = 255;

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
 * positions (on first use), ids to positions, and a memo of recent filter results.
 */
export class SnapshotIndex {
  private static readonly built = new WeakMap<ProviderSnapshot, Promise<SnapshotIndex>>();
  private static nextId = 1;

  /** Distinguishes snapshots in memo keys. */
  readonly id = SnapshotIndex.nextId++;
  readonly items: readonly SubOrg[];
  private readonly positionsById = new Map<string, number>();
  private readonly selections = new Map<string, Promise<Uint32Array>>();
  /** Every folded name, each followed by NAME_SEPARATOR: one string that `q` is searched in with indexOf. */
  private foldedText = '';
  /** Where each record's folded name starts in foldedText. */
  private nameStarts = new Uint32Array(0);
  private nameKeys: readonly string[] = [];
  private createdTimes = new Float64Array(0);
  private statusCodes = new Uint8Array(0);
  private typeCodes = new Uint8Array(0);
  private planCodes = new Uint32Array(0);
  private readonly planIds = new Map<string, number>();
  private readonly orders = new Map<SortOption, Promise<Uint32Array>>();

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
    this.statusCodes = new Uint8Array(n);
    this.typeCodes = new Uint8Array(n);
    this.planCodes = new Uint32Array(n);
    // Assembled during the walk when the snapshot was made here; worked out now when it came from the shared store.
    const keys = this.snapshot.searchKeys ?? (await this.searchKeys(slicer));
    this.foldedText = keys.searchableText;
    this.nameStarts = keys.nameStarts;
    this.nameKeys = keys.nameKeys;
    this.createdTimes = keys.createdTimes;
    for (let i = 0; i < n; i++) {
      const item = this.items[i];
      this.statusCodes[i] = SUB_ORG_STATUSES.indexOf(item.status);
      this.typeCodes[i] = item.type === null ? NO_CODE : SUB_ORG_TYPES.indexOf(item.type);
      this.planCodes[i] = item.plan === null ? 0 : this.planCode(item.plan.toLowerCase());
      this.positionsById.set(item.id, i);
      if ((i & (CHECK_EVERY - 1)) === 0 && slicer.due()) await slicer.yield();
    }
    return this;
  }

  private async searchKeys(slicer: TimeSlicer): Promise<SearchKeys> {
    const n = this.items.length;
    const builder = new SearchKeysBuilder();
    for (let i = 0; i < n; i++) {
      const { name, createdAt, id } = this.items[i];
      builder.add(searchableName(name), nameSortKey(name), createdTime(createdAt), id);
      if ((i & (CHECK_EVERY - 1)) === 0 && slicer.due()) await slicer.yield();
    }
    return builder.build();
  }

  /**
   * Sorts for `sort` now, and for the other orders in the background, so
   * later queries find them ready. Background sorts yield every millisecond:
   * the cold listing that asked for `sort` is still being compressed and
   * written while they run, and must not wait behind whole 8 ms slices.
   */
  async prepare(sort: SortOption): Promise<void> {
    await this.order(sort);
    if (this.orders.size < SORT_OPTIONS.length) setImmediate(() => SORT_OPTIONS.forEach((other) => void this.order(other, BACKGROUND_SLICE_MS)));
  }

  /**
   * Positions in `sort` order, sorted on first use: a cold listing needs one
   * order, so the others are not on its path. Both directions share one sort.
   */
  private order(sort: SortOption, sliceMs?: number): Promise<Uint32Array> {
    let order = this.orders.get(sort);
    if (order === undefined) {
      order = this.buildOrder(sort, new TimeSlicer(sliceMs));
      this.orders.set(sort, order);
    }
    return order;
  }

  private async buildOrder(sort: SortOption, slicer: TimeSlicer): Promise<Uint32Array> {
    switch (sort) {
      case '-name':
        return descendingFrom(await this.order('name', slicer.budgetMs), (p) => this.nameKeys[p]);
      case '-createdAt':
        return descendingFrom(await this.order('createdAt', slicer.budgetMs), (p) => this.primaryAt('createdAt', p));
      case 'name': {
        // Put together during the walk when the snapshot was made here.
        const walked = this.snapshot.searchKeys?.nameOrder;
        if (walked !== undefined) return walked;
        // Plain string comparisons, equivalent to compareEntries but several times cheaper per call.
        const nameThenId = this.nameKeys.map((key, i) => `${key.replaceAll(NAME_SEPARATOR, ' ')}${NAME_SEPARATOR}${this.items[i].id}`);
        return sortSliced(Uint32Array.from(this.items.keys()), (a, b) => (nameThenId[a] < nameThenId[b] ? -1 : nameThenId[a] > nameThenId[b] ? 1 : 0), slicer);
      }
      case 'createdAt': {
        const ids = this.items.map((item) => item.id);
        const times = this.createdTimes;
        return sortSliced(Uint32Array.from(this.items.keys()), (a, b) => {
          const x = times[a];
          const y = times[b];
          if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) {
            if (Number.isNaN(x)) return 1;
            if (Number.isNaN(y)) return -1;
            return x - y;
          }
          return ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0;
        }, slicer);
      }
    }
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
      selection = this.order(sort).then((order) => this.filter(filter, order));
    }
    this.selections.set(key, selection);
    if (this.selections.size > SELECTION_MEMO_SIZE) this.selections.delete(this.selections.keys().next().value as string);
    return selection;
  }

  private planCode(plan: string): number {
    let code = this.planIds.get(plan);
    if (code === undefined) {
      code = this.planIds.size + 1;
      this.planIds.set(plan, code);
    }
    return code;
  }

  /**
   * Marks the records that pass every criterion in a byte per record, each
   * criterion a tight pass over typed arrays (q: indexOf over all folded names
   * at once), then keeps the marked ones in sort order.
   */
  private async filter(filter: ListingFilter, order: Uint32Array): Promise<Uint32Array> {
    const { q, statuses, types, plans, createdFrom, createdTo } = filter;
    if (q === undefined && statuses === undefined && types === undefined && plans === undefined && createdFrom === undefined && createdTo === undefined) {
      return order;
    }
    const slicer = new TimeSlicer();
    const n = this.items.length;
    let keep: Uint8Array = new Uint8Array(n).fill(1);
    if (q !== undefined) keep = this.matchName(q);
    const narrow = async (passes: (position: number) => boolean): Promise<void> => {
      for (let p = 0; p < n; p++) {
        if (keep[p] === 1 && !passes(p)) keep[p] = 0;
        if ((p & (CHECK_EVERY * 16 - 1)) === 0 && slicer.due()) await slicer.yield();
      }
    };
    if (statuses !== undefined) {
      const wanted = new Uint8Array(SUB_ORG_STATUSES.length);
      for (const status of statuses) wanted[SUB_ORG_STATUSES.indexOf(status)] = 1;
      await narrow((p) => wanted[this.statusCodes[p]] === 1);
    }
    if (types !== undefined) {
      const wanted = new Uint8Array(SUB_ORG_TYPES.length + 1);
      for (const type of types) wanted[SUB_ORG_TYPES.indexOf(type)] = 1;
      await narrow((p) => this.typeCodes[p] !== NO_CODE && wanted[this.typeCodes[p]] === 1);
    }
    if (plans !== undefined) {
      const wanted = new Set([...plans].map((plan) => this.planIds.get(plan)).filter((code) => code !== undefined));
      await narrow((p) => wanted.has(this.planCodes[p]));
    }
    // NaN (no createdAt) fails both comparisons, so such records never match a date range.
    if (createdFrom !== undefined) await narrow((p) => this.createdTimes[p] >= createdFrom);
    if (createdTo !== undefined) await narrow((p) => this.createdTimes[p] <= createdTo);
    const selected = new Uint32Array(n);
    let count = 0;
    for (let i = 0; i < order.length; i++) if (keep[order[i]] === 1) selected[count++] = order[i];
    return selected.slice(0, count);
  }

  /** Records whose folded name contains `q`: one indexOf sweep, each hit mapped to its record by binary search. */
  private matchName(q: string): Uint8Array {
    const keep = new Uint8Array(this.items.length);
    if (q.includes(NAME_SEPARATOR)) return keep;
    const text = this.foldedText;
    const starts = this.nameStarts;
    let from = text.indexOf(q);
    while (from !== -1) {
      let low = 0;
      let high = this.items.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >>> 1;
        if (starts[middle] <= from) low = middle;
        else high = middle - 1;
      }
      keep[low] = 1;
      from = text.indexOf(q, starts[low + 1]);
    }
    return keep;
  }
}

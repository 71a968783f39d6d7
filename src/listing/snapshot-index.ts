import type { Snapshot } from '../domain/snapshot.js';
import { SUB_ORG_STATUSES, SUB_ORG_TYPES, type SubOrg } from '../domain/sub-org.js';
import { CHECK_EVERY, TimeSlicer, sortSliced } from '../runtime/time-slicer.js';
import type { ListingFilter, SortKey, SortOption } from './listing-query.js';
import { foldForSearch, nameSortKey } from './name-folding.js';

const SELECTION_MEMO_SIZE = 32;
const NO_CODE = 255;
/** Joins the folded names `q` is searched in; never part of a folded name itself. */
const NAME_SEPARATOR = '\u0000';

type Primary = string | number | null;

/** Epoch milliseconds of a canonical timestamp, NaN when there is none. */
function timeOf(timestamp: string | null): number {
  return timestamp === null ? Number.NaN : Date.parse(timestamp);
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
 * Everything a listing needs from one snapshot, worked out once per snapshot
 * in time slices: folded names for `q`, sort keys, each sort order as
 * positions (on first use), ids to positions, and a memo of recent filter
 * results. This is what makes never-seen query shapes over 100k records cost
 * milliseconds: typed-array passes instead of filtering and sorting objects.
 */
export class SnapshotIndex {
  private static readonly built = new WeakMap<Snapshot, Promise<SnapshotIndex>>();

  readonly records: readonly SubOrg[];
  private readonly positionsById = new Map<string, number>();
  private readonly selections = new Map<string, Promise<Uint32Array>>();
  /** Every folded name, each followed by NAME_SEPARATOR: one string that `q` is searched in with indexOf. */
  private foldedNames = '';
  /** Where each record's folded name starts in foldedNames, then where the text ends. */
  private nameStarts = new Uint32Array(0);
  private nameKeys: string[] = [];
  private createdTimes = new Float64Array(0);
  private statusCodes = new Uint8Array(0);
  private typeCodes = new Uint8Array(0);
  private planCodes = new Uint32Array(0);
  private readonly planIds = new Map<string, number>();
  private readonly orders = new Map<SortOption, Promise<Uint32Array>>();

  private constructor(readonly snapshot: Snapshot) {
    this.records = snapshot.records;
  }

  /** The index of a snapshot, built once (concurrent callers share the build); it lives and dies with its snapshot. */
  static of(snapshot: Snapshot): Promise<SnapshotIndex> {
    let index = SnapshotIndex.built.get(snapshot);
    if (index === undefined) {
      index = new SnapshotIndex(snapshot).build();
      SnapshotIndex.built.set(snapshot, index);
    }
    return index;
  }

  private async build(): Promise<this> {
    const slicer = new TimeSlicer();
    const n = this.records.length;
    const names: string[] = [];
    const starts = new Uint32Array(n + 1);
    this.nameKeys = new Array<string>(n);
    this.createdTimes = new Float64Array(n);
    this.statusCodes = new Uint8Array(n);
    this.typeCodes = new Uint8Array(n);
    this.planCodes = new Uint32Array(n);
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const record = this.records[i];
      const folded = foldForSearch(record.name).replaceAll(NAME_SEPARATOR, ' ');
      names.push(folded, NAME_SEPARATOR);
      starts[i] = offset;
      offset += folded.length + 1;
      this.nameKeys[i] = nameSortKey(record.name).replaceAll(NAME_SEPARATOR, ' ');
      this.createdTimes[i] = timeOf(record.createdAt);
      this.statusCodes[i] = SUB_ORG_STATUSES.indexOf(record.status);
      this.typeCodes[i] = record.type === null ? NO_CODE : SUB_ORG_TYPES.indexOf(record.type);
      this.planCodes[i] = record.plan === null ? 0 : this.planCode(record.plan.toLowerCase());
      this.positionsById.set(record.id, i);
      if ((i & (CHECK_EVERY - 1)) === 0 && slicer.due()) await slicer.yield();
    }
    starts[n] = offset;
    this.foldedNames = names.join('');
    this.nameStarts = starts;
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
    return { value: this.primaryAt(sort, position), id: this.records[position].id };
  }

  /** Positions of the records that pass `filter`, in `sort` order; memoised per query signature. */
  select(filter: ListingFilter, sort: SortOption, signature: string): Promise<Uint32Array> {
    const key = `${sort}|${signature}`;
    let selection = this.selections.get(key);
    if (selection !== undefined) {
      // Re-inserted so the memo evicts the least recently used entry.
      this.selections.delete(key);
    } else {
      selection = this.order(sort).then((order) => this.filter(filter, order));
    }
    this.selections.set(key, selection);
    if (this.selections.size > SELECTION_MEMO_SIZE) this.selections.delete(this.selections.keys().next().value as string);
    return selection;
  }

  /** Positions in `sort` order, sorted on first use; both directions share one sort. */
  private order(sort: SortOption): Promise<Uint32Array> {
    let order = this.orders.get(sort);
    if (order === undefined) {
      order = this.buildOrder(sort);
      this.orders.set(sort, order);
    }
    return order;
  }

  private async buildOrder(sort: SortOption): Promise<Uint32Array> {
    const all = Uint32Array.from(this.records.keys());
    const ids = this.records.map((record) => record.id);
    const byId = (a: number, b: number): number => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0);
    switch (sort) {
      case '-name':
      case '-createdAt': {
        const ascending = sort === '-name' ? 'name' : 'createdAt';
        return descendingFrom(await this.order(ascending), (position) => this.primaryAt(ascending, position));
      }
      case 'name': {
        const keys = this.nameKeys;
        return sortSliced(all, (a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : byId(a, b)));
      }
      case 'createdAt': {
        const times = this.createdTimes;
        return sortSliced(all, (a, b) => {
          const x = times[a];
          const y = times[b];
          if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return byId(a, b);
          if (Number.isNaN(x)) return 1;
          if (Number.isNaN(y)) return -1;
          return x - y;
        });
      }
    }
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
    const n = this.records.length;
    const keep = q === undefined ? new Uint8Array(n).fill(1) : this.matchName(q);
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
      const wanted = new Uint8Array(SUB_ORG_TYPES.length);
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
    const keep = new Uint8Array(this.records.length);
    if (q.includes(NAME_SEPARATOR)) return keep;
    const text = this.foldedNames;
    const starts = this.nameStarts;
    let from = text.indexOf(q);
    while (from !== -1) {
      let low = 0;
      let high = this.records.length - 1;
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

import type { Snapshot } from '../domain/snapshot.js';
import { SUB_ORG_STATUSES, SUB_ORG_TYPES, type SubOrg } from '../domain/sub-org.js';
import { CHECK_EVERY, TimeSlicer, forEachSliced, sortSliced } from '../runtime/time-slicer.js';
import type { ListingFilter, SortKey, SortOption } from './listing-query.js';
import { foldForSearch, nameSortKey } from './name-folding.js';

const SELECTION_MEMO_SIZE = 32;
const NO_CODE = 255;
/** Joins the folded names `q` is searched in; never part of a folded name itself. */
const NAME_SEPARATOR = '\u0000';

type Primary = string | number | null;

/** Every folded name, each followed by NAME_SEPARATOR, and where each starts: `q` is one indexOf sweep over it. */
interface SearchText {
  readonly text: string;
  readonly starts: Uint32Array;
}

/** A mark per record and room for every position: what one filter works in. */
interface FilterScratch {
  readonly keep: Uint8Array;
  readonly selected: Uint32Array;
}

interface Codes {
  readonly status: Uint8Array;
  readonly type: Uint8Array;
  readonly plan: Uint32Array;
  readonly planIds: ReadonlyMap<string, number>;
}

/** Epoch milliseconds of a canonical timestamp, NaN when there is none. */
function timeOf(timestamp: string | null): number {
  return timestamp === null ? Number.NaN : Date.parse(timestamp);
}

/** Background work yields this often: requests served meanwhile wait at most this long behind it. */
const BACKGROUND_SLICE_MS = 2;

/** Builds one value per record in time slices, so 100k records never hold the event loop for long. */
function perRecord<T>(records: readonly SubOrg[], each: (record: SubOrg, position: number) => T, slicer = new TimeSlicer()): Promise<void> {
  return forEachSliced(
    records.length,
    (from, to) => {
      for (let i = from; i < to; i++) each(records[i], i);
    },
    slicer,
  );
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
 * What listings need from one snapshot, as columns over its records: sort
 * keys, folded names for `q`, creation times, status/type/plan codes, ids to
 * positions, each sort order as positions, and a memo of recent filter
 * results. Each column is built on first use, in time slices, and kept: a cold
 * default listing pays for name keys and the name order only, and never-seen
 * query shapes over 100k records cost typed-array passes, not object filters
 * and sorts. The index lives and dies with its snapshot.
 */
export class SnapshotIndex {
  private static readonly built = new WeakMap<Snapshot, SnapshotIndex>();

  readonly records: readonly SubOrg[];
  private readonly columns = new Map<string, Promise<unknown>>();
  private readonly selections = new Map<string, Promise<Uint32Array>>();
  /** Columns built from here on are background work (see warm()), in shorter slices. */
  private sliceMs: number | undefined;
  private warming: Promise<void> | undefined;
  /** Reused by one filter at a time: fresh 100k-record arrays per query were most of the garbage unseen query shapes made. */
  private scratch: FilterScratch | undefined;
  // Filled in when their column is built; read synchronously once a query has awaited them.
  private nameKeys: string[] = [];
  private createdTimes = new Float64Array(0);

  private constructor(readonly snapshot: Snapshot) {
    this.records = snapshot.records;
  }

  static of(snapshot: Snapshot): SnapshotIndex {
    let index = SnapshotIndex.built.get(snapshot);
    if (index === undefined) {
      index = new SnapshotIndex(snapshot);
      SnapshotIndex.built.set(snapshot, index);
    }
    return index;
  }

  /** Where the record with this id is: a binary search over positions in id order (a Map of 100k ids cost ~15 MB). */
  async positionOf(id: string): Promise<number | undefined> {
    const byId = await this.idOrder();
    let low = 0;
    let high = byId.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const candidate = this.records[byId[middle]].id;
      if (candidate === id) return byId[middle];
      if (candidate < id) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** The sort key of a record; the sort's column must have been prepared (select does). */
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
      // A failed build is not remembered.
      selection.catch(() => this.selections.delete(key));
    }
    this.selections.set(key, selection);
    if (this.selections.size > SELECTION_MEMO_SIZE) this.selections.delete(this.selections.keys().next().value as string);
    return selection;
  }

  /**
   * Builds every column not built yet, in the background and in short
   * slices: called after a snapshot's first listing, so the query shapes
   * that follow find their columns ready instead of building them.
   */
  warm(): Promise<void> {
    this.warming ??= (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      this.sliceMs = BACKGROUND_SLICE_MS;
      // One column at a time, most wanted first: a query that needs a column not built yet builds
      // it alongside, and shares the CPU with one background column rather than with all of them.
      await this.codes();
      await this.searchText();
      for (const sort of ['name', 'createdAt', '-name', '-createdAt'] as const) await this.order(sort);
      await this.idOrder();
    })();
    return this.warming;
  }

  private slicer(): TimeSlicer {
    return new TimeSlicer(this.sliceMs);
  }

  private column<T>(name: string, build: () => Promise<T>): Promise<T> {
    let column = this.columns.get(name) as Promise<T> | undefined;
    if (column === undefined) {
      column = build();
      this.columns.set(name, column);
    }
    return column;
  }

  private idOrder(): Promise<Uint32Array> {
    return this.column('idOrder', () => {
      const ids = this.records.map((record) => record.id);
      return sortSliced(Uint32Array.from(this.records.keys()), (a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0), this.slicer());
    });
  }

  private nameKeyColumn(): Promise<string[]> {
    return this.column('nameKeys', async () => {
      const keys = new Array<string>(this.records.length);
      await perRecord(this.records, (record, i) => (keys[i] = nameSortKey(record.name)), this.slicer());
      this.nameKeys = keys;
      return keys;
    });
  }

  private createdTimeColumn(): Promise<Float64Array> {
    return this.column('createdTimes', async () => {
      const times = new Float64Array(this.records.length);
      await perRecord(this.records, (record, i) => (times[i] = timeOf(record.createdAt)), this.slicer());
      this.createdTimes = times;
      return times;
    });
  }

  private searchText(): Promise<SearchText> {
    return this.column('searchText', async () => {
      const names: string[] = [];
      const starts = new Uint32Array(this.records.length + 1);
      let offset = 0;
      await perRecord(
        this.records,
        (record, i) => {
          const folded = foldForSearch(record.name).replaceAll(NAME_SEPARATOR, ' ');
          names.push(folded, NAME_SEPARATOR);
          starts[i] = offset;
          offset += folded.length + 1;
        },
        this.slicer(),
      );
      starts[this.records.length] = offset;
      return { text: names.join(''), starts };
    });
  }

  private codes(): Promise<Codes> {
    return this.column('codes', async () => {
      const n = this.records.length;
      const codes = { status: new Uint8Array(n), type: new Uint8Array(n), plan: new Uint32Array(n), planIds: new Map<string, number>() };
      const planCode = (plan: string): number => {
        let code = codes.planIds.get(plan);
        if (code === undefined) {
          code = codes.planIds.size + 1;
          codes.planIds.set(plan, code);
        }
        return code;
      };
      await perRecord(
        this.records,
        (record, i) => {
          codes.status[i] = SUB_ORG_STATUSES.indexOf(record.status);
          codes.type[i] = record.type === null ? NO_CODE : SUB_ORG_TYPES.indexOf(record.type);
          codes.plan[i] = record.plan === null ? 0 : planCode(record.plan.toLowerCase());
        },
        this.slicer(),
      );
      return codes;
    });
  }

  /** Positions in `sort` order, sorted on first use; both directions share one sort. */
  private order(sort: SortOption): Promise<Uint32Array> {
    return this.column(`order:${sort}`, () => this.buildOrder(sort));
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
        const keys = await this.nameKeyColumn();
        return sortSliced(all, (a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : byId(a, b)), this.slicer());
      }
      case 'createdAt': {
        const times = await this.createdTimeColumn();
        return sortSliced(all, (a, b) => {
          const x = times[a];
          const y = times[b];
          if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return byId(a, b);
          if (Number.isNaN(x)) return 1;
          if (Number.isNaN(y)) return -1;
          return x - y;
        }, this.slicer());
      }
    }
  }

  /**
   * Marks the records that pass every criterion in a byte per record, each
   * criterion a tight pass over a column (q: indexOf over all folded names at
   * once), then keeps the marked ones in sort order.
   */
  private async filter(filter: ListingFilter, order: Uint32Array): Promise<Uint32Array> {
    const { q, statuses, types, plans, createdFrom, createdTo } = filter;
    if (q === undefined && statuses === undefined && types === undefined && plans === undefined && createdFrom === undefined && createdTo === undefined) {
      return order;
    }
    const searchText = q === undefined ? undefined : await this.searchText();
    const scratch = this.scratch ?? { keep: new Uint8Array(this.records.length), selected: new Uint32Array(this.records.length) };
    // Taken while this filter runs: another one meanwhile allocates its own.
    this.scratch = undefined;
    try {
      return await this.filterInto(scratch, filter, order, searchText);
    } finally {
      this.scratch = scratch;
    }
  }

  private async filterInto({ keep, selected }: FilterScratch, filter: ListingFilter, order: Uint32Array, searchText: SearchText | undefined): Promise<Uint32Array> {
    const { q, statuses, types, plans, createdFrom, createdTo } = filter;
    const slicer = new TimeSlicer();
    const n = this.records.length;
    if (q === undefined || searchText === undefined) keep.fill(1);
    else this.matchName(q, searchText, keep);
    const narrow = (passes: (position: number) => boolean): Promise<void> =>
      forEachSliced(
        n,
        (from, to) => {
          for (let p = from; p < to; p++) if (keep[p] === 1 && !passes(p)) keep[p] = 0;
        },
        slicer,
        CHECK_EVERY * 16,
      );
    if (statuses !== undefined || types !== undefined || plans !== undefined) {
      const codes = await this.codes();
      if (statuses !== undefined) {
        const wanted = new Uint8Array(SUB_ORG_STATUSES.length);
        for (const status of statuses) wanted[SUB_ORG_STATUSES.indexOf(status)] = 1;
        await narrow((p) => wanted[codes.status[p]] === 1);
      }
      if (types !== undefined) {
        const wanted = new Uint8Array(SUB_ORG_TYPES.length);
        for (const type of types) wanted[SUB_ORG_TYPES.indexOf(type)] = 1;
        await narrow((p) => codes.type[p] !== NO_CODE && wanted[codes.type[p]] === 1);
      }
      if (plans !== undefined) {
        const wanted = new Set([...plans].map((plan) => codes.planIds.get(plan)).filter((code) => code !== undefined));
        await narrow((p) => wanted.has(codes.plan[p]));
      }
    }
    if (createdFrom !== undefined || createdTo !== undefined) {
      const times = await this.createdTimeColumn();
      // NaN (no createdAt) fails both comparisons, so such records never match a date range.
      if (createdFrom !== undefined) await narrow((p) => times[p] >= createdFrom);
      if (createdTo !== undefined) await narrow((p) => times[p] <= createdTo);
    }
    let count = 0;
    for (let i = 0; i < order.length; i++) if (keep[order[i]] === 1) selected[count++] = order[i];
    return selected.slice(0, count);
  }

  /** Marks the records whose folded name contains `q`: one indexOf sweep, each hit mapped to its record by binary search. */
  private matchName(q: string, { text, starts }: SearchText, keep: Uint8Array): void {
    keep.fill(0);
    if (q.includes(NAME_SEPARATOR)) return;
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
  }
}

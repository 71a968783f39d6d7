import type { Snapshot } from '../domain/snapshot.js';
import { SUB_ORG_STATUSES, SUB_ORG_TYPES, type SubOrg } from '../domain/sub-org.js';
import { CHECK_EVERY, TimeSlicer, forEachSliced, sortSliced } from '../runtime/time-slicer.js';
import { type FacetBucket, type IndexFacets, emptyIndexFacets } from './facets.js';
import { type FacetField, type ListingFilter, type SortKey, type SortOption, TIME_FIELDS, type TimeField, isDescending, sortFieldOf } from './listing-query.js';
import { foldForSearch, nameSortKey } from './name-folding.js';

const SELECTION_MEMO_SIZE = 32;
const NO_CODE = 255;
/** hasSubOrgs codes. */
const FALSE = 0;
const TRUE = 1;
const UNKNOWN = 2;
/** Joins the texts `q` and `ownerEmail` are searched in; never part of a folded text itself. */
const SEPARATOR = '\u0000';

type Primary = string | number | null;

/** Every folded text, each followed by SEPARATOR, and where each starts: a search is one indexOf sweep over it. */
interface SearchText {
  readonly text: string;
  readonly starts: Uint32Array;
}

/** Marks per record and room for every position: what one filter works in. */
interface FilterScratch {
  readonly keep: Uint8Array;
  readonly selected: Uint32Array;
  readonly nameHits: Uint8Array;
  readonly emailHits: Uint8Array;
}

/** Values seen in a column, each given a code (0 is "no value"), with the spelling first seen. */
interface Dictionary {
  readonly codes: Map<string, number>;
  /** Code → the key it was looked up by (index 0 unused). */
  readonly keys: string[];
  /** Code → the value as first seen (index 0 unused). */
  readonly values: string[];
}

interface Codes {
  readonly status: Uint8Array;
  readonly type: Uint8Array;
  readonly hasSubOrgs: Uint8Array;
  /** Plans by their lower-cased spelling: plan matching ignores case. */
  readonly plan: Uint32Array;
  readonly plans: Dictionary;
  readonly parent: Uint32Array;
  readonly parents: Dictionary;
}

/** A bit per facet field: which facet criteria a record fails. */
const FACET_BITS: Readonly<Record<FacetField, number>> = { provider: 1, status: 2, type: 4, plan: 8, parentId: 16 };

/** One filter criterion as a test per position; facet criteria say which facet they belong to. */
interface Criterion {
  readonly facet: FacetField | undefined;
  readonly passes: (position: number) => boolean;
}

/** Epoch milliseconds of a record's timestamp, NaN when there is none. */
function timeOf(record: SubOrg, field: TimeField): number {
  const timestamp = field === 'createdAt' ? record.createdAt : field === 'updatedAt' ? record.updatedAt : (record.contract?.endsAt ?? null);
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

function dictionaryCode(dictionary: Dictionary, key: string, value: string): number {
  let code = dictionary.codes.get(key);
  if (code === undefined) {
    code = dictionary.values.length;
    dictionary.codes.set(key, code);
    dictionary.keys.push(key);
    dictionary.values.push(value);
  }
  return code;
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
 * keys, folded names and emails for substring search, timestamps, codes for
 * status, type, plan, parent and hasSubOrgs, ids to positions, each sort
 * order as positions, and a memo of recent filter results. Each column is
 * built on first use, in time slices, and kept: a cold default listing pays
 * for name keys and the name order only, and never-seen query shapes over
 * 100k records cost typed-array passes, not object filters and sorts. The
 * index lives and dies with its snapshot.
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
  private readonly times: Partial<Record<TimeField, Float64Array>> = {};

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

  get provider(): string {
    return this.snapshot.provider;
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
    const field = sortFieldOf(sort);
    if (field === 'name') return this.nameKeys[position];
    const time = this.times[field]![position];
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
   * Disjunctive facet counts: for each requested field, the values of the
   * records that pass every criterion except the one on that field. One pass:
   * a record failing no facet criterion counts for every facet, one failing
   * exactly one counts for that facet only. `selected` says whether the
   * request's provider filter keeps this snapshot's provider.
   */
  async facets(filter: ListingFilter, fields: readonly FacetField[], selected: boolean): Promise<IndexFacets> {
    const wanted = new Set(fields);
    const result = emptyIndexFacets();
    if (wanted.size === 0) return result;
    const codes = await this.codes();
    const scratch = this.takeScratch();
    try {
      const criteria = await this.criteria(filter, scratch);
      const tests = criteria.map((criterion) => ({ bit: criterion.facet === undefined ? 0 : FACET_BITS[criterion.facet], passes: criterion.passes }));
      const { provider: PROVIDER, status: STATUS, type: TYPE, plan: PLAN, parentId: PARENT } = FACET_BITS;
      const status = new Float64Array(SUB_ORG_STATUSES.length);
      const type = new Float64Array(SUB_ORG_TYPES.length + 1);
      const plan = new Float64Array(codes.plans.values.length);
      const parent = new Float64Array(codes.parents.values.length);
      let provider = 0;
      const counts = { status: wanted.has('status'), type: wanted.has('type'), plan: wanted.has('plan'), parentId: wanted.has('parentId'), provider: wanted.has('provider') };
      await forEachSliced(
        this.records.length,
        (from, to) => {
          for (let p = from; p < to; p++) {
            let fails = selected ? 0 : PROVIDER;
            let out = false;
            for (const { bit, passes } of tests) {
              if (passes(p)) continue;
              if (bit === 0) {
                out = true;
                break;
              }
              fails |= bit;
            }
            // Failing another criterion, or two facet criteria, a record counts nowhere; failing one, only for that facet.
            if (out || (fails & (fails - 1)) !== 0) continue;
            if (counts.provider && (fails === 0 || fails === PROVIDER)) provider++;
            if (counts.status && (fails === 0 || fails === STATUS)) status[codes.status[p]]++;
            if (counts.type && (fails === 0 || fails === TYPE)) type[codes.type[p] === NO_CODE ? SUB_ORG_TYPES.length : codes.type[p]]++;
            if (counts.plan && (fails === 0 || fails === PLAN)) plan[codes.plan[p]]++;
            if (counts.parentId && (fails === 0 || fails === PARENT)) parent[codes.parent[p]]++;
          }
        },
        new TimeSlicer(),
        CHECK_EVERY * 16,
      );
      const tally = (into: Map<string | null, FacetBucket>, key: string | null, value: string | null, count: number): void => {
        if (count > 0) into.set(key, { value, count });
      };
      if (counts.provider) tally(result.provider, this.provider, this.provider, provider);
      SUB_ORG_STATUSES.forEach((value, code) => tally(result.status, value, value, status[code]));
      SUB_ORG_TYPES.forEach((value, code) => tally(result.type, value, value, type[code]));
      tally(result.type, null, null, type[SUB_ORG_TYPES.length]);
      plan.forEach((count, code) => tally(result.plan, code === 0 ? null : codes.plans.keys[code], code === 0 ? null : codes.plans.values[code], count));
      parent.forEach((count, code) => tally(result.parentId, code === 0 ? null : codes.parents.values[code], code === 0 ? null : codes.parents.values[code], count));
      return result;
    } finally {
      this.scratch = scratch;
    }
  }

  /**
   * Builds every column not built yet, in the background and in short
   * slices: called once a listing's sources are in, so the query shapes that
   * follow find their columns ready instead of building them.
   */
  warm(): Promise<void> {
    this.warming ??= (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      this.sliceMs = BACKGROUND_SLICE_MS;
      // One column at a time, most wanted first: a query that needs a column not built yet builds
      // it alongside, and shares the CPU with one background column rather than with all of them.
      await this.codes();
      await this.searchText();
      for (const sort of ['name', 'createdAt', '-name', '-createdAt', 'updatedAt', '-updatedAt', 'contractEndsAt', '-contractEndsAt'] as const) await this.order(sort);
      await this.idOrder();
      await this.emailText();
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

  private takeScratch(): FilterScratch {
    const n = this.records.length;
    const scratch = this.scratch ?? { keep: new Uint8Array(n), selected: new Uint32Array(n), nameHits: new Uint8Array(n), emailHits: new Uint8Array(n) };
    // Taken while one filter runs: another one meanwhile allocates its own.
    this.scratch = undefined;
    return scratch;
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

  private timeColumn(field: TimeField): Promise<Float64Array> {
    return this.column(`times:${field}`, async () => {
      const times = new Float64Array(this.records.length);
      await perRecord(this.records, (record, i) => (times[i] = timeOf(record, field)), this.slicer());
      this.times[field] = times;
      return times;
    });
  }

  private searchText(): Promise<SearchText> {
    return this.column('searchText', () => this.textColumn((record) => foldForSearch(record.name)));
  }

  private emailText(): Promise<SearchText> {
    return this.column('emailText', () => this.textColumn((record) => (record.ownerEmail ?? '').toLowerCase()));
  }

  private async textColumn(textOf: (record: SubOrg) => string): Promise<SearchText> {
    const texts: string[] = [];
    const starts = new Uint32Array(this.records.length + 1);
    let offset = 0;
    await perRecord(
      this.records,
      (record, i) => {
        const text = textOf(record).replaceAll(SEPARATOR, ' ');
        texts.push(text, SEPARATOR);
        starts[i] = offset;
        offset += text.length + 1;
      },
      this.slicer(),
    );
    starts[this.records.length] = offset;
    return { text: texts.join(''), starts };
  }

  private codes(): Promise<Codes> {
    return this.column('codes', async () => {
      const n = this.records.length;
      const codes: Codes = {
        status: new Uint8Array(n),
        type: new Uint8Array(n),
        hasSubOrgs: new Uint8Array(n),
        plan: new Uint32Array(n),
        plans: { codes: new Map(), keys: [''], values: [''] },
        parent: new Uint32Array(n),
        parents: { codes: new Map(), keys: [''], values: [''] },
      };
      await perRecord(
        this.records,
        (record, i) => {
          codes.status[i] = SUB_ORG_STATUSES.indexOf(record.status);
          codes.type[i] = record.type === null ? NO_CODE : SUB_ORG_TYPES.indexOf(record.type);
          codes.hasSubOrgs[i] = record.hasSubOrgs === null ? UNKNOWN : record.hasSubOrgs ? TRUE : FALSE;
          codes.plan[i] = record.plan === null ? 0 : dictionaryCode(codes.plans, record.plan.toLowerCase(), record.plan);
          codes.parent[i] = record.parentId === null ? 0 : dictionaryCode(codes.parents, record.parentId, record.parentId);
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
    const field = sortFieldOf(sort);
    if (isDescending(sort)) {
      const ascending = field as SortOption;
      return descendingFrom(await this.order(ascending), (position) => this.primaryAt(ascending, position));
    }
    const all = Uint32Array.from(this.records.keys());
    const ids = this.records.map((record) => record.id);
    const byId = (a: number, b: number): number => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0);
    if (field === 'name') {
      const keys = await this.nameKeyColumn();
      return sortSliced(all, (a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : byId(a, b)), this.slicer());
    }
    const times = await this.timeColumn(field);
    return sortSliced(
      all,
      (a, b) => {
        const x = times[a];
        const y = times[b];
        if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return byId(a, b);
        if (Number.isNaN(x)) return 1;
        if (Number.isNaN(y)) return -1;
        return x - y;
      },
      this.slicer(),
    );
  }

  /**
   * The filter's criteria as tests over columns (substring searches as marks
   * from one indexOf sweep each, into the scratch). Facet fields say which
   * facet a criterion belongs to; the provider criterion is the caller's.
   */
  private async criteria(filter: ListingFilter, scratch: FilterScratch): Promise<Criterion[]> {
    const { q, statuses, types, plans, parentIds, ownerEmail, hasSubOrgs, ranges } = filter;
    const criteria: Criterion[] = [];
    if (q !== undefined) {
      const hits = scratch.nameHits;
      this.mark(q, await this.searchText(), hits);
      criteria.push({ facet: undefined, passes: (p) => hits[p] === 1 });
    }
    if (ownerEmail !== undefined) {
      const hits = scratch.emailHits;
      this.mark(ownerEmail, await this.emailText(), hits);
      criteria.push({ facet: undefined, passes: (p) => hits[p] === 1 });
    }
    const codes = statuses !== undefined || types !== undefined || plans !== undefined || parentIds !== undefined || hasSubOrgs !== undefined ? await this.codes() : undefined;
    if (codes !== undefined) {
      if (statuses !== undefined) {
        const wanted = new Uint8Array(SUB_ORG_STATUSES.length);
        for (const status of statuses) wanted[SUB_ORG_STATUSES.indexOf(status)] = 1;
        criteria.push({ facet: 'status', passes: (p) => wanted[codes.status[p]] === 1 });
      }
      if (types !== undefined) {
        const wanted = new Uint8Array(SUB_ORG_TYPES.length);
        for (const type of types) wanted[SUB_ORG_TYPES.indexOf(type)] = 1;
        criteria.push({ facet: 'type', passes: (p) => codes.type[p] !== NO_CODE && wanted[codes.type[p]] === 1 });
      }
      if (plans !== undefined) {
        const wanted = new Set([...plans].map((plan) => codes.plans.codes.get(plan)).filter((code) => code !== undefined));
        criteria.push({ facet: 'plan', passes: (p) => wanted.has(codes.plan[p]) });
      }
      if (parentIds !== undefined) {
        const wanted = new Set([...parentIds].map((id) => codes.parents.codes.get(id)).filter((code) => code !== undefined));
        criteria.push({ facet: 'parentId', passes: (p) => wanted.has(codes.parent[p]) });
      }
      if (hasSubOrgs !== undefined) {
        const wanted = hasSubOrgs ? TRUE : FALSE;
        criteria.push({ facet: undefined, passes: (p) => codes.hasSubOrgs[p] === wanted });
      }
    }
    for (const field of TIME_FIELDS) {
      const range = ranges[field];
      if (range === undefined) continue;
      const times = await this.timeColumn(field);
      const from = range.from ?? Number.NEGATIVE_INFINITY;
      const to = range.to ?? Number.POSITIVE_INFINITY;
      // NaN (no value) fails both comparisons, so such records never match a range.
      criteria.push({ facet: undefined, passes: (p) => times[p] >= from && times[p] <= to });
    }
    return criteria;
  }

  /** Keeps the positions of `order` that pass every criterion of `filter`, in order. */
  private async filter(filter: ListingFilter, order: Uint32Array): Promise<Uint32Array> {
    const scratch = this.takeScratch();
    try {
      const criteria = await this.criteria(filter, scratch);
      if (criteria.length === 0) return order;
      const { keep, selected } = scratch;
      keep.fill(1);
      const slicer = new TimeSlicer();
      for (const { passes } of criteria) {
        await forEachSliced(
          this.records.length,
          (from, to) => {
            for (let p = from; p < to; p++) if (keep[p] === 1 && !passes(p)) keep[p] = 0;
          },
          slicer,
          CHECK_EVERY * 16,
        );
      }
      let count = 0;
      for (let i = 0; i < order.length; i++) if (keep[order[i]] === 1) selected[count++] = order[i];
      return selected.slice(0, count);
    } finally {
      this.scratch = scratch;
    }
  }

  /** Marks the records whose text contains `needle`: one indexOf sweep, each hit mapped to its record by binary search. */
  private mark(needle: string, { text, starts }: SearchText, hits: Uint8Array): void {
    hits.fill(0);
    if (needle.includes(SEPARATOR)) return;
    let from = text.indexOf(needle);
    while (from !== -1) {
      let low = 0;
      let high = this.records.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >>> 1;
        if (starts[middle] <= from) low = middle;
        else high = middle - 1;
      }
      hits[low] = 1;
      from = text.indexOf(needle, starts[low + 1]);
    }
  }
}

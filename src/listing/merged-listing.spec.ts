import { snapshotOf, subOrg } from '../../test/support/sub-org-factory.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { SubOrg } from '../domain/sub-org.js';
import { type ListingFilter, type SortKey, type SortOption, compareKeys } from './listing-query.js';
import { MergedListing, querySignature } from './merged-listing.js';
import { foldForSearch } from './name-folding.js';
import { SnapshotIndex } from './snapshot-index.js';

const noFilter: ListingFilter = {
  providers: ['invent', 'bv'],
  q: undefined,
  statuses: undefined,
  types: undefined,
  plans: undefined,
  parentIds: undefined,
  ownerEmail: undefined,
  hasSubOrgs: undefined,
  ranges: {},
};

async function listing(snapshots: Snapshot[], sort: SortOption, filter: ListingFilter = noFilter): Promise<MergedListing> {
  return MergedListing.of(snapshots.map((snapshot) => SnapshotIndex.of(snapshot)), filter, sort, querySignature(filter, sort));
}

async function ids(snapshots: Snapshot[], sort: SortOption, filter: ListingFilter = noFilter, pageSize = 100, offset = 0): Promise<string[]> {
  const window = await (await listing(snapshots, sort, filter)).cut({ offset }, pageSize);
  return window.entries.map((entry) => entry.index.records[entry.position].id);
}

/** Walks every page by cursor and returns the ids in the order seen. */
async function walkByCursor(snapshotsAt: (pageNumber: number) => Snapshot[], sort: SortOption, pageSize: number, filter = noFilter): Promise<string[]> {
  const seen: string[] = [];
  let after: SortKey | undefined;
  for (let pageNumber = 0; pageNumber < 1000; pageNumber++) {
    const merged = await listing(snapshotsAt(pageNumber), sort, filter);
    const window = await merged.cut(after === undefined ? { offset: 0 } : { after }, pageSize);
    seen.push(...window.entries.map((entry) => entry.index.records[entry.position].id));
    if (window.nextKey === undefined) return seen;
    after = window.nextKey;
  }
  throw new Error('cursor walk did not end');
}

const invent = snapshotOf('invent', [
  subOrg('invent', 'i1', { name: 'zebra', createdAt: '2024-03-01T00:00:00.000Z', plan: 'free' }),
  subOrg('invent', 'i2', { name: 'Zürich Ärzte', createdAt: '2023-01-01T00:00:00.000Z', plan: 'business' }),
  subOrg('invent', 'i3', { name: 'acme', createdAt: null, plan: 'FREE' }),
  subOrg('invent', 'i4', { name: 'Acme', createdAt: '2025-01-01T00:00:00.000Z' }),
]);
const bv = snapshotOf('bv', [
  subOrg('bv', 'b1', { name: 'Zurich Media', type: 'reseller', status: 'inactive', createdAt: '2024-06-01T00:00:00.000Z', plan: 'BVONE' }),
  subOrg('bv', 'b2', { name: 'ÅKERS', type: 'business', status: 'pending', createdAt: null }),
  subOrg('bv', 'b3', { name: 'acme', type: 'root', status: 'active', createdAt: '2022-01-01T00:00:00.000Z' }),
]);

describe('MergedListing', () => {
  it('sorts by name ignoring case and accents, ties broken by id', async () => {
    expect(await ids([invent, bv], 'name')).toEqual(['bv:b3', 'invent:i3', 'invent:i4', 'bv:b2', 'invent:i1', 'invent:i2', 'bv:b1']);
  });

  it('sorts by name descending with ties still by id ascending', async () => {
    expect(await ids([invent, bv], '-name')).toEqual(['bv:b1', 'invent:i2', 'invent:i1', 'bv:b2', 'bv:b3', 'invent:i3', 'invent:i4']);
  });

  it('sorts by createdAt both ways with records lacking it last', async () => {
    expect(await ids([invent, bv], 'createdAt')).toEqual(['bv:b3', 'invent:i2', 'invent:i1', 'bv:b1', 'invent:i4', 'bv:b2', 'invent:i3']);
    expect(await ids([invent, bv], '-createdAt')).toEqual(['invent:i4', 'bv:b1', 'invent:i1', 'invent:i2', 'bv:b3', 'bv:b2', 'invent:i3']);
  });

  it('matches q as a case-insensitive, Unicode-aware substring', async () => {
    expect(await ids([invent, bv], 'name', { ...noFilter, q: foldForSearch('ZÜRICH') })).toEqual(['invent:i2']);
    expect(await ids([invent, bv], 'name', { ...noFilter, q: foldForSearch('rich') })).toEqual(['invent:i2', 'bv:b1']);
    expect(await ids([invent, bv], 'name', { ...noFilter, q: foldForSearch('åkers') })).toEqual(['bv:b2']);
  });

  it('never lets q match across two names', async () => {
    const pair = snapshotOf('invent', [subOrg('invent', 'x1', { name: 'ab' }), subOrg('invent', 'x2', { name: 'cd' })]);
    expect(await ids([pair], 'name', { ...noFilter, q: 'bc' })).toEqual([]);
    expect(await ids([pair], 'name', { ...noFilter, q: 'b\u0000c' })).toEqual([]);
  });

  it('applies status, type, plan and date filters together, any-of within each', async () => {
    expect(await ids([invent, bv], 'name', { ...noFilter, statuses: new Set(['pending', 'inactive'] as const) })).toEqual(['bv:b2', 'bv:b1']);
    expect(await ids([invent, bv], 'name', { ...noFilter, types: new Set(['root', 'reseller'] as const) })).toEqual(['bv:b3', 'bv:b1']);
    expect(await ids([invent, bv], 'name', { ...noFilter, plans: new Set(['free']) })).toEqual(['invent:i3', 'invent:i1']);
    const range = { ...noFilter, ranges: { createdAt: { from: Date.parse('2023-01-01T00:00:00Z'), to: Date.parse('2024-06-01T00:00:00Z') } } };
    expect(await ids([invent, bv], 'createdAt', range)).toEqual(['invent:i2', 'invent:i1', 'bv:b1']);
    expect(await ids([invent, bv], 'createdAt', { ...range, statuses: new Set(['active'] as const) })).toEqual(['invent:i2', 'invent:i1']);
  });

  it('cuts pages by offset and reports the totals', async () => {
    const merged = await listing([invent, bv], 'name');
    const window = await merged.cut({ offset: 3 }, 2);
    expect(window.entries.map((e) => e.index.records[e.position].id)).toEqual(['bv:b2', 'invent:i1']);
    expect(window.totalItems).toBe(7);
    expect(window.startIndex).toBe(3);
    expect(window.nextKey).toEqual({ value: 'zebra', id: 'invent:i1' });
    const last = await merged.cut({ offset: 6 }, 2);
    expect(last.entries).toHaveLength(1);
    expect(last.nextKey).toBeUndefined();
    expect((await merged.cut({ offset: 70 }, 2)).entries).toHaveLength(0);
  });

  describe('cursor walks', () => {
    const many = (provider: string, count: number, offset = 0): SubOrg[] =>
      Array.from({ length: count }, (_, i) =>
        subOrg(provider, `${provider}${String(i + offset).padStart(4, '0')}`, {
          name: `Org ${(i * 7919) % 97}`,
          createdAt: i % 5 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + ((i * 104729) % 1000) * 86_400_000).toISOString(),
        }),
      );
    const a = snapshotOf('invent', many('invent', 230));
    const b = snapshotOf('bv', many('bv', 170));

    it.each(['name', '-name', 'createdAt', '-createdAt'] as const)('returns every record exactly once sorted by %s', async (sort) => {
      const walked = await walkByCursor(() => [a, b], sort, 33);
      expect(walked).toHaveLength(400);
      expect(new Set(walked).size).toBe(400);
      expect(walked).toEqual(await ids([a, b], sort, noFilter, 400));
    });

    it('never repeats or skips a surviving record when the data changes between pages', async () => {
      const before = await ids([a, b], 'name', noFilter, 400);
      const removed = new Set(before.filter((_, i) => i % 11 === 3));
      const added = many('bv', 40, 5000);
      const changedA = snapshotOf('invent', a.records.filter((record) => !removed.has(record.id)));
      const changedB = snapshotOf('bv', [...b.records.filter((record) => !removed.has(record.id)), ...added]);
      const pageSize = 25;
      const walked = await walkByCursor((page) => (page < 4 ? [a, b] : [changedA, changedB]), 'name', pageSize);

      expect(new Set(walked).size).toBe(walked.length);
      const firstPages = walked.slice(0, 4 * pageSize);
      expect(firstPages).toEqual(before.slice(0, 4 * pageSize));
      const lastSeen = firstPages[firstPages.length - 1];
      expect(removed.has(lastSeen)).toBe(false);
      // After the change the walk continues with exactly the new data's records that sort after the cursor.
      const after = await ids([changedA, changedB], 'name', noFilter, 1000);
      expect(walked.slice(4 * pageSize)).toEqual(after.slice(after.indexOf(lastSeen) + 1));
      expect(walked.some((id) => removed.has(id) && !firstPages.includes(id))).toBe(false);
      expect(walked.filter((id) => id.startsWith('bv:bv5')).length).toBeGreaterThan(0);
    });
  });
});

describe('SnapshotIndex orders at scale', () => {
  it('orders 20k records exactly like a plain sort, in every direction, deep offsets included', async () => {
    const records = Array.from({ length: 20_000 }, (_, i) =>
      subOrg('mixed', `r${(i * 7919) % 20_000}`, {
        name: `N${(i * 104729) % 500}`,
        createdAt: i % 7 === 0 ? null : new Date(Date.UTC(2020, 0, 1) + ((i * 31) % 900) * 86_400_000).toISOString(),
      }),
    );
    const half = (part: number): Snapshot => snapshotOf(`p${part}`, records.filter((_, i) => i % 2 === part));
    const snapshots = [half(0), half(1)];
    for (const sort of ['name', '-name', 'createdAt', '-createdAt'] as const) {
      const indexes = snapshots.map((snapshot) => SnapshotIndex.of(snapshot));
      await (await listing(snapshots, sort)).cut({ offset: 0 }, 1);
      const keyed = indexes.flatMap((index) => index.records.map((record, position) => ({ id: record.id, key: index.keyAt(sort, position) })));
      const expected = keyed.sort((x, y) => compareKeys(sort, x.key, y.key)).map((entry) => entry.id);
      expect(await ids(snapshots, sort, noFilter, records.length)).toEqual(expected);
      expect(await ids(snapshots, sort, noFilter, 10, 15_000)).toEqual(expected.slice(15_000, 15_010));
    }
  });
});

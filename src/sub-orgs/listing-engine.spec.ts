import { snapshotOf, subOrg } from '../../test/support/sub-org-factory.js';
import type { ProviderSnapshot } from '../cache/provider-snapshot.js';
import { cutPage, mergedListing } from './listing-engine.js';
import type { ListingFilter, SortOption } from './listing-query.js';
import { SnapshotIndex } from './snapshot-index.js';
import type { SortKey } from './sort-order.js';
import { SearchKeysBuilder, compareKeys, createdTime, foldForSearch, nameSortKey, searchableName } from './sort-order.js';
import type { SubOrg } from './sub-org.model.js';

const noFilter: ListingFilter = {
  providers: ['invent', 'bv'],
  q: undefined,
  statuses: undefined,
  types: undefined,
  plans: undefined,
  createdFrom: undefined,
  createdTo: undefined,
};

async function listing(snapshots: ProviderSnapshot[], sort: SortOption, filter: ListingFilter = noFilter) {
  return mergedListing(await Promise.all(snapshots.map((s) => SnapshotIndex.of(s))), filter, sort);
}

async function ids(snapshots: ProviderSnapshot[], sort: SortOption, filter: ListingFilter = noFilter, pageSize = 100, offset = 0): Promise<string[]> {
  const window = await cutPage(await listing(snapshots, sort, filter), sort, { offset }, pageSize);
  return window.entries.map((entry) => entry.index.items[entry.position].id);
}

/** Walks every page by cursor and returns the ids in the order seen. */
async function walkByCursor(snapshotsAt: (pageNumber: number) => ProviderSnapshot[], sort: SortOption, pageSize: number, filter = noFilter): Promise<string[]> {
  const seen: string[] = [];
  let after: SortKey | undefined;
  for (let pageNumber = 0; pageNumber < 1000; pageNumber++) {
    const merged = await listing(snapshotsAt(pageNumber), sort, filter);
    const window = await cutPage(merged, sort, after === undefined ? { offset: 0 } : { after }, pageSize);
    seen.push(...window.entries.map((entry) => entry.index.items[entry.position].id));
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

describe('mergedListing', () => {
  const collectGarbage = async (): Promise<void> => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) throw new Error('run jest with NODE_OPTIONS=--expose-gc (npm test does)');
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
  };

  it('lets a replaced snapshot go once its provider has a newer one', async () => {
    const records = (tag: string): SubOrg[] => Array.from({ length: 50 }, (_, i) => subOrg('bv', `${tag}${i}`, { name: `org ${i}` }));
    let replaced: ProviderSnapshot | undefined = snapshotOf('bv', records('old'));
    const gone = new WeakRef(replaced);
    for (const sort of ['name', '-createdAt'] as const) await ids([invent, replaced], sort);
    replaced = undefined;
    const newer = snapshotOf('bv', records('new'));
    expect(await ids([invent, newer], 'name')).toContain('bv:new0');
    await collectGarbage();
    expect(gone.deref()).toBeUndefined();
  });

  it('answers a request still holding a replaced snapshot, without keeping that answer', async () => {
    let replaced: ProviderSnapshot | undefined = snapshotOf('bv', [subOrg('bv', 'replaced', { name: 'replaced' })]);
    const gone = new WeakRef(replaced);
    await SnapshotIndex.of(replaced);
    const current = snapshotOf('bv', [subOrg('bv', 'current', { name: 'current' })]);
    expect(await ids([current], 'name')).toEqual(['bv:current']);
    expect(await ids([replaced], 'name')).toEqual(['bv:replaced']);
    replaced = undefined;
    await collectGarbage();
    expect(gone.deref()).toBeUndefined();
  });
});

describe('cutPage', () => {
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
    const filter = { ...noFilter, q: foldForSearch('ZÜRICH') };
    expect(await ids([invent, bv], 'name', filter)).toEqual(['invent:i2']);
    expect(await ids([invent, bv], 'name', { ...noFilter, q: foldForSearch('rich') })).toEqual(['invent:i2', 'bv:b1']);
    expect(await ids([invent, bv], 'name', { ...noFilter, q: foldForSearch('åkers') })).toEqual(['bv:b2']);
  });

  it('applies status, type, plan and date filters together, any-of within each', async () => {
    expect(await ids([invent, bv], 'name', { ...noFilter, statuses: new Set(['pending', 'inactive'] as const) })).toEqual(['bv:b2', 'bv:b1']);
    expect(await ids([invent, bv], 'name', { ...noFilter, types: new Set(['root', 'reseller'] as const) })).toEqual(['bv:b3', 'bv:b1']);
    expect(await ids([invent, bv], 'name', { ...noFilter, plans: new Set(['free']) })).toEqual(['invent:i3', 'invent:i1']);
    const range = { ...noFilter, createdFrom: Date.parse('2023-01-01T00:00:00Z'), createdTo: Date.parse('2024-06-01T00:00:00Z') };
    expect(await ids([invent, bv], 'createdAt', range)).toEqual(['invent:i2', 'invent:i1', 'bv:b1']);
    const both = { ...range, statuses: new Set(['active'] as const) };
    expect(await ids([invent, bv], 'createdAt', both)).toEqual(['invent:i2', 'invent:i1']);
  });

  it('cuts pages by offset and reports the totals', async () => {
    const merged = await listing([invent, bv], 'name');
    const window = await cutPage(merged, 'name', { offset: 3 }, 2);
    expect(window.entries.map((e) => e.index.items[e.position].id)).toEqual(['bv:b2', 'invent:i1']);
    expect(window.totalItems).toBe(7);
    expect(window.startIndex).toBe(3);
    expect(window.nextKey).toEqual({ value: 'zebra', id: 'invent:i1' });
    const last = await cutPage(merged, 'name', { offset: 6 }, 2);
    expect(last.entries).toHaveLength(1);
    expect(last.nextKey).toBeUndefined();
    expect((await cutPage(merged, 'name', { offset: 70 }, 2)).entries).toHaveLength(0);
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
      const changedA = snapshotOf('invent', a.items.filter((item) => !removed.has(item.id)));
      const changedB = snapshotOf('bv', [...b.items.filter((item) => !removed.has(item.id)), ...added]);
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

describe('an index over search keys made during the walk', () => {
  it('answers q and every sort exactly as one that works the keys out itself', async () => {
    const items = [...invent.items, subOrg('invent', 'i5', { name: 'Straße\u0000Süd', createdAt: '2021-02-03T04:05:06.000Z' })];
    const builder = new SearchKeysBuilder(true);
    items.forEach((item, i) => {
      builder.add(searchableName(item.name), nameSortKey(item.name), createdTime(item.createdAt), item.id);
      if (i % 2 === 1) builder.endPage();
    });
    const walked: ProviderSnapshot = { ...snapshotOf('invent', items), searchKeys: builder.build() };
    const stored = snapshotOf('invent', items);
    for (const sort of ['name', '-name', 'createdAt', '-createdAt'] as const) {
      for (const q of [undefined, 'zur', 'strasse', 'e s', 'acme']) {
        const filter = { ...noFilter, q: q === undefined ? undefined : foldForSearch(q) };
        expect(await ids([walked], sort, filter)).toEqual(await ids([stored], sort, filter));
      }
    }
    expect(await ids([walked], 'name', { ...noFilter, q: 'e s' })).toEqual(['invent:i5']);
  });
});

describe('the name order put together during a walk', () => {
  it('equals the order the index sorts itself, page sizes, equal names and separators included', async () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const names = ['Zürich', 'zurich', 'Acme', 'acme\u0000x', 'Ωmega', 'Straße', 'strasse', 'b', 'B'];
    const items = Array.from({ length: 5000 }, (_, i) => subOrg('bv', `r${Math.floor(random() * 1e9)}-${i}`, { name: `${names[i % names.length]} ${Math.floor(random() * 40)}` }));
    const builder = new SearchKeysBuilder(true);
    let pageEnd = 0;
    items.forEach((item, i) => {
      builder.add(searchableName(item.name), nameSortKey(item.name), createdTime(item.createdAt), item.id);
      if (i === pageEnd) {
        builder.endPage();
        pageEnd += 1 + Math.floor(random() * 150);
      }
    });
    const walked = builder.build().nameOrder!;
    const sortedByIndex = await cutPage(await mergedListing([await SnapshotIndex.of(snapshotOf('bv', items))], noFilter, 'name'), 'name', { offset: 0 }, items.length);
    expect([...walked]).toEqual(sortedByIndex.entries.map((entry) => entry.position));
  });
});

describe('sortSliced and descending orders at scale', () => {
  it('orders 20k records exactly like a plain sort, in every direction', async () => {
    const items = Array.from({ length: 20_000 }, (_, i) =>
      subOrg(i % 2 ? 'bv' : 'invent', `r${(i * 7919) % 20_000}`, {
        name: `N${(i * 104729) % 500}`,
        createdAt: i % 7 === 0 ? null : new Date(Date.UTC(2020, 0, 1) + ((i * 31) % 900) * 86_400_000).toISOString(),
      }),
    );
    const snapshot = snapshotOf('mixed', items);
    for (const sort of ['name', '-name', 'createdAt', '-createdAt'] as const) {
      const index = await SnapshotIndex.of(snapshot);
      const expected = [...items.keys()].sort((a, b) => compareKeys(sort, index.keyAt(sort, a), index.keyAt(sort, b)));
      const merged = await mergedListing([index], noFilter, sort);
      const window = await cutPage(merged, sort, { offset: 0 }, items.length);
      expect(window.entries.map((entry) => entry.position)).toEqual(expected);
    }
  });
});

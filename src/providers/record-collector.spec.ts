import { Logger } from '@nestjs/common';
import { subOrg } from '../../test/support/sub-org-factory.js';
import { RawRecordReader } from '../cache/raw-records.js';
import { createdTime, nameSortKey, searchableName } from '../sub-orgs/sort-order.js';
import type { SubOrg } from '../sub-orgs/sub-org.model.js';
import type { MappingResult } from './mapping.js';
import { type PageReading, pageSearchKeys } from './page-reading.js';
import { type PreparedPage, RecordCollector } from './record-collector.js';

const ok = (record: SubOrg): MappingResult => ({ ok: true, subOrg: record });

function page(results: MappingResult[], withKeys = true): PageReading {
  const original = Buffer.from(JSON.stringify(results.map((result, i) => ({ at: i, id: result.ok ? result.subOrg.sourceId : null }))));
  return { mapped: results, ids: [], original, ...(withKeys ? { searchKeys: pageSearchKeys(results) } : {}) };
}

async function collect(pages: PageReading[]) {
  const collector = new RecordCollector('bv', new Logger('test'));
  for (const prepared of await Promise.all(pages.map((reading) => collector.prepare(reading)))) collector.addPage(prepared);
  return collector.finish(pages.length);
}

describe('RecordCollector', () => {
  const zurich = subOrg('bv', 'z', { name: 'Zürich Ärzte', createdAt: '2024-01-02T03:04:05.000Z' });
  const acme = subOrg('bv', 'a', { name: 'ACME\u0000Labs' });
  const omega = subOrg('bv', 'o', { name: 'Ωmega', createdAt: '2020-05-01T00:00:00.000Z' });

  it('keeps the index keys of exactly the records it keeps, in their order, past skips and duplicates', async () => {
    const result = await collect([page([ok(zurich), { ok: false, reason: 'record x: no name' }, ok(acme)]), page([ok(zurich), ok(omega)])]);
    expect(result.items.map((item) => item.id)).toEqual([zurich.id, acme.id, omega.id]);
    expect(result.skipped).toBe(2);
    const keys = result.searchKeys!;
    expect(keys.nameKeys).toEqual(result.items.map((item) => nameSortKey(item.name)));
    expect([...keys.createdTimes]).toEqual(result.items.map((item) => createdTime(item.createdAt)));
    const names = result.items.map((_, i) => keys.searchableText.slice(keys.nameStarts[i], keys.nameStarts[i + 1] - 1));
    expect(names).toEqual(result.items.map((item) => searchableName(item.name)));
    // Originals stay aligned with the kept records too.
    const reader = new RawRecordReader(result.raw);
    expect(result.items.map((_, i) => (reader.at(i) as { id: string }).id)).toEqual(['z', 'a', 'o']);
  });

  it('adds pages handed over in order even when their preparation finishes out of order', async () => {
    const collector = new RecordCollector('bv', new Logger('test'));
    let resolveFirst: (page: PreparedPage) => void = () => undefined;
    collector.addInOrder(new Promise<PreparedPage>((resolve) => (resolveFirst = resolve)));
    collector.addInOrder(collector.prepare(page([ok(omega)])));
    // The second page is ready first; it must still come after the first.
    await new Promise((resolve) => setTimeout(resolve, 5));
    resolveFirst(await collector.prepare(page([ok(zurich), ok(acme)])));
    const result = await collector.finishAdded(2);
    expect(result.items.map((item) => item.id)).toEqual([zurich.id, acme.id, omega.id]);
    expect(collector.receivedRecords).toBe(3);
  });

  it('fails the walk when a page handed over failed to prepare', async () => {
    const collector = new RecordCollector('bv', new Logger('test'));
    collector.addInOrder(Promise.reject(new Error('encoding failed')));
    collector.addInOrder(collector.prepare(page([ok(omega)])));
    await expect(collector.finishAdded(2)).rejects.toThrow('encoding failed');
  });

  it('leaves the keys to the index when any page came without them', async () => {
    const result = await collect([page([ok(zurich)]), page([ok(omega)], false)]);
    expect(result.items).toHaveLength(2);
    expect(result.searchKeys).toBeUndefined();
  });
});

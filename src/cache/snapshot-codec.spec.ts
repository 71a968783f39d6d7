import { snapshotOf, subOrg } from '../../test/support/sub-org-factory.js';
import { RawPageEncoder, RawRecordsBuilder, encodeRawRecords, rawRecordAt } from './raw-records.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.js';

describe('snapshot codec', () => {
  it('round-trips records, raw originals and metadata, across many lines and non-ASCII text', async () => {
    const items = Array.from({ length: 2503 }, (_, i) => subOrg('bv', `id-${i}`, { name: i % 3 ? `Zürich Ärzte ${i}` : `東京 ${i}`, balance: { credit: i, promoCredit: null, spentThisMonth: 0.5 } }));
    const snapshot = { ...snapshotOf('bv', items, 1_700_000_000_000), raw: encodeRawRecords(items.map((item) => ({ id: item.sourceId, nested: { name: item.name } }))), skipped: 3, pages: 26 };
    const decoded = await decodeSnapshot(await encodeSnapshot(snapshot));
    expect(decoded.items).toEqual(items);
    expect(decoded).toMatchObject({ provider: 'bv', fetchedAt: 1_700_000_000_000, skipped: 3, pages: 26, latencyMs: 1 });
    expect(rawRecordAt(decoded.raw, 2501)).toEqual({ id: 'id-2501', nested: { name: 'Zürich Ärzte 2501' } });
    expect(rawRecordAt(decoded.raw, 0)).toEqual({ id: 'id-0', nested: { name: '東京 0' } });
  });

  it('round-trips plain and deflated pages of originals', async () => {
    const items = Array.from({ length: 6 }, (_, i) => subOrg('invent', `m-${i}`, { name: `Zürich ${i}` }));
    const builder = new RawRecordsBuilder();
    const encoder = new RawPageEncoder(100);
    for (const half of [items.slice(0, 3), items.slice(3)]) {
      const page = builder.addPage(await encoder.encode(Buffer.from(JSON.stringify(half.map((item) => ({ id: item.sourceId, name: item.name }))), 'utf8')));
      half.forEach((_item, index) => builder.add(page, index));
    }
    const raw = builder.build();
    expect(raw.pages.map((page) => page.deflated)).toEqual([false, true]);
    const decoded = await decodeSnapshot(await encodeSnapshot({ ...snapshotOf('invent', items), raw }));
    expect(decoded.raw.pages.map((page) => page.deflated)).toEqual([false, true]);
    expect(items.map((_item, i) => rawRecordAt(decoded.raw, i))).toEqual(items.map((item) => ({ id: item.sourceId, name: item.name })));
  });

  it('round-trips an empty snapshot', async () => {
    const empty = snapshotOf('invent', []);
    expect((await decodeSnapshot(await encodeSnapshot(empty))).items).toEqual([]);
  });

  it('refuses a truncated payload', async () => {
    const payload = await encodeSnapshot(snapshotOf('invent', [subOrg('invent', 'a')]));
    await expect(decodeSnapshot(payload.subarray(0, payload.length - 8))).rejects.toThrow();
  });
});

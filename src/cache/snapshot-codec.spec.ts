import { snapshotOf, subOrg } from '../../test/support/sub-org-factory.js';
import { encodeRawRecords, rawRecordAt } from './raw-records.js';
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

  it('round-trips an empty snapshot', async () => {
    const empty = snapshotOf('invent', []);
    expect((await decodeSnapshot(await encodeSnapshot(empty))).items).toEqual([]);
  });

  it('refuses a truncated payload', async () => {
    const payload = await encodeSnapshot(snapshotOf('invent', [subOrg('invent', 'a')]));
    await expect(decodeSnapshot(payload.subarray(0, payload.length - 8))).rejects.toThrow();
  });
});

import { describe, expect, it } from '@jest/globals';
import { snapshotOf, subOrg } from '../../test/support/sub-org-factory.js';
import { SnapshotRejected, decodeSnapshot, encodeSnapshot } from './snapshot-codec.js';

const records = Array.from({ length: 2500 }, (_, i) => subOrg('bv', `org-${i}`, { name: `Org ${i}`, createdAt: '2024-05-01T00:00:00.000Z' }));

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof SnapshotRejected) return error.reason;
    throw error;
  }
  throw new Error('the payload was accepted');
}

describe('snapshot codec', () => {
  it('reads back what it wrote: records, originals and figures', async () => {
    const snapshot = snapshotOf('bv', records);
    const decoded = await decodeSnapshot(await encodeSnapshot(snapshot), 'bv', { maxBytes: 64 * 1024 * 1024 });
    expect(decoded.records).toEqual(snapshot.records);
    expect(Array.from(decoded.originals.pageOf)).toEqual(Array.from(snapshot.originals.pageOf));
    expect(decoded.originals.pages.map((page) => page.bytes.toString('utf8'))).toEqual(snapshot.originals.pages.map((page) => page.bytes.toString('utf8')));
    expect({ fetchedAt: decoded.fetchedAt, skipped: decoded.skipped, pages: decoded.pages }).toEqual({ fetchedAt: snapshot.fetchedAt, skipped: snapshot.skipped, pages: snapshot.pages });
  });

  it('refuses a payload that decodes past the size limit before parsing it', async () => {
    const payload = await encodeSnapshot(snapshotOf('bv', records));
    expect(await rejection(decodeSnapshot(payload, 'bv', { maxBytes: 10_000 }))).toBe('oversized');
  });

  it('refuses a fetchedAt beyond the clock skew, and one of another provider', async () => {
    const snapshot = { ...snapshotOf('bv', records), fetchedAt: Date.now() };
    const payload = await encodeSnapshot(snapshot);
    expect(await rejection(decodeSnapshot(payload, 'bv', { maxBytes: 64 * 1024 * 1024 }, snapshot.fetchedAt - 60_000))).toBe('timestamp');
    expect(await rejection(decodeSnapshot(payload, 'invent', { maxBytes: 64 * 1024 * 1024 }))).toBe('header');
  });

  it('refuses a record repeated under one id', async () => {
    const payload = await encodeSnapshot(snapshotOf('bv', [...records.slice(0, 10), records[3]]));
    expect(await rejection(decodeSnapshot(payload, 'bv', { maxBytes: 64 * 1024 * 1024 }))).toBe('records');
  });
});

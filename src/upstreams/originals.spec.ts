import { describe, expect, it } from '@jest/globals';
import { OriginalsBuilder, OriginalsEncoder, OriginalsReader, UnreadableOriginalsError } from './originals.js';

const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: `org-${from + i}`, name: `Org ${from + i}`, notes: 'x'.repeat(200) }));
const json = (records: unknown[]) => Buffer.from(JSON.stringify(records), 'utf8');

describe('originals', () => {
  it('keeps pages plain up to the budget, compresses the rest, and reads every record back', () => {
    const pages = [page(0, 50), page(50, 50), page(100, 50)];
    const encoder = new OriginalsEncoder(json(pages[0]).length);
    const builder = new OriginalsBuilder();
    const encoded = [];
    for (const records of pages) {
      const encodedPage = encoder.encode(json(records));
      encoded.push(encodedPage);
      const number = builder.addPage(encodedPage);
      records.forEach((_, index) => builder.add(number, index));
    }
    expect(encoded.map((p) => p.compressed)).toEqual([false, true, true]);
    expect(encoded[1].bytes.length).toBeLessThan(json(pages[1]).length / 4);
    // Each page owns its memory: a view would keep a larger allocation alive.
    for (const { bytes } of encoded) expect(bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength).toBe(true);

    const reader = new OriginalsReader(builder.build());
    expect(Array.from({ length: 150 }, (_, i) => reader.at(i))).toEqual(pages.flat());
  });

  it('refuses a page that does not decode instead of returning garbage', () => {
    const reader = new OriginalsReader({ pages: [{ bytes: Buffer.from('not zstd'), compressed: true }], pageOf: new Uint32Array(1), indexInPage: new Uint32Array(1) });
    expect(() => reader.at(0)).toThrow(UnreadableOriginalsError);
  });

  it('refuses a record read back that nests too deeply to serialise', () => {
    const depth = 10_000;
    const bytes = Buffer.from(`[{"id":"ok"},{"id":"deep","a":${'['.repeat(depth)}${']'.repeat(depth)}}]`);
    const reader = new OriginalsReader({ pages: [{ bytes, compressed: false }], pageOf: new Uint32Array(2), indexInPage: Uint32Array.from([0, 1]) });
    expect(reader.at(0)).toEqual({ id: 'ok' });
    expect(() => reader.at(1)).toThrow(UnreadableOriginalsError);
  });
});

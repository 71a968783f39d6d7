import { RawPageEncoder, RawRecordReader, RawRecordsBuilder, rawPageJson } from './raw-records.js';

const pageOf = (from: number, count: number): unknown[] => Array.from({ length: count }, (_, i) => ({ id: `r${from + i}`, name: `Zürich ${from + i}` }));
const json = (records: unknown[]): Buffer => Buffer.from(JSON.stringify(records), 'utf8');

describe('RawPageEncoder', () => {
  it('keeps pages as they are while the plain budget lasts, then deflates them', async () => {
    const pages = [pageOf(0, 50), pageOf(50, 50), pageOf(100, 50)];
    const first = json(pages[0]);
    const encoder = new RawPageEncoder(first.length + 10);
    const encoded = [];
    for (const page of pages) encoded.push(await encoder.encode(json(page)));
    expect(encoded.map((page) => page.deflated)).toEqual([false, true, true]);
    expect(encoded[0].bytes.equals(first)).toBe(true);
    expect(encoded[1].bytes.length).toBeLessThan(json(pages[1]).length / 2);
    for (const [i, page] of encoded.entries()) expect(JSON.parse(rawPageJson(page).toString('utf8'))).toEqual(pages[i]);
  });

  it('copies a plain page that is a view into a larger allocation, so it does not keep the rest alive', async () => {
    const socketRead = Buffer.alloc(64 * 1024);
    const bytes = json(pageOf(0, 3));
    bytes.copy(socketRead, 100);
    const view = socketRead.subarray(100, 100 + bytes.length);
    const page = await new RawPageEncoder().encode(view);
    expect(page.bytes.equals(bytes)).toBe(true);
    expect(page.bytes.buffer.byteLength).toBeLessThan(socketRead.length);
  });
});

describe('RawRecordReader', () => {
  it('reads records from plain and deflated pages by their place in the upstream page', async () => {
    const encoder = new RawPageEncoder(1);
    const builder = new RawRecordsBuilder();
    const plain = builder.addPage({ bytes: json(pageOf(0, 4)), deflated: false });
    const deflated = builder.addPage(await encoder.encode(json(pageOf(4, 4))));
    builder.add(plain, 3);
    builder.add(deflated, 0);
    builder.add(plain, 1);
    const reader = new RawRecordReader(builder.build());
    expect([0, 1, 2].map((i) => (reader.at(i) as { id: string }).id)).toEqual(['r3', 'r4', 'r1']);
  });
});

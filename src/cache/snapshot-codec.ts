import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { CHECK_EVERY, TimeSlicer } from '../runtime/time-slicer.js';
import type { SubOrg } from '../sub-orgs/sub-org.model.js';
import type { ProviderSnapshot } from './provider-snapshot.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

// 2: raw pages may be stored plain or deflated (rawPageDeflated).
const FORMAT = 2;
const ITEMS_PER_LINE = 1000;
const NEWLINE = Buffer.from('\n');

interface Header {
  readonly format: number;
  readonly provider: string;
  readonly fetchedAt: number;
  readonly latencyMs: number;
  readonly skipped: number;
  readonly pages: number;
  readonly count: number;
  /** Byte length of the items section (JSON lines of up to ITEMS_PER_LINE records). */
  readonly itemsBytes: number;
  /** Byte length of each page of raw originals, and whether it is deflated. */
  readonly rawPageBytes: readonly number[];
  readonly rawPageDeflated: readonly boolean[];
}

/**
 * A snapshot as one gzip buffer: [u32 header length][header JSON][items as
 * JSON lines][raw offsets u32][raw data]. Items are (de)serialised a line at a
 * time with yields in between, and gzip runs on libuv's thread pool, so
 * shipping 100k records through Redis does not stall request handling.
 */
export async function encodeSnapshot(snapshot: ProviderSnapshot): Promise<Buffer> {
  const slicer = new TimeSlicer();
  const lines: Buffer[] = [];
  for (let start = 0; start < snapshot.items.length; start += ITEMS_PER_LINE) {
    if (start > 0) lines.push(NEWLINE);
    lines.push(Buffer.from(JSON.stringify(snapshot.items.slice(start, start + ITEMS_PER_LINE)), 'utf8'));
    if (slicer.due()) await slicer.yield();
  }
  const items = Buffer.concat(lines);
  const { pages, pageOf, indexInPage } = snapshot.raw;
  const arrays = [pageOf, indexInPage].map((array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  const header: Header = {
    format: FORMAT,
    provider: snapshot.provider,
    fetchedAt: snapshot.fetchedAt,
    latencyMs: snapshot.latencyMs,
    skipped: snapshot.skipped,
    pages: snapshot.pages,
    count: snapshot.items.length,
    itemsBytes: items.length,
    rawPageBytes: pages.map((page) => page.bytes.length),
    rawPageDeflated: pages.map((page) => page.deflated),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  return gzipAsync(Buffer.concat([length, headerBytes, items, ...arrays, ...pages.map((page) => page.bytes)]), { level: 1 });
}

export async function decodeSnapshot(payload: Buffer): Promise<ProviderSnapshot> {
  const bytes = await gunzipAsync(payload);
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as Header;
  if (header.format !== FORMAT) throw new Error(`unsupported snapshot format ${String(header.format)}`);
  const slicer = new TimeSlicer();
  let cursor = 4 + headerLength;
  const itemsEnd = cursor + header.itemsBytes;
  const items: SubOrg[] = [];
  while (cursor < itemsEnd) {
    const newline = bytes.indexOf(0x0a, cursor);
    const lineEnd = newline === -1 || newline > itemsEnd ? itemsEnd : newline;
    const line = JSON.parse(bytes.toString('utf8', cursor, lineEnd)) as SubOrg[];
    for (let i = 0; i < line.length; i++) items.push(line[i]);
    cursor = lineEnd + 1;
    if ((items.length & (CHECK_EVERY - 1)) < ITEMS_PER_LINE && slicer.due()) await slicer.yield();
  }
  cursor = itemsEnd;
  const readArray = (): Uint32Array => {
    // Copied into an aligned buffer: a Uint32Array view needs a 4-byte aligned offset.
    const array = new Uint32Array(header.count);
    Buffer.from(array.buffer).set(bytes.subarray(cursor, cursor + header.count * 4));
    cursor += header.count * 4;
    return array;
  };
  const [pageOf, indexInPage] = [readArray(), readArray()];
  const pages = header.rawPageBytes.map((size, i) => {
    const page = { bytes: Buffer.from(bytes.subarray(cursor, cursor + size)), deflated: header.rawPageDeflated[i] === true };
    cursor += size;
    return page;
  });
  if (items.length !== header.count || cursor !== bytes.length) throw new Error('snapshot payload is truncated');
  return {
    provider: header.provider,
    items,
    raw: { pages, pageOf, indexInPage },
    skipped: header.skipped,
    pages: header.pages,
    fetchedAt: header.fetchedAt,
    latencyMs: header.latencyMs,
  };
}

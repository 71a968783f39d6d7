import { promisify } from 'node:util';
import { type InputType, type ZlibOptions, gunzip, gzip } from 'node:zlib';
import type { OriginalsPage, Snapshot } from '../domain/snapshot.js';
import { isSubOrgOf } from '../domain/sub-org-shape.js';
import type { SubOrg } from '../domain/sub-org.js';
import { CHECK_EVERY, TimeSlicer } from '../runtime/time-slicer.js';

const gzipAsync = promisify<InputType, ZlibOptions, Buffer>(gzip);
const gunzipAsync = promisify<InputType, ZlibOptions, Buffer>(gunzip);

// 4: originals compressed with zstd (3: records validated on read).
const FORMAT = 4;
const RECORDS_PER_LINE = 1000;
const NEWLINE = Buffer.from('\n');

/** How far in the future a snapshot's fetchedAt may lie (replica clocks are NTP-synced; more is a bad value). */
export const MAX_CLOCK_SKEW_MS = 5000;

/** Why a payload read back from the shared cache was refused; each is a label of suborg_snapshot_rejected_total. */
export type RejectionReason = 'format' | 'oversized' | 'truncated' | 'header' | 'records' | 'counts' | 'timestamp' | 'originals' | 'wrong-type';

export class SnapshotRejected extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'SnapshotRejected';
  }
}

interface Header {
  readonly format: number;
  readonly provider: string;
  readonly fetchedAt: number;
  readonly walkMs: number;
  readonly skipped: number;
  readonly pages: number;
  readonly count: number;
  /** Byte length of the records section (JSON lines of up to RECORDS_PER_LINE records). */
  readonly recordsBytes: number;
  /** Byte length of each originals page, and whether it is compressed. */
  readonly originalsBytes: readonly number[];
  readonly originalsCompressed: readonly boolean[];
}

export interface CodecLimits {
  /** The most bytes a decoded payload may have; a bigger one is refused before it is parsed. */
  readonly maxBytes: number;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * A snapshot as one gzip buffer: [u32 header length][header JSON][records as
 * JSON lines][pageOf u32 x count][indexInPage u32 x count][originals pages].
 * Records are (de)serialised a line at a time with yields in between, and gzip
 * runs on libuv's thread pool, so 100k records through Redis do not stall requests.
 */
export async function encodeSnapshot(snapshot: Snapshot): Promise<Buffer> {
  const slicer = new TimeSlicer();
  const lines: Buffer[] = [];
  for (let start = 0; start < snapshot.records.length; start += RECORDS_PER_LINE) {
    if (start > 0) lines.push(NEWLINE);
    lines.push(Buffer.from(JSON.stringify(snapshot.records.slice(start, start + RECORDS_PER_LINE)), 'utf8'));
    if (slicer.due()) await slicer.yield();
  }
  const records = Buffer.concat(lines);
  const { pages, pageOf, indexInPage } = snapshot.originals;
  const arrays = [pageOf, indexInPage].map((array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  const header: Header = {
    format: FORMAT,
    provider: snapshot.provider,
    fetchedAt: snapshot.fetchedAt,
    walkMs: snapshot.walkMs,
    skipped: snapshot.skipped,
    pages: snapshot.pages,
    count: snapshot.records.length,
    recordsBytes: records.length,
    originalsBytes: pages.map((page) => page.bytes.length),
    originalsCompressed: pages.map((page) => page.compressed),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  return gzipAsync(Buffer.concat([length, headerBytes, records, ...arrays, ...pages.map((page) => page.bytes)]), { level: 1 });
}

function readHeader(bytes: Buffer, provider: string, now: number): { header: Header; start: number } {
  if (bytes.length < 4) throw new SnapshotRejected('truncated', 'payload has no header');
  const headerLength = bytes.readUInt32LE(0);
  if (headerLength > 16 * 1024 * 1024 || 4 + headerLength > bytes.length) throw new SnapshotRejected('truncated', 'header is cut off');
  let header: Partial<Header>;
  try {
    header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as Partial<Header>;
  } catch {
    throw new SnapshotRejected('header', 'header is not JSON');
  }
  if (typeof header !== 'object' || header === null || header.format !== FORMAT) throw new SnapshotRejected('format', `unsupported snapshot format ${String(header?.format)}`);
  if (header.provider !== provider) throw new SnapshotRejected('header', `payload belongs to provider ${String(header.provider)}`);
  const counts = [header.walkMs, header.skipped, header.pages, header.count, header.recordsBytes];
  const { originalsBytes, originalsCompressed } = header;
  if (!counts.every(isCount) || !Array.isArray(originalsBytes) || !Array.isArray(originalsCompressed) || !originalsBytes.every(isCount)) {
    throw new SnapshotRejected('header', 'header fields have the wrong types');
  }
  if (originalsCompressed.length !== originalsBytes.length || !originalsCompressed.every((flag) => typeof flag === 'boolean')) {
    throw new SnapshotRejected('header', 'originals pages are described inconsistently');
  }
  const { fetchedAt } = header;
  if (typeof fetchedAt !== 'number' || !Number.isSafeInteger(fetchedAt) || fetchedAt <= 0) throw new SnapshotRejected('timestamp', `fetchedAt ${String(fetchedAt)} is not a time`);
  if (fetchedAt > now + MAX_CLOCK_SKEW_MS) throw new SnapshotRejected('timestamp', `fetchedAt ${new Date(fetchedAt).toISOString()} lies in the future`);
  return { header: header as Header, start: 4 + headerLength };
}

async function readRecords(bytes: Buffer, from: number, to: number, header: Header): Promise<SubOrg[]> {
  const slicer = new TimeSlicer();
  const records: SubOrg[] = [];
  const ids = new Set<string>();
  let cursor = from;
  while (cursor < to) {
    const newline = bytes.indexOf(0x0a, cursor);
    const lineEnd = newline === -1 || newline > to ? to : newline;
    let line: unknown;
    try {
      line = JSON.parse(bytes.toString('utf8', cursor, lineEnd));
    } catch {
      throw new SnapshotRejected('records', 'a records line is not JSON');
    }
    if (!Array.isArray(line)) throw new SnapshotRejected('records', 'a records line is not an array');
    for (const record of line as unknown[]) {
      if (!isSubOrgOf(header.provider, record)) throw new SnapshotRejected('records', `record ${records.length} is not a canonical ${header.provider} record`);
      if (ids.has(record.id)) throw new SnapshotRejected('records', `record ${records.length} repeats an id`);
      ids.add(record.id);
      records.push(record);
      if (records.length > header.count) throw new SnapshotRejected('counts', `more records than the ${header.count} the header counts`);
    }
    cursor = lineEnd + 1;
    if ((records.length & (CHECK_EVERY - 1)) < RECORDS_PER_LINE && slicer.due()) await slicer.yield();
  }
  if (records.length !== header.count) throw new SnapshotRejected('counts', `the header counts ${header.count} records, the payload holds ${records.length}`);
  return records;
}

/**
 * Decodes and checks a payload read back from the shared cache: format,
 * types, every record's shape, counts, bounds and a fetchedAt that is not in
 * the future. Anything wrong throws SnapshotRejected; nothing unchecked
 * reaches the listing. Originals pages are checked for their place and size
 * here and parsed only when a record's original is asked for.
 */
export async function decodeSnapshot(payload: Buffer, provider: string, limits: CodecLimits, now = Date.now()): Promise<Snapshot> {
  let bytes: Buffer;
  try {
    bytes = await gunzipAsync(payload, { maxOutputLength: limits.maxBytes });
  } catch (error: unknown) {
    const tooBig = error instanceof RangeError || (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new SnapshotRejected(tooBig ? 'oversized' : 'truncated', tooBig ? `decoded payload exceeds ${limits.maxBytes} bytes` : 'payload is not complete gzip');
  }
  const { header, start } = readHeader(bytes, provider, now);
  const recordsEnd = start + header.recordsBytes;
  const arraysBytes = header.count * 8;
  const originalsTotal = header.originalsBytes.reduce((sum, size) => sum + size, 0);
  if (recordsEnd + arraysBytes + originalsTotal !== bytes.length) throw new SnapshotRejected('counts', 'section sizes do not add up to the payload');
  const records = await readRecords(bytes, start, recordsEnd, header);
  let cursor = recordsEnd;
  const readArray = (): Uint32Array => {
    // Copied into an aligned buffer: a Uint32Array view needs a 4-byte aligned offset.
    const array = new Uint32Array(header.count);
    Buffer.from(array.buffer).set(bytes.subarray(cursor, cursor + header.count * 4));
    cursor += header.count * 4;
    return array;
  };
  const [pageOf, indexInPage] = [readArray(), readArray()];
  const pages: OriginalsPage[] = header.originalsBytes.map((size, i) => {
    const page = { bytes: Buffer.from(bytes.subarray(cursor, cursor + size)), compressed: header.originalsCompressed[i] };
    cursor += size;
    return page;
  });
  for (let i = 0; i < pageOf.length; i++) if (pageOf[i] >= pages.length) throw new SnapshotRejected('originals', `record ${i} points at originals page ${pageOf[i]} of ${pages.length}`);
  return {
    provider,
    records,
    originals: { pages, pageOf, indexInPage },
    skipped: header.skipped,
    pages: header.pages,
    fetchedAt: header.fetchedAt,
    walkMs: header.walkMs,
  };
}

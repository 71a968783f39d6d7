import { promisify } from 'node:util';
import { deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

const deflateRawAsync = promisify(deflateRaw);

/**
 * Upstream originals kept compactly: each upstream page's records as one
 * deflated JSON buffer, and for every kept record its page and byte range.
 * 100k parsed records would cost hundreds of MB of objects; this costs a
 * fraction of their JSON size, and a page is inflated only when asked for.
 */
export interface RawRecords {
  readonly pages: readonly Buffer[];
  readonly pageOf: Uint32Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

/** One upstream page's originals, encoded once while the walk goes on. */
export interface RawPage {
  readonly deflated: Buffer;
  /** Byte range of each record in the inflated page; undefined for records that were not kept. */
  readonly ranges: ReadonlyArray<readonly [number, number] | undefined>;
}

function joinRecords(records: ReadonlyArray<unknown | undefined>): { text: Buffer; ranges: Array<readonly [number, number] | undefined> } {
  const parts: string[] = [];
  const ranges: Array<readonly [number, number] | undefined> = [];
  let offset = 0;
  for (const record of records) {
    if (record === undefined) {
      ranges.push(undefined);
      continue;
    }
    const json = Buffer.from(JSON.stringify(record) ?? 'null', 'utf8').toString('latin1');
    parts.push(json);
    ranges.push([offset, offset + json.length]);
    offset += json.length;
  }
  return { text: Buffer.from(parts.join(''), 'latin1'), ranges };
}

/** Encodes a page's records (deflate runs on libuv's thread pool, off the event loop). */
export async function encodeRawPage(records: ReadonlyArray<unknown | undefined>): Promise<RawPage> {
  const { text, ranges } = joinRecords(records);
  return { deflated: await deflateRawAsync(text), ranges };
}

export class RawRecordsBuilder {
  private readonly pages: Buffer[] = [];
  private readonly pageOf: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Starts a page; returns its number for `add`. */
  addPage(page: RawPage): number {
    this.pages.push(page.deflated);
    return this.pages.length - 1;
  }

  add(page: number, range: readonly [number, number]): void {
    this.pageOf.push(page);
    this.starts.push(range[0]);
    this.ends.push(range[1]);
  }

  build(): RawRecords {
    return { pages: this.pages, pageOf: Uint32Array.from(this.pageOf), starts: Uint32Array.from(this.starts), ends: Uint32Array.from(this.ends) };
  }
}

/** For tests and fixtures: originals of a list of records as one page. */
export function encodeRawRecords(records: readonly unknown[]): RawRecords {
  const { text, ranges } = joinRecords(records);
  const page: RawPage = { deflated: deflateRawSync(text), ranges };
  const builder = new RawRecordsBuilder();
  const number = builder.addPage(page);
  for (const range of page.ranges) builder.add(number, range!);
  return builder.build();
}

/** Reads originals, inflating each page at most once per reader. */
export class RawRecordReader {
  private page = -1;
  private inflated = Buffer.alloc(0);

  constructor(private readonly raw: RawRecords) {}

  at(index: number): unknown {
    const page = this.raw.pageOf[index];
    if (page !== this.page) {
      this.inflated = inflateRawSync(this.raw.pages[page]);
      this.page = page;
    }
    return JSON.parse(this.inflated.toString('utf8', this.raw.starts[index], this.raw.ends[index])) as unknown;
  }
}

export function rawRecordAt(raw: RawRecords, index: number): unknown {
  return new RawRecordReader(raw).at(index);
}

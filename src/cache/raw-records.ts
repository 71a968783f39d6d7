import { promisify } from 'node:util';
import { type ZlibOptions, deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { parseJsonBytes } from '../http/json-bytes.js';

const deflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(deflateRaw);

// Level 1: a fifth of the page's size at a quarter of the default level's CPU; originals are read rarely.
const DEFLATE = { level: 1 } as const satisfies ZlibOptions;

/**
 * Upstream originals kept compactly: each upstream page's records as one
 * deflated JSON array (as the upstream sent them, credentials removed), and
 * for every kept record its page and index in that array. 100k parsed
 * records would cost hundreds of MB of objects; this costs a fraction of
 * their JSON size, and a page is inflated only when asked for.
 */
export interface RawRecords {
  readonly pages: readonly Buffer[];
  readonly pageOf: Uint32Array;
  readonly indexInPage: Uint32Array;
}

/** One upstream page's originals, compressed while the walk goes on. */
export interface RawPage {
  readonly deflated: Buffer;
}

/** Compresses a page's records, given as the UTF-8 JSON array they arrived in. Deflate runs on libuv's thread pool. */
export async function encodeRawPage(recordsJson: Buffer): Promise<RawPage> {
  return { deflated: await deflateRawAsync(recordsJson, DEFLATE) };
}

export class RawRecordsBuilder {
  private readonly pages: Buffer[] = [];
  private readonly pageOf: number[] = [];
  private readonly indexInPage: number[] = [];

  /** Adds a page; returns its number for `add`. */
  addPage(page: RawPage): number {
    this.pages.push(page.deflated);
    return this.pages.length - 1;
  }

  add(page: number, index: number): void {
    this.pageOf.push(page);
    this.indexInPage.push(index);
  }

  build(): RawRecords {
    return { pages: this.pages, pageOf: Uint32Array.from(this.pageOf), indexInPage: Uint32Array.from(this.indexInPage) };
  }
}

/** For tests and fixtures: originals of a list of records as one page. */
export function encodeRawRecords(records: readonly unknown[]): RawRecords {
  const builder = new RawRecordsBuilder();
  const number = builder.addPage({ deflated: deflateRawSync(Buffer.from(JSON.stringify(records), 'utf8'), DEFLATE) });
  records.forEach((_record, index) => builder.add(number, index));
  return builder.build();
}

/** Reads originals, inflating and parsing each page at most once per reader. */
export class RawRecordReader {
  private page = -1;
  private records: readonly unknown[] = [];

  constructor(private readonly raw: RawRecords) {}

  at(index: number): unknown {
    const page = this.raw.pageOf[index];
    if (page !== this.page) {
      this.records = parseJsonBytes(inflateRawSync(this.raw.pages[page])).value as unknown[];
      this.page = page;
    }
    return this.records[this.raw.indexInPage[index]];
  }
}

export function rawRecordAt(raw: RawRecords, index: number): unknown {
  return new RawRecordReader(raw).at(index);
}

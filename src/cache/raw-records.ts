import { promisify } from 'node:util';
import { type ZlibOptions, deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { parseJsonBytes } from '../http/json-bytes.js';
import { ownsItsBuffer } from '../runtime/owned-bytes.js';

const deflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(deflateRaw);

// Level 1: a fifth of the page's size at a quarter of the default level's CPU; originals are read rarely.
const DEFLATE = { level: 1 } as const satisfies ZlibOptions;

/**
 * Originals of one walk kept as they are, before pages start being deflated.
 * Deflating costs the event loop about half a millisecond a page, which a
 * small tenant's cold listing waits for; 8 MB (some 10k records) is little
 * memory, and past it every page is compressed to about a fifth.
 */
export const PLAIN_ORIGINALS_BYTES = 8 * 1024 * 1024;

/** One upstream page's records as a UTF-8 JSON array, deflated or not. */
export interface RawPage {
  readonly bytes: Buffer;
  readonly deflated: boolean;
}

/**
 * Upstream originals kept compactly: each upstream page's records as one JSON
 * array (as the upstream sent them, credentials removed), and for every kept
 * record its page and index in that array. 100k parsed records would cost
 * hundreds of MB of objects; this costs their JSON size at most, and a page
 * is parsed only when asked for.
 */
export interface RawRecords {
  readonly pages: readonly RawPage[];
  readonly pageOf: Uint32Array;
  readonly indexInPage: Uint32Array;
}

/** Encodes one walk's pages: the first PLAIN_ORIGINALS_BYTES as they are, the rest deflated on libuv's thread pool. */
export class RawPageEncoder {
  private plainLeft: number;

  constructor(plainBytes = PLAIN_ORIGINALS_BYTES) {
    this.plainLeft = plainBytes;
  }

  async encode(recordsJson: Buffer): Promise<RawPage> {
    if (recordsJson.length <= this.plainLeft) {
      this.plainLeft -= recordsJson.length;
      // Kept for the snapshot's life: never as a view that pins a larger allocation.
      return { bytes: ownsItsBuffer(recordsJson) ? recordsJson : Buffer.from(recordsJson), deflated: false };
    }
    return { bytes: await deflateRawAsync(recordsJson, DEFLATE), deflated: true };
  }
}

export class RawRecordsBuilder {
  private readonly pages: RawPage[] = [];
  private readonly pageOf: number[] = [];
  private readonly indexInPage: number[] = [];

  /** Adds a page; returns its number for `add`. */
  addPage(page: RawPage): number {
    this.pages.push(page);
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

/** For tests and fixtures: originals of a list of records as one deflated page. */
export function encodeRawRecords(records: readonly unknown[]): RawRecords {
  const builder = new RawRecordsBuilder();
  const number = builder.addPage({ bytes: deflateRawSync(Buffer.from(JSON.stringify(records), 'utf8'), DEFLATE), deflated: true });
  records.forEach((_record, index) => builder.add(number, index));
  return builder.build();
}

/** A page's records as UTF-8 JSON, inflated when it was stored deflated. */
export function rawPageJson(page: RawPage): Buffer {
  return page.deflated ? inflateRawSync(page.bytes) : page.bytes;
}

/** Reads originals, parsing (and inflating) each page at most once per reader. */
export class RawRecordReader {
  private page = -1;
  private records: readonly unknown[] = [];

  constructor(private readonly raw: RawRecords) {}

  at(index: number): unknown {
    const page = this.raw.pageOf[index];
    if (page !== this.page) {
      this.records = parseJsonBytes(rawPageJson(this.raw.pages[page])).value as unknown[];
      this.page = page;
    }
    return this.records[this.raw.indexInPage[index]];
  }
}

export function rawRecordAt(raw: RawRecords, index: number): unknown {
  return new RawRecordReader(raw).at(index);
}

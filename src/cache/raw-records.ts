import { promisify } from 'node:util';
import { deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

const deflateRawAsync = promisify(deflateRaw);

/**
 * Upstream originals kept compactly: the kept records of each upstream page as
 * one deflated JSON array, and for every kept record its page and place in
 * it. 100k parsed records would cost hundreds of MB of objects; this costs a
 * fraction of their JSON size, and a page is inflated only when asked for.
 */
export interface RawRecords {
  readonly pages: readonly Buffer[];
  readonly pageOf: Uint32Array;
  readonly indexInPage: Uint32Array;
}

/** One upstream page's kept originals, encoded while the walk goes on. */
export interface RawPage {
  readonly deflated: Buffer;
  /** For each upstream record of the page, its place in the encoded array, or -1 when it was not kept. */
  readonly places: readonly number[];
}

function placesOf(records: ReadonlyArray<unknown | undefined>): { kept: unknown[]; places: number[] } {
  const kept: unknown[] = [];
  const places = records.map((record) => (record === undefined ? -1 : kept.push(record) - 1));
  return { kept, places };
}

/** Encodes a page's records; `undefined` entries are left out. Deflate runs on libuv's thread pool. */
export async function encodeRawPage(records: ReadonlyArray<unknown | undefined>): Promise<RawPage> {
  const { kept, places } = placesOf(records);
  return { deflated: await deflateRawAsync(Buffer.from(JSON.stringify(kept), 'utf8')), places };
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

  add(page: number, place: number): void {
    this.pageOf.push(page);
    this.indexInPage.push(place);
  }

  build(): RawRecords {
    return { pages: this.pages, pageOf: Uint32Array.from(this.pageOf), indexInPage: Uint32Array.from(this.indexInPage) };
  }
}

/** For tests and fixtures: originals of a list of records as one page. */
export function encodeRawRecords(records: readonly unknown[]): RawRecords {
  const { kept, places } = placesOf(records);
  const builder = new RawRecordsBuilder();
  const number = builder.addPage({ deflated: deflateRawSync(Buffer.from(JSON.stringify(kept), 'utf8')), places });
  for (const place of places) builder.add(number, place);
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
      this.records = JSON.parse(inflateRawSync(this.raw.pages[page]).toString('utf8')) as unknown[];
      this.page = page;
    }
    return this.records[this.raw.indexInPage[index]];
  }
}

export function rawRecordAt(raw: RawRecords, index: number): unknown {
  return new RawRecordReader(raw).at(index);
}

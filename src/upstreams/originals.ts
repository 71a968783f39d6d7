import { type ZstdOptions, constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import type { Originals, OriginalsPage } from '../domain/snapshot.js';
import { TooDeeplyNestedError, removeCredentials } from '../domain/credential-names.js';
import { MAX_RECORD_NESTING } from './mapping.js';
import { parseUtf8Json } from './utf8-json.js';

// zstd level 1: pages shrink to about a ninth at 1 ms of CPU per MB, 2.6x
// faster than deflate level 1 with smaller output. On the calling thread: a
// 100 KB page takes ~0.1 ms, less than the thread pool's hand-off costs
// (docs/decisions.md).
const ZSTD = { params: { [constants.ZSTD_c_compressionLevel]: 1 } } as const satisfies ZstdOptions;

/**
 * Originals of one walk kept as they are before pages start being compressed:
 * 8 MB (some 10k records) is little memory, and small tenants' walks then pay
 * no compression at all; past it every page shrinks to about a ninth, which
 * is what keeps 2 x 100k records under the container's memory (README, Benchmarks).
 */
export const PLAIN_ORIGINALS_BYTES = 8 * 1024 * 1024;

/**
 * The bytes in an ArrayBuffer of their own. Kept for a snapshot's life, a
 * view would pin the larger allocation it points into: zlib hands out views
 * into its output chunks, which made 23 MB of compressed originals hold 59 MB.
 */
function owned(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  // Not Buffer.from: it copies small buffers into Node's shared pool, a view again.
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

/** An originals page could not be read back (only possible for data from outside this process). */
export class UnreadableOriginalsError extends Error {}

/** Encodes one walk's pages: the first PLAIN_ORIGINALS_BYTES as they are, the rest compressed. */
export class OriginalsEncoder {
  private plainLeft: number;

  constructor(plainBytes = PLAIN_ORIGINALS_BYTES) {
    this.plainLeft = plainBytes;
  }

  encode(recordsJson: Buffer): OriginalsPage {
    if (recordsJson.length <= this.plainLeft) {
      this.plainLeft -= recordsJson.length;
      return { bytes: owned(recordsJson), compressed: false };
    }
    return { bytes: owned(zstdCompressSync(recordsJson, ZSTD)), compressed: true };
  }
}

export class OriginalsBuilder {
  private readonly pages: OriginalsPage[] = [];
  private readonly pageOf: number[] = [];
  private readonly indexInPage: number[] = [];

  /** Adds a page; returns its number for `add`. */
  addPage(page: OriginalsPage): number {
    this.pages.push(page);
    return this.pages.length - 1;
  }

  add(page: number, index: number): void {
    this.pageOf.push(page);
    this.indexInPage.push(index);
  }

  build(): Originals {
    return { pages: this.pages, pageOf: Uint32Array.from(this.pageOf), indexInPage: Uint32Array.from(this.indexInPage) };
  }
}

/** Originals of a list of records as one plain page, record i at index i (tests, fixtures). */
export function originalsOf(records: readonly unknown[]): Originals {
  return { pages: [{ bytes: Buffer.from(JSON.stringify(records), 'utf8'), compressed: false }], pageOf: new Uint32Array(records.length), indexInPage: Uint32Array.from(records.keys()) };
}

/** Reads originals, parsing (and decompressing) each page at most once per reader. */
export class OriginalsReader {
  private page = -1;
  private records: readonly unknown[] = [];

  constructor(private readonly originals: Originals) {}

  /** Throws UnreadableOriginalsError when the page is not a JSON array holding that record, or the record nests too deeply to serialise. */
  at(record: number): unknown {
    const page = this.originals.pageOf[record];
    if (page !== this.page) {
      this.records = parsePage(this.originals.pages[page]);
      this.page = page;
    }
    const index = this.originals.indexInPage[record];
    if (index >= this.records.length) throw new UnreadableOriginalsError(`originals page ${page} has no record ${index}`);
    const original = this.records[index];
    try {
      // Walks keep neither credentials nor records this deep; a page read back from the shared cache is held to the same rule.
      removeCredentials(original, MAX_RECORD_NESTING);
    } catch (error: unknown) {
      if (!(error instanceof TooDeeplyNestedError)) throw error;
      throw new UnreadableOriginalsError(`originals page ${page} record ${index} nests too deeply`);
    }
    return original;
  }
}

function parsePage(page: OriginalsPage | undefined): readonly unknown[] {
  try {
    if (page === undefined) throw new Error('missing page');
    const parsed: unknown = parseUtf8Json(page.compressed ? zstdDecompressSync(page.bytes) : page.bytes);
    if (!Array.isArray(parsed)) throw new Error('not an array');
    return parsed;
  } catch (error: unknown) {
    throw new UnreadableOriginalsError(`an originals page is unreadable: ${error instanceof Error ? error.message : String(error)}`);
  }
}

import type { SubOrg } from './sub-org.js';

/** One upstream page's records as a UTF-8 JSON array, credentials removed; zstd-compressed or not. */
export interface OriginalsPage {
  readonly bytes: Buffer;
  readonly compressed: boolean;
}

/**
 * The upstream originals of a snapshot's records, kept compactly: the pages'
 * record arrays, and for record i its page and its index in that page's array.
 * 100k parsed originals would cost hundreds of MB of objects; this costs their
 * JSON size at most, and a page is parsed only when one of its records is asked for.
 */
export interface Originals {
  readonly pages: readonly OriginalsPage[];
  readonly pageOf: Uint32Array;
  readonly indexInPage: Uint32Array;
}

/** The normalised result of one complete upstream walk. */
export interface Snapshot {
  readonly provider: string;
  readonly records: readonly SubOrg[];
  /** `originals` record i is the upstream original of `records[i]`. */
  readonly originals: Originals;
  /** Upstream records left out because they could not be mapped or repeated an id. */
  readonly skipped: number;
  readonly pages: number;
  /** Epoch milliseconds when the walk finished. */
  readonly fetchedAt: number;
  /** How long the walk took. */
  readonly walkMs: number;
}

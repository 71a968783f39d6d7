import { type PageSearchKeys, createdTime, nameSortKey, searchableName } from '../sub-orgs/sort-order.js';
import type { MappingResult } from './mapping.js';

/** One upstream page turned into what a walk needs: every record mapped, the ids as sent, the originals to keep. */
export interface PageReading {
  readonly mapped: readonly MappingResult[];
  /** Ids of the page's upstream records as sent, for spotting repeated pages. */
  readonly ids: readonly unknown[];
  /** The page's records as a UTF-8 JSON array, credentials removed: the originals kept for `includeRaw`. */
  readonly original: Buffer;
  /** What the upstream says the whole listing holds, where it says so. */
  readonly totalItems?: number;
  /** Index keys of each mapped record (placeholders for skipped ones), when the decoder worked them out. */
  readonly searchKeys?: PageSearchKeys;
}

/** A page that parsed as JSON but is not shaped as the vendor documents it (`problem` completes "<label> page N …"). */
export interface MisshapenPage {
  readonly problem: string;
}

export type PageReadOutcome = PageReading | MisshapenPage;

export const isMisshapen = (outcome: PageReadOutcome): outcome is MisshapenPage => 'problem' in outcome;

/**
 * Reads one page body: pure and synchronous, so it can run on the page
 * decoder's worker thread. Throws only when the body is not JSON.
 * `options` are the provider's own (e.g. Invent's configured parent org).
 */
export type PageReader = (body: Buffer, options: Readonly<Record<string, string>>) => PageReadOutcome;

/** Ids of a page's upstream records as sent, for spotting repeated pages before any mapping. */
export const upstreamIds = (records: readonly unknown[]): readonly unknown[] =>
  records.map((record) => (typeof record === 'object' && record !== null && 'id' in record ? record.id : undefined));

/** The listing index's keys of each mapped record, in page order; skipped records get placeholders. */
export function pageSearchKeys(mapped: readonly MappingResult[]): PageSearchKeys {
  const searchableNames = new Array<string>(mapped.length);
  const nameKeys = new Array<string>(mapped.length);
  const createdTimes = new Float64Array(mapped.length);
  mapped.forEach((result, i) => {
    searchableNames[i] = result.ok ? searchableName(result.subOrg.name) : '';
    nameKeys[i] = result.ok ? nameSortKey(result.subOrg.name) : '';
    createdTimes[i] = result.ok ? createdTime(result.subOrg.createdAt) : Number.NaN;
  });
  return { searchableNames, nameKeys, createdTimes };
}

import type { SubOrgStatus, SubOrgType } from '../domain/sub-org.js';

export const SORT_OPTIONS = ['name', '-name', 'createdAt', '-createdAt'] as const;
export type SortOption = (typeof SORT_OPTIONS)[number];

/** Which records a listing keeps; every present criterion must hold (each list is any-of). */
export interface ListingFilter {
  readonly providers: readonly string[];
  /** Already folded with foldForSearch. */
  readonly q: string | undefined;
  readonly statuses: ReadonlySet<SubOrgStatus> | undefined;
  readonly types: ReadonlySet<SubOrgType> | undefined;
  /** Plans folded to lower case: plan matching ignores case. */
  readonly plans: ReadonlySet<string> | undefined;
  /** Epoch milliseconds, inclusive. */
  readonly createdFrom: number | undefined;
  readonly createdTo: number | undefined;
}

export interface ListingQuery {
  readonly filter: ListingFilter;
  readonly sort: SortOption;
  readonly page: number;
  readonly pageSize: number;
  /** Where a cursor said to continue; excludes `page`. */
  readonly after: SortKey | undefined;
  /** Identifies filter and sort (see querySignature): cursors carry it. */
  readonly signature: string;
  readonly includeRaw: boolean;
}

/** A record's place in one sort order: its primary value, then its id for a total order. */
export interface SortKey {
  readonly value: string | number | null;
  readonly id: string;
}

export function isDescending(sort: SortOption): boolean {
  return sort.startsWith('-');
}

/** Orders two keys under `sort`: nulls last in either direction, ties broken by id ascending. */
export function compareKeys(sort: SortOption, a: SortKey, b: SortKey): number {
  if (a.value !== b.value) {
    if (a.value === null) return 1;
    if (b.value === null) return -1;
    const ascending = a.value < b.value ? -1 : 1;
    return isDescending(sort) ? -ascending : ascending;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

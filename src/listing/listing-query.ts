import type { SubOrgField, SubOrgStatus, SubOrgType } from '../domain/sub-org.js';

/** The timestamps a listing can sort and filter by; `contractEndsAt` is `contract.endsAt`. */
export const TIME_FIELDS = ['createdAt', 'updatedAt', 'contractEndsAt'] as const;
export type TimeField = (typeof TIME_FIELDS)[number];

export const SORT_FIELDS = ['name', ...TIME_FIELDS] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export const SORT_OPTIONS = ['name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'contractEndsAt', '-contractEndsAt'] as const;
export type SortOption = (typeof SORT_OPTIONS)[number];

/** Fields a listing can count values of (disjunctive facets). */
export const FACET_FIELDS = ['provider', 'status', 'type', 'plan', 'parentId'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

/** An inclusive range of epoch milliseconds; either end may be open. */
export interface TimeRange {
  readonly from: number | undefined;
  readonly to: number | undefined;
}

/** Which records a listing keeps; every present criterion must hold (each list is any-of). */
export interface ListingFilter {
  readonly providers: readonly string[];
  /** Already folded with foldForSearch. */
  readonly q: string | undefined;
  readonly statuses: ReadonlySet<SubOrgStatus> | undefined;
  readonly types: ReadonlySet<SubOrgType> | undefined;
  /** Plans folded to lower case: plan matching ignores case. */
  readonly plans: ReadonlySet<string> | undefined;
  readonly parentIds: ReadonlySet<string> | undefined;
  /** Lower-cased: a case-insensitive substring of ownerEmail. */
  readonly ownerEmail: string | undefined;
  readonly hasSubOrgs: boolean | undefined;
  /** Per timestamp field; records without the value never match a range. */
  readonly ranges: Readonly<Partial<Record<TimeField, TimeRange>>>;
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
  /** Count values of these fields over the records matching every other filter. */
  readonly facets: readonly FacetField[];
  /** Sparse records: only these fields and `id`; undefined for every field. */
  readonly fields: readonly SubOrgField[] | undefined;
}

/** A record's place in one sort order: its primary value, then its id for a total order. */
export interface SortKey {
  readonly value: string | number | null;
  readonly id: string;
}

export function isDescending(sort: SortOption): boolean {
  return sort.startsWith('-');
}

export function sortFieldOf(sort: SortOption): SortField {
  return (isDescending(sort) ? sort.slice(1) : sort) as SortField;
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

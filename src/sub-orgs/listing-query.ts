import type { SubOrgStatus, SubOrgType } from './sub-org.model.js';

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
  readonly cursor: string | undefined;
  readonly includeRaw: boolean;
}

import { SUB_ORG_STATUSES, SUB_ORG_TYPES } from '../domain/sub-org.js';
import type { FacetField } from './listing-query.js';

/** One value of a facet and how many records have it; `null` counts records without a value. */
export interface FacetBucket {
  readonly value: string | null;
  readonly count: number;
}

export type Facets = Partial<Record<FacetField, FacetBucket[]>>;

/** One snapshot's counts per facet, keyed by what makes two values the same (a plan's lower-cased spelling); `value` is how it is shown (its first spelling). */
export type IndexFacets = Record<FacetField, Map<string | null, FacetBucket>>;

export function emptyIndexFacets(): IndexFacets {
  return { provider: new Map(), status: new Map(), type: new Map(), plan: new Map(), parentId: new Map() };
}

/** plan and parentId list their most frequent values only. */
export const MAX_FACET_VALUES = 100;

/** Count descending, then value ascending, `null` after values with the same count. */
function byCountThenValue(a: FacetBucket, b: FacetBucket): number {
  if (a.count !== b.count) return b.count - a.count;
  if (a.value === b.value) return 0;
  if (a.value === null) return 1;
  if (b.value === null) return -1;
  return a.value < b.value ? -1 : 1;
}

/**
 * The facets of a listing from each snapshot's counts: summed per value,
 * ordered by count then value. `provider`, `status` and `type` list every
 * value they can have (zero counts included; `type` also `null`); `plan` and
 * `parentId` their 100 most frequent values.
 */
export function mergeFacets(fields: readonly FacetField[], perIndex: readonly IndexFacets[], providers: readonly string[]): Facets {
  const facets: Facets = {};
  for (const field of fields) {
    const merged = new Map<string | null, FacetBucket>();
    const everyValue: ReadonlyArray<string | null> | undefined = field === 'provider' ? providers : field === 'status' ? SUB_ORG_STATUSES : field === 'type' ? [...SUB_ORG_TYPES, null] : undefined;
    for (const value of everyValue ?? []) merged.set(value, { value, count: 0 });
    for (const index of perIndex) {
      for (const [key, tally] of index[field]) {
        const before = merged.get(key);
        merged.set(key, { value: before?.value ?? tally.value, count: (before?.count ?? 0) + tally.count });
      }
    }
    const buckets = [...merged.values()].sort(byCountThenValue);
    facets[field] = everyValue === undefined ? buckets.slice(0, MAX_FACET_VALUES) : buckets;
  }
  return facets;
}

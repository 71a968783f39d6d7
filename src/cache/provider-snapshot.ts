import type { SearchKeys } from '../sub-orgs/sort-order.js';
import type { SubOrg } from '../sub-orgs/sub-org.model.js';
import type { RawRecords } from './raw-records.js';

/** The normalised result of one complete upstream walk, as cached. */
export interface ProviderSnapshot {
  readonly provider: string;
  readonly items: readonly SubOrg[];
  /** `raw[i]` is the upstream original of `items[i]`, with credentials removed. */
  readonly raw: RawRecords;
  readonly skipped: number;
  readonly pages: number;
  /** Epoch milliseconds when the walk finished. */
  readonly fetchedAt: number;
  readonly latencyMs: number;
  /** Derived during the walk, for the listing index; not stored, so absent on snapshots read from the shared store. */
  readonly searchKeys?: SearchKeys;
}

import type { ProviderSnapshot } from './provider-snapshot.js';

/** Where snapshots live between requests: process memory, or Redis shared by replicas. */
export interface SnapshotStore {
  get(provider: string): Promise<ProviderSnapshot | undefined>;
  /** Keeps the snapshot for `retainSeconds` (fresh time plus the stale window), then forgets it. */
  set(snapshot: ProviderSnapshot, retainSeconds: number): Promise<void>;
}

export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');

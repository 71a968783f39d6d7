import type { Deadline } from '../http/deadline.js';
import type { ProviderSnapshot } from './provider-snapshot.js';

export type StoreHealth = 'memory' | 'up' | 'degraded';

/** Where snapshots live between requests: process memory, or Redis shared by replicas. */
export interface SnapshotStore {
  get(provider: string): Promise<ProviderSnapshot | undefined>;
  /** Keeps the snapshot for `retainSeconds` (fresh time plus the stale window), then forgets it. */
  set(snapshot: ProviderSnapshot, retainSeconds: number): Promise<void>;
  /**
   * Runs `walk` unless another replica is already walking this provider, in
   * which case it waits for that replica's snapshot (one newer than
   * `newerThan`) instead. Single-process stores just walk.
   */
  refreshOnce(provider: string, newerThan: number, walk: () => Promise<ProviderSnapshot>, deadline: Deadline): Promise<ProviderSnapshot>;
  health(): StoreHealth;
  close(): Promise<void>;
}

export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');

import type { Snapshot } from '../domain/snapshot.js';
import type { SourceError, WalkProgress } from '../domain/source.js';

export type StoreHealth = 'memory' | 'up' | 'degraded';

/** A walk as the other replicas see it, through the shared store. */
export interface SharedWalkStatus {
  readonly state: 'running' | 'failed';
  readonly progress: WalkProgress | null;
  readonly error: SourceError | null;
  /** Epoch ms of the last update. */
  readonly at: number;
}

/** The right to walk a provider, held by one replica at a time. */
export interface WalkClaim {
  /** Keeps the claim alive and tells the other replicas how far the walk has come. */
  renew(progress: WalkProgress): Promise<void>;
  /** Gives the claim up; a failed walk leaves its error for the others to report. */
  release(error: SourceError | undefined): Promise<void>;
}

/** Where snapshots live between requests: process memory, or Redis shared by replicas. */
export interface SnapshotStore {
  /** The newest valid snapshot, or undefined; anything invalid read back from outside is discarded on the way. */
  get(provider: string): Promise<Snapshot | undefined>;
  /** Keeps the snapshot for `retainSeconds`, then forgets it. */
  set(snapshot: Snapshot, retainSeconds: number): Promise<void>;
  /** Forgets this snapshot (it turned out unreadable), unless a newer one replaced it meanwhile. */
  discard(snapshot: Snapshot): Promise<void>;
  /** The claim to walk `provider`, or undefined while another replica holds it. */
  claimWalk(provider: string): Promise<WalkClaim | undefined>;
  /** What another replica's walk of `provider` is doing, if the store knows. */
  walkStatus(provider: string): Promise<SharedWalkStatus | undefined>;
  /** fetchedAt of the newest stored snapshot, without fetching it. */
  version(provider: string): Promise<number | undefined>;
  health(): StoreHealth;
}

export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');

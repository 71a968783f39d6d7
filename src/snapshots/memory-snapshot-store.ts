import type { Snapshot } from '../domain/snapshot.js';
import type { SharedWalkStatus, SnapshotStore, StoreHealth, WalkClaim } from './snapshot-store.js';

interface Entry {
  readonly snapshot: Snapshot;
  readonly expiresAt: number;
}

const SOLE_CLAIM: WalkClaim = { renew: async () => undefined, release: async () => undefined };

/** One replica's snapshots, in process memory; walks are coordinated only within the process. */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(provider: string): Promise<Snapshot | undefined> {
    return this.current(provider);
  }

  current(provider: string): Snapshot | undefined {
    const entry = this.entries.get(provider);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(provider);
      return undefined;
    }
    return entry.snapshot;
  }

  async set(snapshot: Snapshot, retainSeconds: number): Promise<void> {
    this.entries.set(snapshot.provider, { snapshot, expiresAt: this.now() + retainSeconds * 1000 });
  }

  async discard(snapshot: Snapshot): Promise<void> {
    if (this.entries.get(snapshot.provider)?.snapshot === snapshot) this.entries.delete(snapshot.provider);
  }

  async claimWalk(): Promise<WalkClaim> {
    return SOLE_CLAIM;
  }

  async walkStatus(): Promise<SharedWalkStatus | undefined> {
    return undefined;
  }

  async version(provider: string): Promise<number | undefined> {
    return this.current(provider)?.fetchedAt;
  }

  health(): StoreHealth {
    return 'memory';
  }
}

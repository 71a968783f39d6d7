import type { ProviderSnapshot } from './provider-snapshot.js';
import type { Deadline } from '../http/deadline.js';
import type { SnapshotStore, StoreHealth } from './snapshot-store.js';

interface Entry {
  readonly snapshot: ProviderSnapshot;
  readonly expiresAt: number;
}

/** One replica's snapshots, in process memory. */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(provider: string): Promise<ProviderSnapshot | undefined> {
    const entry = this.entries.get(provider);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(provider);
      return undefined;
    }
    return entry.snapshot;
  }

  async set(snapshot: ProviderSnapshot, retainSeconds: number): Promise<void> {
    this.entries.set(snapshot.provider, { snapshot, expiresAt: this.now() + retainSeconds * 1000 });
  }

  refreshOnce(_provider: string, _newerThan: number, walk: () => Promise<ProviderSnapshot>, _deadline: Deadline): Promise<ProviderSnapshot> {
    return walk();
  }

  health(): StoreHealth {
    return 'memory';
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}

import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type Deadline, sleep } from '../http/deadline.js';
import { UpstreamError } from '../http/upstream-error.js';
import { MemorySnapshotStore } from './memory-snapshot-store.js';
import type { ProviderSnapshot } from './provider-snapshot.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.js';
import type { SnapshotStore, StoreHealth } from './snapshot-store.js';

export interface RedisStoreOptions {
  readonly url: string;
  readonly keyPrefix: string;
  /** Snapshots younger than this are served from local memory without asking Redis. */
  readonly ttlSeconds: number;
  /** How long a walk may hold the cluster-wide lock; a crashed holder frees it after this. */
  readonly lockMs: number;
}

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const POLL_MS = 50;

/**
 * Snapshots shared by every replica through Redis, with each replica's
 * decoded copy in local memory. A fresh local copy is served without I/O; an
 * older one is checked against Redis's version key before the (large)
 * payload is fetched. A short Redis lock makes one replica walk a cold
 * provider while the others wait for its snapshot. When Redis is unreachable
 * every call falls back to local memory and health() says `degraded`.
 */
export class RedisSnapshotStore implements SnapshotStore {
  private readonly logger = new Logger('RedisSnapshotStore');
  private readonly redis: Redis;
  private readonly local = new MemorySnapshotStore();
  private readonly decoding = new Map<string, { readonly version: string; readonly snapshot: Promise<ProviderSnapshot> }>();
  private degraded = false;

  constructor(private readonly options: RedisStoreOptions) {
    this.redis = new Redis(options.url, {
      // Fail fast while disconnected: the local copy answers instead of queueing behind a dead server.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      lazyConnect: false,
    });
    this.redis.on('ready', () => this.markDegraded(false, 'connected'));
    this.redis.on('error', (error: Error) => this.markDegraded(true, error.message));
    this.redis.on('end', () => this.markDegraded(true, 'connection closed'));
  }

  health(): StoreHealth {
    return this.redis.status === 'ready' ? 'up' : 'degraded';
  }

  async get(provider: string): Promise<ProviderSnapshot | undefined> {
    const local = await this.local.get(provider);
    if (local !== undefined && Date.now() - local.fetchedAt < this.options.ttlSeconds * 1000) return local;
    try {
      const version = await this.redis.get(this.key('version', provider));
      if (version === null || (local !== undefined && String(local.fetchedAt) === version)) return local;
      return await this.load(provider, version, local);
    } catch (error: unknown) {
      this.markDegraded(true, error instanceof Error ? error.message : 'read failed');
      return local;
    }
  }

  async set(snapshot: ProviderSnapshot, retainSeconds: number): Promise<void> {
    await this.local.set(snapshot, retainSeconds);
    try {
      const payload = await encodeSnapshot(snapshot);
      const ttlMs = retainSeconds * 1000;
      await this.redis
        .multi()
        .set(this.key('snapshot', snapshot.provider), payload, 'PX', ttlMs)
        .set(this.key('version', snapshot.provider), String(snapshot.fetchedAt), 'PX', ttlMs)
        .exec();
    } catch (error: unknown) {
      this.markDegraded(true, error instanceof Error ? error.message : 'write failed');
    }
  }

  async refreshOnce(provider: string, newerThan: number, walk: () => Promise<ProviderSnapshot>, deadline: Deadline): Promise<ProviderSnapshot> {
    const lock = this.key('lock', provider);
    while (!deadline.signal.aborted) {
      const token = randomUUID();
      let acquired: boolean;
      try {
        acquired = (await this.redis.set(lock, token, 'PX', this.options.lockMs, 'NX')) === 'OK';
      } catch (error: unknown) {
        // No Redis, no cluster-wide coordination: this replica walks on its own.
        this.markDegraded(true, error instanceof Error ? error.message : 'lock failed');
        return walk();
      }
      if (acquired) {
        try {
          return await walk();
        } finally {
          await this.redis.eval(RELEASE_LOCK, 1, lock, token).catch(() => undefined);
        }
      }
      const snapshot = await this.waitForOtherReplica(provider, lock, newerThan, deadline);
      if (snapshot !== undefined) return snapshot;
      // The lock holder gave up without a new snapshot: try to take over.
    }
    throw new UpstreamError(provider, 'UPSTREAM_TIMEOUT', `${provider} was being refreshed by another replica that did not finish before the deadline`, { kind: 'deadline' });
  }

  async close(): Promise<void> {
    // QUIT lets replies already in flight arrive; a dead connection just disconnects.
    await this.redis.quit().catch(() => this.redis.disconnect());
    await this.local.close();
    this.logger.log('Redis connection for snapshots closed');
  }

  private async waitForOtherReplica(provider: string, lock: string, newerThan: number, deadline: Deadline): Promise<ProviderSnapshot | undefined> {
    while (!deadline.signal.aborted) {
      await sleep(POLL_MS, deadline.signal).catch(() => undefined);
      const [version, holder] = await Promise.all([this.redis.get(this.key('version', provider)), this.redis.get(lock)]).catch(() => [null, null] as const);
      if (version !== null && Number(version) > newerThan) {
        const snapshot = await this.load(provider, version, undefined).catch(() => undefined);
        if (snapshot !== undefined) return snapshot;
      }
      if (holder === null) return undefined;
    }
    return undefined;
  }

  /** Fetches and decodes one version once, however many requests ask for it at the same time. */
  private async load(provider: string, version: string, fallback: ProviderSnapshot | undefined): Promise<ProviderSnapshot | undefined> {
    const running = this.decoding.get(provider);
    if (running !== undefined && running.version === version) return running.snapshot;
    const snapshot = (async () => {
      const payload = await this.redis.getBuffer(this.key('snapshot', provider));
      if (payload === null) throw new Error('snapshot expired between version check and read');
      const decoded = await decodeSnapshot(payload);
      const ttl = await this.redis.pttl(this.key('snapshot', provider));
      await this.local.set(decoded, Math.max(1, Math.ceil(ttl / 1000)));
      return decoded;
    })();
    this.decoding.set(provider, { version, snapshot });
    try {
      return await snapshot;
    } catch (error: unknown) {
      this.logger.warn(`${provider}: could not load the shared snapshot: ${error instanceof Error ? error.message : 'unknown error'}`);
      return fallback;
    } finally {
      if (this.decoding.get(provider)?.snapshot === snapshot) this.decoding.delete(provider);
    }
  }

  private key(kind: 'snapshot' | 'version' | 'lock', provider: string): string {
    return `${this.options.keyPrefix}${kind}:${provider}`;
  }

  private markDegraded(degraded: boolean, reason: string): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (degraded) this.logger.warn(`Redis unavailable (${reason}); serving from local memory`);
    else this.logger.log('Redis connected; snapshots are shared');
  }
}

import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Snapshot } from '../domain/snapshot.js';
import { type SourceError, type WalkProgress } from '../domain/source.js';
import { UPSTREAM_ERROR_CODES } from '../domain/upstream-error.js';
import { MemorySnapshotStore } from './memory-snapshot-store.js';
import { MAX_CLOCK_SKEW_MS, type RejectionReason, SnapshotRejected, decodeSnapshot, encodeSnapshot } from './snapshot-codec.js';
import type { SharedWalkStatus, SnapshotStore, StoreHealth, WalkClaim } from './snapshot-store.js';

export interface RedisStoreOptions {
  readonly keyPrefix: string;
  /** Snapshots younger than this are served from local memory without asking Redis. */
  readonly ttlSeconds: number;
  /** A decoded payload larger than this is refused unread. */
  readonly maxSnapshotBytes: number;
  /** Called for every payload refused, with its reason. */
  readonly onRejected: (provider: string, reason: RejectionReason) => void;
}

/** A claim lapses this long after its holder stops renewing it (a crashed replica frees the walk). */
export const CLAIM_TTL_MS = 15_000;
const RENEW_EVERY_MS = 5000;

// Our own keys only ever hold strings; anything else (or a claim without expiry) is removed before claiming.
const CLAIM = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'none' and kind ~= 'string' then redis.call('DEL', KEYS[1]) end
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('DEL', KEYS[1]) end
return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
// Deletes a snapshot only while its version is still the one found invalid.
const DISCARD = `
if redis.call('TYPE', KEYS[1]).ok ~= 'string' or redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1], KEYS[2]) return 1 end
return 0
`;

type StoreRedis = Redis & {
  claimWalk(key: string, token: string, ttlMs: number): Promise<string | null>;
  renewWalk(key: string, token: string, ttlMs: number): Promise<number>;
  releaseWalk(key: string, token: string): Promise<number>;
  discardSnapshot(version: string, snapshot: string, expected: string): Promise<number>;
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isTimeOrNull = (value: unknown): boolean => value === null || isCount(value);

/** A walk status written by another replica, if it is one; anything else is ignored. */
function parseWalkStatus(raw: string | null): SharedWalkStatus | undefined {
  if (raw === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(value) || (value.state !== 'running' && value.state !== 'failed') || !isCount(value.at)) return undefined;
  const { progress, error } = value;
  const progressOk =
    progress === null ||
    (isObject(progress) && isCount(progress.pagesFetched) && isCount(progress.recordsFetched) && isTimeOrNull(progress.totalPages) && isCount(progress.startedAt) && isTimeOrNull(progress.estimatedReadyAt));
  const errorOk = error === null || (isObject(error) && (UPSTREAM_ERROR_CODES as readonly unknown[]).includes(error.code) && typeof error.message === 'string' && error.message.length <= 500);
  if (!progressOk || !errorOk) return undefined;
  return { state: value.state, progress: progress as WalkProgress | null, error: error as SourceError | null, at: value.at };
}

/**
 * Snapshots shared by every replica through Redis, with each replica's
 * decoded copy in local memory. A fresh local copy is served without I/O; an
 * older one is checked against Redis's version key before the (large) payload
 * is fetched. Everything read back is validated (snapshot-codec); an invalid
 * payload is deleted, logged once, counted, and never served. A short,
 * renewed claim lets one replica walk a provider while the others report its
 * progress and pick up its snapshot. When Redis is unreachable every call
 * falls back to local memory and health() says `degraded`.
 */
export class RedisSnapshotStore implements SnapshotStore {
  private readonly logger = new Logger('RedisSnapshotStore');
  private readonly redis: StoreRedis;
  private readonly local = new MemorySnapshotStore();
  private readonly loading = new Map<string, { readonly version: string; readonly snapshot: Promise<Snapshot | undefined> }>();
  private readonly rejected = new Set<string>();

  constructor(
    redis: Redis,
    private readonly options: RedisStoreOptions,
  ) {
    redis.defineCommand('claimWalk', { numberOfKeys: 1, lua: CLAIM });
    redis.defineCommand('renewWalk', { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand('releaseWalk', { numberOfKeys: 1, lua: RELEASE });
    redis.defineCommand('discardSnapshot', { numberOfKeys: 2, lua: DISCARD });
    this.redis = redis as StoreRedis;
  }

  health(): StoreHealth {
    return this.redis.status === 'ready' ? 'up' : 'degraded';
  }

  async get(provider: string): Promise<Snapshot | undefined> {
    const local = this.local.current(provider);
    if (local !== undefined && Date.now() - local.fetchedAt < this.options.ttlSeconds * 1000) return local;
    const version = await this.version(provider);
    if (version === undefined || (local !== undefined && local.fetchedAt === version)) return local;
    if (local !== undefined && local.fetchedAt > version) return local;
    return (await this.load(provider, String(version))) ?? local;
  }

  async version(provider: string): Promise<number | undefined> {
    let raw: string | null;
    try {
      raw = await this.redis.get(this.key('version', provider));
    } catch (error: unknown) {
      if (error instanceof Error && error.message.includes('WRONGTYPE')) await this.reject(provider, 'wrong-type', 'the version key holds the wrong Redis type', undefined);
      return this.local.current(provider)?.fetchedAt;
    }
    if (raw === null) return undefined;
    const version = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(version) || version > Date.now() + MAX_CLOCK_SKEW_MS) {
      await this.reject(provider, 'timestamp', `version ${raw.slice(0, 40)} is not a past time`, raw);
      return undefined;
    }
    return version;
  }

  async set(snapshot: Snapshot, retainSeconds: number): Promise<void> {
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
      this.logger.warn(`${snapshot.provider}: could not share the snapshot (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  async discard(snapshot: Snapshot): Promise<void> {
    await this.local.discard(snapshot);
    await this.redis
      .discardSnapshot(this.key('version', snapshot.provider), this.key('snapshot', snapshot.provider), String(snapshot.fetchedAt))
      .catch(() => undefined);
  }

  async claimWalk(provider: string): Promise<WalkClaim | undefined> {
    const key = this.key('walk', provider);
    const token = randomUUID();
    try {
      if ((await this.redis.claimWalk(key, token, CLAIM_TTL_MS)) !== 'OK') return undefined;
    } catch {
      // No Redis, no cluster-wide coordination: this replica walks on its own.
      return { renew: async () => undefined, release: async () => undefined };
    }
    let progress: WalkProgress | null = null;
    const publish = (state: SharedWalkStatus['state'], error: SourceError | null): Promise<unknown> =>
      this.redis
        .set(this.key('walk-status', provider), JSON.stringify({ state, progress, error, at: Date.now() } satisfies SharedWalkStatus), 'PX', state === 'running' ? CLAIM_TTL_MS : this.options.ttlSeconds * 1000)
        .catch(() => undefined);
    // Renewed on a timer, not per page: a walk waiting out its budget may go a minute without a page.
    const heartbeat = setInterval(() => {
      void this.redis.renewWalk(key, token, CLAIM_TTL_MS).catch(() => undefined);
      void publish('running', null);
    }, RENEW_EVERY_MS);
    heartbeat.unref();
    await publish('running', null);
    return {
      renew: async (next) => {
        progress = next;
        await publish('running', null);
      },
      release: async (error) => {
        clearInterval(heartbeat);
        if (error === undefined) await this.redis.del(this.key('walk-status', provider)).catch(() => undefined);
        else await publish('failed', error);
        await this.redis.releaseWalk(key, token).catch(() => undefined);
      },
    };
  }

  async walkStatus(provider: string): Promise<SharedWalkStatus | undefined> {
    const [status, holder] = await Promise.all([this.redis.get(this.key('walk-status', provider)), this.redis.exists(this.key('walk', provider))]).catch(() => [null, 0] as const);
    const parsed = parseWalkStatus(status);
    // A running status whose claim has lapsed belongs to a replica that died.
    if (parsed?.state === 'running' && holder === 0) return undefined;
    return parsed;
  }

  /** Fetches and decodes one version once, however many requests ask for it at the same time. */
  private load(provider: string, version: string): Promise<Snapshot | undefined> {
    const running = this.loading.get(provider);
    if (running !== undefined && running.version === version) return running.snapshot;
    const snapshot = this.fetchAndDecode(provider, version).finally(() => {
      if (this.loading.get(provider)?.snapshot === snapshot) this.loading.delete(provider);
    });
    this.loading.set(provider, { version, snapshot });
    return snapshot;
  }

  private async fetchAndDecode(provider: string, version: string): Promise<Snapshot | undefined> {
    const key = this.key('snapshot', provider);
    try {
      const size = await this.redis.strlen(key);
      if (size > this.options.maxSnapshotBytes) throw new SnapshotRejected('oversized', `payload of ${size} bytes exceeds ${this.options.maxSnapshotBytes}`);
      const [payload, ttlMs] = await Promise.all([this.redis.getBuffer(key), this.redis.pttl(key)]);
      if (payload === null) return undefined;
      const snapshot = await decodeSnapshot(payload, provider, { maxBytes: this.options.maxSnapshotBytes });
      if (String(snapshot.fetchedAt) !== version) throw new SnapshotRejected('counts', `payload fetchedAt ${snapshot.fetchedAt} is not its version ${version}`);
      await this.local.set(snapshot, Math.max(1, Math.ceil(ttlMs / 1000)));
      return snapshot;
    } catch (error: unknown) {
      if (error instanceof SnapshotRejected) await this.reject(provider, error.reason, error.message, version);
      else if (error instanceof Error && error.message.includes('WRONGTYPE')) await this.reject(provider, 'wrong-type', 'the snapshot key holds the wrong Redis type', version);
      else this.logger.warn(`${provider}: could not load the shared snapshot (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    }
  }

  /** Logs once per bad payload, counts every time, and deletes it so no replica reads it again. */
  private async reject(provider: string, reason: RejectionReason, detail: string, version: string | undefined): Promise<void> {
    this.options.onRejected(provider, reason);
    const once = `${provider}|${version ?? ''}|${reason}`;
    if (!this.rejected.has(once)) {
      if (this.rejected.size > 1000) this.rejected.clear();
      this.rejected.add(once);
      this.logger.error(`${provider}: discarded an invalid snapshot from the shared cache (${reason}: ${detail}); the provider will be walked again`);
    }
    const versionKey = this.key('version', provider);
    if (version === undefined) await this.redis.del(versionKey, this.key('snapshot', provider)).catch(() => undefined);
    else await this.redis.discardSnapshot(versionKey, this.key('snapshot', provider), version).catch(() => undefined);
  }

  private key(kind: 'snapshot' | 'version' | 'walk' | 'walk-status', provider: string): string {
    return `${this.options.keyPrefix}${kind}:${provider}`;
  }
}

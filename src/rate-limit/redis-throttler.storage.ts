import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { FixedWindowStorage, type ThrottlerStorageRecord, windowRecord } from './fixed-window.storage.js';

// One round trip: count the hit and read how long the window has left. The
// PTTL fallback re-arms a key that lost its expiry (e.g. restored without TTL).
const COUNT_HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}
`;

/**
 * Fixed-window counters shared by every replica through Redis, so a client
 * gets one limit, not one per replica. While Redis is unreachable each
 * replica counts in its own memory: limits loosen, requests keep flowing.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RedisThrottlerStorage');
  private readonly redis: Redis & { countHit(key: string, ttlMs: number): Promise<[number, number]> };
  private readonly fallback = new FixedWindowStorage();
  private degraded = false;

  constructor(
    url: string,
    private readonly keyPrefix: string,
  ) {
    const redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      commandTimeout: 500,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    redis.defineCommand('countHit', { numberOfKeys: 1, lua: COUNT_HIT });
    this.redis = redis as typeof this.redis;
    this.redis.on('error', (error: Error) => this.markDegraded(true, error.message));
    this.redis.on('ready', () => this.markDegraded(false, 'connected'));
  }

  /** Settles once the first connection attempt has succeeded or failed (bounded), so the first requests count in Redis. */
  firstConnection(timeoutMs = 2000): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.redis.off('ready', done).off('error', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.redis.once('ready', done).once('error', done);
    });
  }

  async increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, resetInMs] = await this.redis.countHit(`${this.keyPrefix}ratelimit:${key}`, ttlMs);
      return windowRecord(hits, resetInMs, limit);
    } catch (error: unknown) {
      this.markDegraded(true, error instanceof Error ? error.message : 'count failed');
      return this.fallback.count(key, ttlMs, limit);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
    this.logger.log('Redis connection for rate limits closed');
  }

  private markDegraded(degraded: boolean, reason: string): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (degraded) this.logger.warn(`Redis unavailable for rate limits (${reason}); counting per replica`);
    else this.logger.log('Redis connected; rate limits are shared');
  }
}

import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
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
    redis: Redis,
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('countHit', { numberOfKeys: 1, lua: COUNT_HIT });
    this.redis = redis as typeof this.redis;
  }

  async increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, resetInMs] = await this.redis.countHit(`${this.keyPrefix}ratelimit:${key}`, ttlMs);
      if (this.degraded) this.logger.log('Redis answers again; rate limits are shared');
      this.degraded = false;
      return windowRecord(hits, resetInMs, limit);
    } catch (error: unknown) {
      if (!this.degraded) this.logger.warn(`Redis unavailable for rate limits (${error instanceof Error ? error.message : 'count failed'}); counting per replica`);
      this.degraded = true;
      return this.fallback.count(key, ttlMs, limit);
    }
  }
}

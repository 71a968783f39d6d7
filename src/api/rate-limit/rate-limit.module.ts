import { Module } from '@nestjs/common';
import { type ThrottlerStorage, ThrottlerModule, seconds } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { RedisConnections } from '../../redis/redis-connections.js';
import { FixedWindowStorage } from './fixed-window.storage.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

async function createStorage(redis: RedisConnections): Promise<ThrottlerStorage> {
  if (!redis.enabled) return new FixedWindowStorage();
  // The first requests should already count in Redis, so start-up waits (briefly) for the connection.
  await redis.connected('rate-limits');
  return new RedisThrottlerStorage(redis.client('rate-limits'), redis.keyPrefix);
}

/** Per-client limits on /v1 (health, metrics and docs are exempt), one budget across all /v1 routes. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, RedisConnections],
      useFactory: async (config: AppConfig, redis: RedisConnections) => ({
        throttlers: [{ name: 'default', limit: config.rateLimit.limit, ttl: seconds(config.rateLimit.windowSeconds) }],
        storage: await createStorage(redis),
        generateKey: (_context, tracker, name) => `${name}:${tracker}`,
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}

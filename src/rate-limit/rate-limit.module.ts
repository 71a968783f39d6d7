import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { seconds, type ThrottlerStorage, ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { FixedWindowStorage } from './fixed-window.storage.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

function createStorage(config: AppConfig): ThrottlerStorage {
  const { redisUrl, redisKeyPrefix } = config.cache;
  return redisUrl === undefined ? new FixedWindowStorage() : new RedisThrottlerStorage(redisUrl, redisKeyPrefix);
}

@Module({
  providers: [{ provide: RATE_LIMIT_STORAGE, useFactory: createStorage, inject: [APP_CONFIG] }],
  exports: [RATE_LIMIT_STORAGE],
})
class RateLimitStorageModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage) {}

  async onModuleInit(): Promise<void> {
    if (this.storage instanceof RedisThrottlerStorage) await this.storage.firstConnection();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.storage instanceof RedisThrottlerStorage) await this.storage.close();
  }
}

/** Per-client limits on /v1 (health, metrics and docs are exempt), one budget across all /v1 routes. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [APP_CONFIG, RATE_LIMIT_STORAGE],
      useFactory: (config: AppConfig, storage: ThrottlerStorage) => ({
        throttlers: [{ name: 'default', limit: config.rateLimit.limit, ttl: seconds(config.rateLimit.windowSeconds) }],
        storage,
        generateKey: (_context, tracker, name) => `${name}:${tracker}`,
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}

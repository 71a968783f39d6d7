import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MemorySnapshotStore } from './memory-snapshot-store.js';
import { RedisSnapshotStore } from './redis-snapshot-store.js';
import { SNAPSHOT_STORE, type SnapshotStore } from './snapshot-store.js';
import { SnapshotService } from './snapshot.service.js';

function createStore(config: AppConfig): SnapshotStore {
  const { redisUrl, redisKeyPrefix, ttlSeconds } = config.cache;
  if (redisUrl === undefined) return new MemorySnapshotStore();
  return new RedisSnapshotStore({ url: redisUrl, keyPrefix: redisKeyPrefix, ttlSeconds, lockMs: config.upstream.listingDeadlineMs + 5000 });
}

@Module({
  providers: [{ provide: SNAPSHOT_STORE, useFactory: createStore, inject: [APP_CONFIG] }, SnapshotService],
  exports: [SnapshotService, SNAPSHOT_STORE],
})
export class CacheModule implements OnApplicationShutdown {
  constructor(@Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

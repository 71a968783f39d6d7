import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MetricsService } from '../observability/metrics.service.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { MemorySnapshotStore } from './memory-snapshot-store.js';
import { RedisSnapshotStore } from './redis-snapshot-store.js';
import { SNAPSHOT_STORE, type SnapshotStore } from './snapshot-store.js';
import { SnapshotService } from './snapshot.service.js';
import { WalkJobs } from './walk-jobs.js';

/** The largest snapshot payload read back from Redis; 2 x 100k records take about a fifth of it. */
const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

function createStore(config: AppConfig, redis: RedisConnections, metrics: MetricsService): SnapshotStore {
  if (!redis.enabled) return new MemorySnapshotStore();
  return new RedisSnapshotStore(redis.client('snapshots'), {
    keyPrefix: config.cache.redisKeyPrefix,
    ttlSeconds: config.cache.ttlSeconds,
    maxSnapshotBytes: MAX_SNAPSHOT_BYTES,
    onRejected: (provider, reason) => metrics.countSnapshotRejected(provider, reason),
  });
}

@Module({
  providers: [{ provide: SNAPSHOT_STORE, useFactory: createStore, inject: [APP_CONFIG, RedisConnections, MetricsService] }, WalkJobs, SnapshotService],
  exports: [SnapshotService],
})
export class SnapshotsModule {}

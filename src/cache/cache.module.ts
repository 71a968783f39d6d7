import { Module } from '@nestjs/common';
import { MemorySnapshotStore } from './memory-snapshot-store.js';
import { SNAPSHOT_STORE } from './snapshot-store.js';
import { SnapshotService } from './snapshot.service.js';

@Module({
  providers: [{ provide: SNAPSHOT_STORE, useFactory: () => new MemorySnapshotStore() }, SnapshotService],
  exports: [SnapshotService],
})
export class CacheModule {}

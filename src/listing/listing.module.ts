import { Module } from '@nestjs/common';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { ListingService } from './listing.service.js';

@Module({
  imports: [SnapshotsModule],
  providers: [ListingService],
  exports: [ListingService, SnapshotsModule],
})
export class ListingModule {}

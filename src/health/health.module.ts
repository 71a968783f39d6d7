import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { HealthController } from './health.controller.js';
import { ProvidersStatusController } from './providers-status.controller.js';

@Module({
  imports: [CacheModule],
  controllers: [HealthController, ProvidersStatusController],
})
export class HealthModule {}

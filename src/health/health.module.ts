import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { HealthController } from './health.controller.js';
import { ProviderStatusService } from './provider-status.service.js';
import { ProvidersStatusController } from './providers-status.controller.js';

@Module({
  imports: [CacheModule],
  controllers: [HealthController, ProvidersStatusController],
  providers: [ProviderStatusService],
})
export class HealthModule {}

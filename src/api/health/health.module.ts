import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ListingModule } from '../../listing/listing.module.js';
import { HealthController } from './health.controller.js';
import { ProviderStatusService } from './provider-status.service.js';
import { ProvidersStatusController } from './providers-status.controller.js';
import { ReadinessIndicators } from './readiness.indicators.js';

@Module({
  imports: [
    ListingModule,
    TerminusModule.forRootAsync({
      inject: [APP_CONFIG],
      // During the delay readiness answers 503 `shutting_down` while requests are still served, so a load balancer can drain us.
      useFactory: (config: AppConfig) => ({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: config.http.shutdownDelayMs }),
    }),
  ],
  controllers: [HealthController, ProvidersStatusController],
  providers: [ProviderStatusService, ReadinessIndicators],
})
export class HealthModule {}

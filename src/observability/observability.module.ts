import { type DynamicModule, Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service.js';

/** The app's metrics, created with the app (the HTTP layer reports to them before Nest routes anything). */
@Global()
@Module({})
export class ObservabilityModule {
  static forMetrics(metrics: MetricsService): DynamicModule {
    return { module: ObservabilityModule, providers: [{ provide: MetricsService, useValue: metrics }], exports: [MetricsService] };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.js';
import { ListingModule } from '../listing/listing.module.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { MetricsKeyGuard } from './auth/metrics-key.guard.js';
import { HealthModule } from './health/health.module.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { ClientThrottlerGuard } from './rate-limit/client-throttler.guard.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { ListingCacheInterceptor } from './sub-orgs/listing-cache.interceptor.js';
import { ListingQueryPipe } from './sub-orgs/listing-query.pipe.js';
import { SubOrgsController } from './sub-orgs/sub-orgs.controller.js';

/** The HTTP API: controllers, their pipes, guards and interceptors. */
@Module({})
export class ApiModule {
  static forConfig(config: AppConfig): DynamicModule {
    const rateLimited = config.rateLimit.limit > 0;
    return {
      module: ApiModule,
      imports: [ListingModule, HealthModule, ...(rateLimited ? [RateLimitModule] : [])],
      controllers: [SubOrgsController, MetricsController],
      // Guards run in this order: the limit comes first so key guessing is throttled too.
      providers: [
        ...(rateLimited ? [{ provide: APP_GUARD, useClass: ClientThrottlerGuard }] : []),
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        MetricsKeyGuard,
        ListingQueryPipe,
        ListingCacheInterceptor,
      ],
    };
  }
}

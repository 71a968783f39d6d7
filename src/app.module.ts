import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { UpstreamHttpModule } from './http/upstream-http.module.js';
import { PageDecodingModule } from './providers/page-decoding.module.js';
import { ProvidersModule } from './providers/providers.module.js';
import { ClientThrottlerGuard } from './rate-limit/client-throttler.guard.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { SubOrgsModule } from './sub-orgs/sub-orgs.module.js';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig, options: { readonly pageDecoderWorker?: URL } = {}): DynamicModule {
    const providers = ProvidersModule.forConfig(config);
    const rateLimited = config.rateLimit.limit > 0;
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forConfig(config),
        MetricsModule,
        UpstreamHttpModule,
        PageDecodingModule.forWorker(options.pageDecoderWorker),
        providers,
        SubOrgsModule,
        HealthModule,
        ...(rateLimited ? [RateLimitModule] : []),
      ],
      // Guards run in this order: the limit comes first so key guessing is throttled too.
      providers: [...(rateLimited ? [{ provide: APP_GUARD, useClass: ClientThrottlerGuard }] : []), { provide: APP_GUARD, useClass: ApiKeyGuard }],
      exports: [providers],
    };
  }
}

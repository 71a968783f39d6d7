import { type DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ClsModule } from 'nestjs-cls';
import { ApiModule } from './api/api.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import type { MetricsService } from './observability/metrics.service.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { RedisModule } from './redis/redis.module.js';
import type { Upstream } from './upstreams/upstream-definition.js';
import { UpstreamsModule } from './upstreams/upstreams.module.js';

export interface GatewayParts {
  readonly config: AppConfig;
  readonly upstreams: readonly Upstream[];
  /** The app's own metrics registry (not prom-client's global one). */
  readonly metrics: MetricsService;
}

@Module({})
export class AppModule {
  static forRoot({ config, upstreams, metrics }: GatewayParts): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        // Request context (the request id) through AsyncLocalStorage: log lines and upstream calls made for a request carry its id.
        // No proxy providers or plugins here; resolving them anyway cost a dynamic import() per request (a sixth of a cached listing's CPU).
        ClsModule.forRoot({
          global: true,
          middleware: {
            mount: true,
            generateId: true,
            idGenerator: (request: IncomingMessage & { id?: string }) => request.id ?? '',
            resolveProxyProviders: false,
            initializePlugins: false,
            saveReq: false,
          },
        }),
        ObservabilityModule.forMetrics(metrics),
        RedisModule,
        UpstreamsModule.forUpstreams(upstreams),
        ApiModule.forConfig(config),
      ],
    };
  }
}

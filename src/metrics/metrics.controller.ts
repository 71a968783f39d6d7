import { Controller, Get, Header, Inject, type OnModuleInit, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { MetricsKeyGuard } from '../auth/metrics-key.guard.js';
import { PublicRoute } from '../auth/public-route.decorator.js';
import { SnapshotService } from '../cache/snapshot.service.js';
import { CircuitBreakers } from '../http/circuit-breakers.js';
import { SUB_ORG_PROVIDERS, type SubOrgProvider } from '../providers/provider.js';
import { MetricsService } from './metrics.service.js';

const CIRCUIT_VALUES = { closed: 0, half_open: 1, open: 2 } as const;

@ApiTags('health')
@PublicRoute()
@SkipThrottle()
@UseGuards(MetricsKeyGuard)
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly snapshots: SnapshotService,
    private readonly breakers: CircuitBreakers,
    @Inject(SUB_ORG_PROVIDERS) private readonly providers: readonly SubOrgProvider[],
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('suborg_circuit_state', 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open.', ['provider'], (set) => {
      for (const provider of this.providers) set({ provider: provider.key }, CIRCUIT_VALUES[this.breakers.state(provider.key)]);
    });
    this.metrics.gauge('suborg_snapshot_records', 'Records in the cached snapshot per provider.', ['provider'], async (set) => {
      for (const provider of this.providers) set({ provider: provider.key }, (await this.snapshots.peek(provider.key))?.items.length ?? 0);
    });
    this.metrics.gauge('suborg_snapshot_age_seconds', 'Age of the cached snapshot per provider (absent when cold).', ['provider'], async (set) => {
      for (const provider of this.providers) {
        const snapshot = await this.snapshots.peek(provider.key);
        if (snapshot !== undefined) set({ provider: provider.key }, (Date.now() - snapshot.fetchedAt) / 1000);
      }
    });
  }

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({ operationId: 'metrics', summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format.', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'Only when METRICS_API_KEY is set and the request does not carry it.' })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

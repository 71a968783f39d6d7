import { Controller, Get, Header, Inject, type OnModuleInit, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { MetricsService } from '../../observability/metrics.service.js';
import { SnapshotService } from '../../snapshots/snapshot.service.js';
import { CircuitBreakers } from '../../upstreams/http/circuit-breakers.js';
import { UPSTREAMS, type Upstream } from '../../upstreams/upstream-definition.js';
import { MetricsKeyGuard } from '../auth/metrics-key.guard.js';
import { PublicRoute } from '../auth/public-route.decorator.js';

const CIRCUIT_VALUES = { closed: 0, half_open: 1, open: 2 } as const;

@ApiTags('operations')
@PublicRoute()
@SkipThrottle()
@UseGuards(MetricsKeyGuard)
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly snapshots: SnapshotService,
    private readonly breakers: CircuitBreakers,
    @Inject(UPSTREAMS) private readonly upstreams: readonly Upstream[],
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('suborg_circuit_state', 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open.', ['provider'], (set) => {
      for (const { key } of this.upstreams) set({ provider: key }, CIRCUIT_VALUES[this.breakers.state(key)]);
    });
    this.metrics.gauge('suborg_snapshot_records', 'Records in the cached snapshot per provider.', ['provider'], async (set) => {
      for (const { key } of this.upstreams) set({ provider: key }, (await this.snapshots.view(key)).snapshot?.records.length ?? 0);
    });
    this.metrics.gauge('suborg_snapshot_age_seconds', 'Age of the cached snapshot per provider (absent when cold).', ['provider'], async (set) => {
      for (const { key } of this.upstreams) {
        const { snapshot } = await this.snapshots.view(key);
        if (snapshot !== undefined) set({ provider: key }, Math.max(0, Date.now() - snapshot.fetchedAt) / 1000);
      }
    });
    this.metrics.gauge('suborg_walk_pages_fetched', 'Pages the running walk of each provider has fetched (absent when no walk runs).', ['provider'], async (set) => {
      for (const { key } of this.upstreams) {
        const { progress } = await this.snapshots.view(key);
        if (progress !== undefined) set({ provider: key }, progress.pagesFetched);
      }
    });
  }

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({ operationId: 'metrics', summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format.', schema: { type: 'string' } })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { RedisConnections } from '../../redis/redis-connections.js';
import { UPSTREAMS, type Upstream } from '../../upstreams/upstream-definition.js';
import type { ProviderStatusDto } from './providers-status.dto.js';
import { ProviderStatusService } from './provider-status.service.js';

/** A provider contributes to listings unless its circuit is open with nothing cached to fall back on. */
const canContribute = (status: ProviderStatusDto): boolean => status.circuit !== 'open' || status.itemCount !== null;

/**
 * The readiness checks. Anything that still lets this replica answer
 * listings is at worst `degraded` (HTTP 200, so a load balancer keeps
 * sending traffic); a provider is `down` only when no provider at all can
 * contribute, which is when readiness turns 503.
 */
@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly statuses: ProviderStatusService,
    private readonly redis: RedisConnections,
    @Inject(UPSTREAMS) private readonly upstreams: readonly Upstream[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  configuration(): HealthIndicatorResult {
    return this.indicators.check('configuration').up({ providers: this.upstreams.map((upstream) => upstream.key) });
  }

  cache(): HealthIndicatorResult {
    const check = this.indicators.check('cache');
    switch (this.redis.health()) {
      case 'memory':
        return check.up({ store: 'memory' });
      case 'up':
        return check.up({ store: 'redis' });
      case 'degraded':
        return check.degraded({ store: 'redis', message: 'Redis is unreachable; this replica serves from its own memory' });
    }
  }

  async providers(): Promise<HealthIndicatorResult> {
    const statuses = await this.statuses.all();
    const anyCanContribute = statuses.some(canContribute);
    const results = statuses.map((status) => {
      const check = this.indicators.check(status.key);
      const details = { health: status.health, circuit: status.circuit, lastSuccessAt: status.lastSuccessAt, cacheAgeSeconds: status.cacheAgeSeconds, progress: status.progress };
      if (!canContribute(status)) return anyCanContribute ? check.degraded(details) : check.down(details);
      return status.health === 'ok' || status.health === 'cold' ? check.up(details) : check.degraded(details);
    });
    return Object.assign({}, ...results) as HealthIndicatorResult;
  }
}

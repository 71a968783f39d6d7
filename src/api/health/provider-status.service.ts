import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { sourceReport } from '../../listing/listing.service.js';
import { SnapshotService } from '../../snapshots/snapshot.service.js';
import { CircuitBreakers } from '../../upstreams/http/circuit-breakers.js';
import { UPSTREAMS, type Upstream } from '../../upstreams/upstream-definition.js';
import type { ProviderHealth, ProviderStatusDto } from './providers-status.dto.js';

const isoOrNull = (time: number | undefined): string | null => (time === undefined ? null : new Date(time).toISOString());

/** What each configured provider looks like right now: cache, walks, circuit. Starts nothing. */
@Injectable()
export class ProviderStatusService {
  constructor(
    @Inject(UPSTREAMS) private readonly upstreams: readonly Upstream[],
    private readonly snapshots: SnapshotService,
    private readonly breakers: CircuitBreakers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  all(): Promise<ProviderStatusDto[]> {
    return Promise.all(this.upstreams.map((upstream) => this.status(upstream)));
  }

  private async status(upstream: Upstream): Promise<ProviderStatusDto> {
    const { snapshot, progress, history } = await this.snapshots.view(upstream.key);
    const ageMs = snapshot === undefined ? undefined : Math.max(0, Date.now() - snapshot.fetchedAt);
    let health: ProviderHealth = 'cold';
    if (snapshot !== undefined) health = ageMs! < this.config.cache.ttlSeconds * 1000 ? 'ok' : 'stale';
    else if (progress !== undefined) health = 'warming';
    else if (history.lastError !== undefined) health = 'error';
    const report = sourceReport({ provider: upstream.key, state: 'ok', snapshot, error: undefined, progress, walked: false });
    return {
      key: upstream.key,
      label: upstream.label,
      health,
      cacheAgeSeconds: ageMs === undefined ? null : Math.floor(ageMs / 1000),
      itemCount: snapshot?.records.length ?? null,
      lastSuccessAt: isoOrNull(history.lastSuccessAt),
      lastAttemptAt: isoOrNull(history.lastAttemptAt),
      lastError: history.lastError ?? null,
      refreshing: progress !== undefined,
      progress: report.progress,
      circuit: this.breakers.state(upstream.key),
    };
  }
}

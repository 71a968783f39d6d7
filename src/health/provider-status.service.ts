import { Inject, Injectable } from '@nestjs/common';
import { SnapshotService } from '../cache/snapshot.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CircuitBreakers } from '../http/circuit-breakers.js';
import { SUB_ORG_PROVIDERS, type SubOrgProvider } from '../providers/provider.js';
import type { ProviderHealth, ProviderStatusDto } from './providers-status.dto.js';

const isoOrNull = (time: number | undefined): string | null => (time === undefined ? null : new Date(time).toISOString());

/** What each configured provider looks like right now: cache, last refresh, circuit. */
@Injectable()
export class ProviderStatusService {
  constructor(
    @Inject(SUB_ORG_PROVIDERS) private readonly providers: readonly SubOrgProvider[],
    private readonly snapshots: SnapshotService,
    private readonly breakers: CircuitBreakers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  all(): Promise<ProviderStatusDto[]> {
    return Promise.all(this.providers.map((provider) => this.status(provider)));
  }

  private async status(provider: SubOrgProvider): Promise<ProviderStatusDto> {
    const snapshot = await this.snapshots.peek(provider.key);
    const history = this.snapshots.refreshHistory(provider.key);
    const ageMs = snapshot === undefined ? undefined : Date.now() - snapshot.fetchedAt;
    let health: ProviderHealth = 'cold';
    if (snapshot !== undefined) health = ageMs! < this.config.cache.ttlSeconds * 1000 ? 'ok' : 'stale';
    else if (history.lastError !== undefined) health = 'error';
    return {
      key: provider.key,
      label: provider.label,
      baseUrl: provider.baseUrl,
      health,
      cacheAgeSeconds: ageMs === undefined ? null : Math.floor(ageMs / 1000),
      itemCount: snapshot?.items.length ?? null,
      lastSuccessAt: isoOrNull(history.lastSuccessAt),
      lastAttemptAt: isoOrNull(history.lastAttemptAt),
      lastError: history.lastError ?? null,
      refreshing: history.refreshing,
      circuit: this.breakers.state(provider.key),
    };
  }
}

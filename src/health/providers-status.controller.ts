import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SnapshotService } from '../cache/snapshot.service.js';
import { ApiProblemResponses } from '../errors/api-problem-responses.decorator.js';
import { SUB_ORG_PROVIDERS, type SubOrgProvider } from '../providers/provider.js';
import { type ProviderHealth, ProviderStatusDto, ProvidersStatusDto } from './providers-status.dto.js';

const isoOrNull = (time: number | undefined): string | null => (time === undefined ? null : new Date(time).toISOString());

@ApiTags('providers')
@Controller('v1/providers')
export class ProvidersStatusController {
  constructor(
    @Inject(SUB_ORG_PROVIDERS) private readonly providers: readonly SubOrgProvider[],
    private readonly snapshots: SnapshotService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listProviders', summary: 'Configured upstreams with their health and cache age' })
  @ApiOkResponse({ type: ProvidersStatusDto })
  @ApiProblemResponses(401, 429)
  async list(): Promise<ProvidersStatusDto> {
    return { providers: await Promise.all(this.providers.map((provider) => this.status(provider))) };
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
    };
  }
}

import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRoute } from '../auth/public-route.decorator.js';
import type { StoreHealth } from '../cache/snapshot-store.js';
import { SnapshotService } from '../cache/snapshot.service.js';
import { CIRCUIT_STATES, type CircuitStateName } from '../http/circuit-breakers.js';
import { PROVIDER_HEALTH, type ProviderHealth } from './providers-status.dto.js';
import { ProviderStatusService } from './provider-status.service.js';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

/** The public, unauthenticated view of a provider: no URLs, no error messages. */
export class ProviderReadinessDto {
  @ApiProperty()
  key!: string;

  @ApiProperty({ enum: PROVIDER_HEALTH, enumName: 'ProviderHealth' })
  health!: ProviderHealth;

  @ApiProperty({ enum: CIRCUIT_STATES, enumName: 'CircuitState' })
  circuit!: CircuitStateName;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status!: 'ok' | 'unavailable';

  @ApiProperty({
    enum: ['memory', 'up', 'degraded'],
    description: '`memory`: no REDIS_URL; `degraded`: Redis is configured but unreachable, so this replica serves from its own memory.',
  })
  cache!: StoreHealth;

  @ApiProperty({ type: [ProviderReadinessDto] })
  providers!: ProviderReadinessDto[];
}

@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly statuses: ProviderStatusService,
    private readonly snapshots: SnapshotService,
  ) {}

  @Get('live')
  @ApiOperation({ operationId: 'liveness', summary: 'The process is up' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'readiness',
    summary: 'Whether this replica can answer listings',
    description: 'Unavailable (503) only when no provider could contribute: every circuit is open and nothing is cached.',
  })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessDto> {
    const providers = await this.statuses.all();
    const canServe = providers.some((provider) => provider.circuit !== 'open' || provider.itemCount !== null);
    if (!canServe) void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: canServe ? 'ok' : 'unavailable',
      cache: this.snapshots.storeHealth(),
      providers: providers.map(({ key, health, circuit }) => ({ key, health, circuit })),
    };
  }
}

import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { PublicRoute } from '../auth/public-route.decorator.js';
import { HealthCheckFilter } from './health-check.filter.js';
import { HealthCheckDto, HealthIndicatorDto } from './health-check.dto.js';
import { ReadinessIndicators } from './readiness.indicators.js';

@ApiTags('health')
@PublicRoute()
@SkipThrottle()
@UseFilters(HealthCheckFilter)
@ApiExtraModels(HealthIndicatorDto)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
  ) {}

  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ operationId: 'liveness', summary: 'The process is up and its event loop answers' })
  @ApiOkResponse({ type: HealthCheckDto })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'readiness',
    summary: 'Whether this replica should receive traffic',
    description:
      'Indicators: `configuration`, `cache` (memory or Redis; `degraded` while Redis is unreachable) and one per provider (its last refresh and circuit). ' +
      '`degraded` still answers 200. 503 when no provider can contribute (every circuit open, nothing cached) or while shutting down.',
  })
  @ApiOkResponse({ type: HealthCheckDto })
  @ApiServiceUnavailableResponse({ type: HealthCheckDto })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.readiness.configuration(), () => this.readiness.cache(), () => this.readiness.providers()]);
  }
}

import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export class HealthIndicatorDto {
  @ApiProperty({ enum: ['up', 'degraded', 'down'], enumName: 'HealthIndicatorStatus' })
  status!: 'up' | 'degraded' | 'down';
}

const indicatorMap = (description: string) =>
  ({ type: 'object', description, additionalProperties: { $ref: getSchemaPath(HealthIndicatorDto) } }) as const;

/** Terminus's report: every indicator under `details`, split into `info` (up or degraded) and `error` (down). */
export class HealthCheckDto {
  @ApiProperty({ enum: ['ok', 'degraded', 'error', 'shutting_down'], enumName: 'HealthCheckStatus' })
  status!: 'ok' | 'degraded' | 'error' | 'shutting_down';

  @ApiPropertyOptional(indicatorMap('Indicators that are up or degraded.'))
  info?: Record<string, HealthIndicatorDto>;

  @ApiPropertyOptional(indicatorMap('Indicators that are down.'))
  error?: Record<string, HealthIndicatorDto>;

  @ApiProperty(indicatorMap('Every indicator by name, with what it observed.'))
  details!: Record<string, HealthIndicatorDto>;
}

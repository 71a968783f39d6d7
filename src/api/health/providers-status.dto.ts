import { ApiProperty } from '@nestjs/swagger';
import { CIRCUIT_STATES, type CircuitStateName } from '../../upstreams/http/circuit-breakers.js';
import { SourceErrorDto, WalkProgressDto } from '../sources/source-report.dto.js';

export const PROVIDER_HEALTH = ['ok', 'stale', 'warming', 'error', 'cold'] as const;
export type ProviderHealth = (typeof PROVIDER_HEALTH)[number];

/** A provider's state for operators; upstream URLs are not shown here (one API key is shared by a frontend's browsers) but in the start-up log. */
export class ProviderStatusDto {
  @ApiProperty({ enum: [], enumName: 'ProviderKey' })
  key!: string;

  @ApiProperty({ example: 'BlendVision One' })
  label!: string;

  @ApiProperty({
    enum: PROVIDER_HEALTH,
    enumName: 'ProviderHealth',
    description:
      '`cold`: no snapshot and no walk yet; `warming`: the first walk is running; `stale`: snapshot past its TTL; `error`: the last walk failed and nothing is cached.',
  })
  health!: ProviderHealth;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Seconds since the cached snapshot was walked.' })
  cacheAgeSeconds!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  itemCount!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastSuccessAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt!: string | null;

  @ApiProperty({ type: SourceErrorDto, nullable: true })
  lastError!: SourceErrorDto | null;

  @ApiProperty({ description: 'A walk is running right now (see `progress`).' })
  refreshing!: boolean;

  @ApiProperty({ type: WalkProgressDto, nullable: true, description: 'The running walk, when there is one.' })
  progress!: WalkProgressDto | null;

  @ApiProperty({ enum: CIRCUIT_STATES, enumName: 'CircuitState', description: '`open`: calls fail fast after repeated failures; `half_open`: one probe is allowed.' })
  circuit!: CircuitStateName;
}

export class ProvidersStatusDto {
  @ApiProperty({ type: [ProviderStatusDto] })
  providers!: ProviderStatusDto[];
}

import { ApiProperty } from '@nestjs/swagger';
import { CIRCUIT_STATES, type CircuitStateName } from '../http/circuit-breakers.js';
import { PROVIDER_KEYS } from '../providers/registry.js';
import { SourceErrorDto } from '../sub-orgs/dto/listing-response.dto.js';

export const PROVIDER_HEALTH = ['ok', 'stale', 'error', 'cold'] as const;
export type ProviderHealth = (typeof PROVIDER_HEALTH)[number];

export class ProviderStatusDto {
  @ApiProperty({ enum: PROVIDER_KEYS, enumName: 'ProviderKey' })
  key!: string;

  @ApiProperty({ example: 'BlendVision One' })
  label!: string;

  @ApiProperty({ example: 'https://api.one.blendvision.com' })
  baseUrl!: string;

  @ApiProperty({
    enum: PROVIDER_HEALTH,
    enumName: 'ProviderHealth',
    description: '`cold`: no snapshot yet; `stale`: snapshot past its TTL; `error`: the last refresh failed and nothing is cached.',
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

  @ApiProperty({ description: 'A walk is running right now.' })
  refreshing!: boolean;

  @ApiProperty({ enum: CIRCUIT_STATES, enumName: 'CircuitState', description: '`open`: calls fail fast after repeated failures; `half_open`: one probe is allowed.' })
  circuit!: CircuitStateName;
}

export class ProvidersStatusDto {
  @ApiProperty({ type: [ProviderStatusDto] })
  providers!: ProviderStatusDto[];
}

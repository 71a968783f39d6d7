import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SourceReport } from '../../domain/gateway-error.js';
import { SOURCE_STATUSES, type SourceStatus } from '../../domain/source.js';
import { UPSTREAM_ERROR_CODES, type UpstreamErrorCode } from '../../domain/upstream-error.js';

export class SourceErrorDto {
  @ApiProperty({ enum: UPSTREAM_ERROR_CODES, enumName: 'UpstreamErrorCode' })
  code!: UpstreamErrorCode;

  @ApiProperty({ description: 'What went wrong, without upstream bodies or credentials.' })
  message!: string;
}

export class WalkProgressDto {
  @ApiProperty({ type: 'integer', minimum: 0 })
  pagesFetched!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  recordsFetched!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Known once the upstream says how many records it has (bv), or from a hint; null otherwise.' })
  totalPages!: number | null;

  @ApiProperty({ type: String, format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the walk should be done, from its pace and the upstream request budget; null while unknown.' })
  estimatedReadyAt!: string | null;
}

export class SourceReportDto implements SourceReport {
  @ApiProperty({ enum: [], enumName: 'ProviderKey' })
  provider!: string;

  @ApiProperty({
    enum: SOURCE_STATUSES,
    enumName: 'SourceStatus',
    description: '`stale`: a snapshot older than the cache TTL; `warming`: no snapshot yet, a walk is running (see `progress`); `error`: see `error`.',
  })
  status!: SourceStatus;

  @ApiProperty({ type: 'integer', description: 'Records this source holds before filtering (0 without a snapshot).' })
  itemCount!: number;

  @ApiProperty({ type: 'integer', description: 'Upstream records left out because they could not be mapped or were duplicates.' })
  skipped!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the served snapshot was walked.' })
  fetchedAt!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'How long the walk behind the served snapshot took.' })
  latencyMs!: number | null;

  @ApiProperty({ type: WalkProgressDto, nullable: true, description: 'The walk running for this source (a first walk or a refresh); null when none runs.' })
  progress!: WalkProgressDto | null;

  @ApiPropertyOptional({ type: SourceErrorDto })
  error?: SourceErrorDto;
}

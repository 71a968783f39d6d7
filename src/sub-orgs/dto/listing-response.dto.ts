import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROVIDER_KEYS } from '../../providers/registry.js';
import { UPSTREAM_ERROR_CODES, type UpstreamErrorCode } from '../../http/upstream-error.js';
import { SubOrgDto } from './sub-org.dto.js';

export const SOURCE_STATUSES = ['ok', 'stale', 'error'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

export class SourceErrorDto {
  @ApiProperty({ enum: UPSTREAM_ERROR_CODES, enumName: 'UpstreamErrorCode' })
  code!: UpstreamErrorCode;

  @ApiProperty({ description: 'What went wrong, without upstream bodies or credentials.' })
  message!: string;
}

export class SourceReportDto {
  @ApiProperty({ enum: PROVIDER_KEYS, enumName: 'ProviderKey' })
  provider!: string;

  @ApiProperty({ enum: SOURCE_STATUSES, enumName: 'SourceStatus', description: '`stale`: served from a snapshot older than the cache TTL.' })
  status!: SourceStatus;

  @ApiProperty({ type: 'integer', description: 'Records this source holds before filtering (0 on error).' })
  itemCount!: number;

  @ApiProperty({ type: 'integer', description: 'Upstream records left out because they could not be mapped or were duplicates.' })
  skipped!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the served snapshot was walked.' })
  fetchedAt!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'How long the walk behind the served snapshot took.' })
  latencyMs!: number | null;

  @ApiPropertyOptional({ type: SourceErrorDto })
  error?: SourceErrorDto;
}

export class PageInfoDto {
  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  totalItems!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  totalPages!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the records after this page; null on the last page.' })
  nextCursor!: string | null;
}

export class SubOrgListingDto {
  @ApiProperty({ type: [SubOrgDto] })
  data!: SubOrgDto[];

  @ApiProperty({ type: PageInfoDto })
  page!: PageInfoDto;

  @ApiProperty({ type: [SourceReportDto] })
  sources!: SourceReportDto[];

  @ApiProperty({ description: 'True when a requested source failed and its records are absent.' })
  partial!: boolean;
}

import { ApiProperty } from '@nestjs/swagger';
import type { PageInfo, SubOrgListing } from '../../listing/listing.service.js';
import { SourceReportDto } from '../sources/source-report.dto.js';
import { SubOrgDto } from './sub-org.dto.js';

export class PageInfoDto implements PageInfo {
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

export class SubOrgListingDto implements SubOrgListing {
  @ApiProperty({ type: [SubOrgDto] })
  data!: SubOrgDto[];

  @ApiProperty({ type: PageInfoDto })
  page!: PageInfoDto;

  @ApiProperty({ type: [SourceReportDto] })
  sources!: SourceReportDto[];

  @ApiProperty({ description: 'True when a requested source is `error` or `warming`: its records are absent.' })
  partial!: boolean;
}

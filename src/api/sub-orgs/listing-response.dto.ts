import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { FacetBucket, Facets } from '../../listing/facets.js';
import type { PageInfo, SubOrgListing } from '../../listing/listing.service.js';
import { SourceReportDto } from '../sources/source-report.dto.js';
import { SparseSubOrgDto, SubOrgDto } from './sub-org.dto.js';

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

export class FacetBucketDto implements FacetBucket {
  @ApiProperty({ type: String, nullable: true, description: 'A value of the field; null counts the records without one.' })
  value!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0 })
  count!: number;
}


/** Only the facets the request asked for. */
export class FacetsDto implements Facets {
  @ApiPropertyOptional({ type: [FacetBucketDto], description: 'Every configured provider, zero counts included.' })
  provider?: FacetBucketDto[];

  @ApiPropertyOptional({ type: [FacetBucketDto], description: 'Every canonical status, zero counts included.' })
  status?: FacetBucketDto[];

  @ApiPropertyOptional({ type: [FacetBucketDto], description: 'Every canonical type and null, zero counts included.' })
  type?: FacetBucketDto[];

  @ApiPropertyOptional({ type: [FacetBucketDto], description: 'The 100 most frequent plans (first spelling seen; matched without regard to case).' })
  plan?: FacetBucketDto[];

  @ApiPropertyOptional({ type: [FacetBucketDto], description: 'The 100 most frequent parents.' })
  parentId?: FacetBucketDto[];
}

@ApiExtraModels(SubOrgDto, SparseSubOrgDto)
export class SubOrgListingDto implements SubOrgListing {
  @ApiProperty({
    type: 'array',
    items: { anyOf: [{ $ref: getSchemaPath(SubOrgDto) }, { $ref: getSchemaPath(SparseSubOrgDto) }] },
    description: 'Whole records, or with `fields` only those fields and `id`.',
  })
  data!: Array<SubOrgDto | SparseSubOrgDto>;

  @ApiProperty({ type: PageInfoDto })
  page!: PageInfoDto;

  @ApiProperty({ type: [SourceReportDto] })
  sources!: SourceReportDto[];

  @ApiProperty({ description: 'True when a requested source is `error` or `warming`: its records are absent.' })
  partial!: boolean;

  @ApiPropertyOptional({ type: FacetsDto, description: 'Only with `facets`: for each field, its values with how many records match every other filter of the request.' })
  facets?: FacetsDto;
}

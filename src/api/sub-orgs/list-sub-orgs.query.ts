import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SUB_ORG_FIELDS, SUB_ORG_STATUSES, SUB_ORG_TYPES, type SubOrgField, type SubOrgStatus, type SubOrgType } from '../../domain/sub-org.js';
import { FACET_FIELDS, type FacetField, type ListingFilter, type ListingQuery, SORT_OPTIONS, type SortOption } from '../../listing/listing-query.js';
import { BooleanQueryParam, DateTimeQueryParam, IntQueryParam, ListQueryParam, TextQueryParam } from '../validation/query-decorators.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** What selects and orders records: the listing's and the export's parameters alike. */
export class SubOrgFilterDto {
  // The enum is the running configuration's providers, filled in when the document is built.
  @ListQueryParam({ description: 'Restrict to these sources. Default: every configured source.', enum: [], enumName: 'ProviderKey', maxItems: 10, itemMaxLength: 32 })
  provider?: string[];

  @TextQueryParam({ description: 'Case-insensitive, Unicode-aware substring of `name`.', minLength: 1, maxLength: 200 })
  q?: string;

  @ListQueryParam({ description: 'Canonical statuses to keep.', enum: SUB_ORG_STATUSES, enumName: 'SubOrgStatus', maxItems: 20 })
  status?: SubOrgStatus[];

  @ListQueryParam({ description: 'Canonical types to keep (records whose type is null never match).', enum: SUB_ORG_TYPES, enumName: 'SubOrgType', maxItems: 20 })
  type?: SubOrgType[];

  @ListQueryParam({ description: 'Plans to keep, compared without regard to case (e.g. `free`, `business`, `BVONE`).', maxItems: 50, itemMaxLength: 100 })
  plan?: string[];

  @ListQueryParam({ description: "Parents to keep: the record's `parentId` is one of these (records without a parent never match).", maxItems: 50, itemMaxLength: 200 })
  parentId?: string[];

  @TextQueryParam({ description: 'Case-insensitive substring of `ownerEmail` (records without one never match).', minLength: 1, maxLength: 254 })
  ownerEmail?: string;

  @DateTimeQueryParam('Keep records created at or after this instant.')
  createdFrom?: string;

  @DateTimeQueryParam('Keep records created at or before this instant.')
  createdTo?: string;

  @DateTimeQueryParam('Keep records updated at or after this instant (records without `updatedAt` never match).')
  updatedFrom?: string;

  @DateTimeQueryParam('Keep records updated at or before this instant (records without `updatedAt` never match).')
  updatedTo?: string;

  @DateTimeQueryParam('Keep records whose contract ends at or after this instant (records without `contract.endsAt` never match).')
  contractEndsFrom?: string;

  @DateTimeQueryParam('Keep records whose contract ends at or before this instant (records without `contract.endsAt` never match).')
  contractEndsTo?: string;

  // No default: Swagger UI would send it, and every tried listing would then filter on it.
  @BooleanQueryParam('Keep records whose `hasSubOrgs` is this (records where it is null never match).', false)
  hasSubOrgs?: boolean;

  @ApiPropertyOptional({
    description: 'Sort order; `-` means descending. Ties are broken by `id` ascending; records without the value (`createdAt`, `updatedAt`, `contract.endsAt`) come last in both directions.',
    enum: SORT_OPTIONS,
    enumName: 'SortOption',
    default: 'name',
  })
  @IsOptional()
  @IsIn(SORT_OPTIONS, { message: `$property must be one of: ${SORT_OPTIONS.join(', ')}` })
  sort: SortOption = 'name';
}

export class ListSubOrgsQueryDto extends SubOrgFilterDto {
  // No `default` in the document: Swagger UI would fill it in, and a pasted cursor would then come with a page (a 400).
  @IntQueryParam({ description: '1-based page number; 1 when neither `page` nor `cursor` is given. Cannot be combined with `cursor`.', minimum: 1, maximum: 1_000_000 })
  page?: number;

  @IntQueryParam({ description: 'Records per page.', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  pageSize: number = DEFAULT_PAGE_SIZE;

  @TextQueryParam({
    description: 'Opaque `page.nextCursor` from a previous response with the same filters and sort: continues after its last record.',
    minLength: 1,
    maxLength: 2048,
    pattern: /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
  })
  cursor?: string;

  @BooleanQueryParam("Add each record's upstream original as `raw` (credentials such as license keys are removed).")
  includeRaw: boolean = false;

  @ListQueryParam({
    description: 'Add `facets`: for each field, its values with how many records match every other filter of this request (not the one on that field).',
    enum: FACET_FIELDS,
    enumName: 'FacetField',
    maxItems: FACET_FIELDS.length,
  })
  facets?: FacetField[];

  @ListQueryParam({ description: 'Sparse records: only these fields, and `id`.', enum: SUB_ORG_FIELDS, enumName: 'SubOrgField', maxItems: SUB_ORG_FIELDS.length })
  fields?: SubOrgField[];
}

/** A validated listing query, with what it means for the listing. */
export class ListingRequest extends ListSubOrgsQueryDto {
  query!: ListingQuery;
}

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportSubOrgsQueryDto extends SubOrgFilterDto {
  @ApiProperty({ description: 'CSV (RFC 4180, UTF-8, a header row) or NDJSON (one canonical record per line).', enum: EXPORT_FORMATS, enumName: 'ExportFormat' })
  @IsIn(EXPORT_FORMATS, { message: `$property must be one of: ${EXPORT_FORMATS.join(', ')}` })
  format!: ExportFormat;
}

/** A validated export query, with the filter and order it means. */
export class ExportRequest extends ExportSubOrgsQueryDto {
  filter!: ListingFilter;
  signature!: string;
}

export class GetSubOrgQueryDto {
  @BooleanQueryParam("Add the record's upstream original as `raw` (credentials such as license keys are removed).")
  includeRaw: boolean = false;
}

import { Controller, Get, Param, Query, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { GatewayException } from '../../domain/gateway-error.js';
import { ListingService, type SubOrgListing, type SubOrgView } from '../../listing/listing.service.js';
import { ApiProblemResponses } from '../problems/api-problem-responses.decorator.js';
import { StrictQueryPipe } from '../validation/strict-query.js';
import { EXPORT_CONTENT_TYPES, exportFileName, exportStream } from './export-stream.js';
import { ExportRequest, GetSubOrgQueryDto, ListingRequest } from './list-sub-orgs.query.js';
import { ListingCacheInterceptor } from './listing-cache.interceptor.js';
import { ExportQueryPipe, ListingQueryPipe } from './listing-query.pipe.js';
import { SubOrgListingDto } from './listing-response.dto.js';
import { SubOrgDto } from './sub-org.dto.js';

const MAX_ID_LENGTH = 300;

@ApiTags('sub-orgs')
@Controller('v1/sub-orgs')
export class SubOrgsController {
  constructor(private readonly listing: ListingService) {}

  @Get()
  @ApiOperation({
    operationId: 'listSubOrgs',
    summary: 'List sub-organizations across every configured upstream',
    description:
      'Merged, filtered, sorted and paginated. A failed source is reported in `sources` and sets `partial`; the response is still 200 while any requested source has data.',
  })
  @ApiOkResponse({ type: SubOrgListingDto })
  @ApiProblemResponses(400, 502, 503)
  @UseInterceptors(ListingCacheInterceptor)
  list(@Query(ListingQueryPipe) request: ListingRequest): Promise<SubOrgListing> {
    return this.listing.list(request.query);
  }

  @Get('export')
  @ApiOperation({
    operationId: 'exportSubOrgs',
    summary: 'Every matching record as a CSV or NDJSON download',
    description:
      'The listing\'s filters and sort, no paging: streams every matching record in order, as it is read. CSV: RFC 4180, UTF-8, a header row of the flattened canonical fields; a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `\'`. NDJSON: one canonical record per line. `X-Partial` says whether a requested source is missing.',
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'The export, as an attachment.', content: { 'text/csv': { schema: { type: 'string' } }, 'application/x-ndjson': { schema: { type: 'string' } } } })
  @ApiProblemResponses(400, 502, 503)
  async export(@Query(ExportQueryPipe) request: ExportRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const { records, partial } = await this.listing.export(request.filter, request.sort, request.signature);
    void reply.header('x-partial', String(partial)).header('cache-control', 'no-store');
    return new StreamableFile(exportStream(records, request.format), {
      type: EXPORT_CONTENT_TYPES[request.format],
      disposition: `attachment; filename="${exportFileName(request.format)}"`,
    });
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getSubOrg', summary: 'One sub-organization by its gateway id' })
  @ApiParam({ name: 'id', description: '`<provider>:<upstream id>`, e.g. `invent:org_f0fc76f82f5b2s` or `bv:6ee5f8b3-f1ac-9c77-00000000008d`', schema: { type: 'string', maxLength: MAX_ID_LENGTH } })
  @ApiOkResponse({ type: SubOrgDto })
  @ApiProblemResponses(400, 404, 502, 503)
  get(@Param('id') id: string, @Query(new StrictQueryPipe(GetSubOrgQueryDto)) query: GetSubOrgQueryDto): Promise<SubOrgView> {
    if (id.length > MAX_ID_LENGTH) throw GatewayException.invalid([{ field: 'id', message: `must be at most ${MAX_ID_LENGTH} characters` }]);
    return this.listing.get(id, query.includeRaw);
  }
}

import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { GatewayException } from '../../domain/gateway-error.js';
import { ListingService, type SubOrgListing, type SubOrgView } from '../../listing/listing.service.js';
import { ApiProblemResponses } from '../problems/api-problem-responses.decorator.js';
import { StrictQueryPipe } from '../validation/strict-query.js';
import { GetSubOrgQueryDto, ListingRequest } from './list-sub-orgs.query.js';
import { ListingCacheInterceptor } from './listing-cache.interceptor.js';
import { ListingQueryPipe } from './listing-query.pipe.js';
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

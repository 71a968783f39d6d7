import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../errors/api-problem-responses.decorator.js';
import { RequestId } from '../runtime/request-context.js';
import { GetSubOrgQueryDto, ListSubOrgsQueryDto } from './dto/list-sub-orgs.query.js';
import { SubOrgListingDto } from './dto/listing-response.dto.js';
import { SubOrgDto } from './dto/sub-org.dto.js';
import { ListingCacheInterceptor } from './listing-cache.interceptor.js';
import { SubOrgsService } from './sub-orgs.service.js';

@ApiTags('sub-orgs')
@Controller('v1/sub-orgs')
export class SubOrgsController {
  constructor(private readonly subOrgs: SubOrgsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listSubOrgs',
    summary: 'List sub-organizations across every configured upstream',
    description:
      'Merged, filtered, sorted and paginated. A failed source is reported in `sources` and sets `partial`; the response is still 200 while any requested source has data.',
  })
  @ApiOkResponse({ type: SubOrgListingDto })
  @ApiProblemResponses(400, 401, 429, 502)
  @UseInterceptors(ListingCacheInterceptor)
  list(@Query() query: ListSubOrgsQueryDto, @RequestId() requestId: string): Promise<SubOrgListingDto> {
    return this.subOrgs.list(query, requestId);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getSubOrg', summary: 'One sub-organization by its gateway id' })
  @ApiParam({ name: 'id', description: '`invent:<id>` or `bv:<id>`', example: 'invent:org_1a2b3c', schema: { type: 'string', maxLength: 300 } })
  @ApiOkResponse({ type: SubOrgDto })
  @ApiProblemResponses(400, 401, 404, 429, 502)
  get(@Param('id') id: string, @Query() query: GetSubOrgQueryDto, @RequestId() requestId: string): Promise<SubOrgDto> {
    return this.subOrgs.get(id, query.includeRaw, requestId);
  }
}

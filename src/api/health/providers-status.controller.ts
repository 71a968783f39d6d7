import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../problems/api-problem-responses.decorator.js';
import { NoQueryPipe } from '../validation/strict-query.js';
import { ProviderStatusService } from './provider-status.service.js';
import { ProvidersStatusDto } from './providers-status.dto.js';

@ApiTags('providers')
@Controller('v1/providers')
export class ProvidersStatusController {
  constructor(private readonly statuses: ProviderStatusService) {}

  @Get()
  @ApiOperation({ operationId: 'listProviders', summary: 'Configured upstreams with their health, circuit and cache age' })
  @ApiOkResponse({ type: ProvidersStatusDto })
  @ApiProblemResponses(400)
  async list(@Query(new NoQueryPipe()) _query: Record<string, never>): Promise<ProvidersStatusDto> {
    return { providers: await this.statuses.all() };
  }
}

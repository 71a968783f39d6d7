import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { PublicRoute } from '../auth/public-route.decorator.js';

export class HealthStatusDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  @Get('live')
  @ApiOperation({ operationId: 'liveness', summary: 'The process is up' })
  @ApiOkResponse({ type: HealthStatusDto })
  live(): HealthStatusDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ operationId: 'readiness', summary: 'Configuration is valid and every configured provider is wired' })
  @ApiOkResponse({ type: HealthStatusDto })
  ready(): HealthStatusDto {
    return { status: 'ok' };
  }
}

import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { SubOrgsController } from './sub-orgs.controller.js';
import { SubOrgsService } from './sub-orgs.service.js';

@Module({
  imports: [CacheModule],
  controllers: [SubOrgsController],
  providers: [SubOrgsService],
})
export class SubOrgsModule {}

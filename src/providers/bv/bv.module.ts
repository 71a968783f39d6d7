import { type DynamicModule, Module } from '@nestjs/common';
import { BV_CONFIG, BvClient } from './bv.client.js';
import type { BvConfig } from './bv.config.js';

@Module({})
export class BvModule {
  static register(config: BvConfig): DynamicModule {
    return {
      module: BvModule,
      providers: [{ provide: BV_CONFIG, useValue: config }, BvClient],
      exports: [BvClient],
    };
  }
}

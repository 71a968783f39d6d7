import { type DynamicModule, Module } from '@nestjs/common';
import { INVENT_CONFIG, InventClient } from './invent.client.js';
import type { InventConfig } from './invent.config.js';

@Module({})
export class InventModule {
  static register(config: InventConfig): DynamicModule {
    return {
      module: InventModule,
      providers: [{ provide: INVENT_CONFIG, useValue: config }, InventClient],
      exports: [InventClient],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { SUB_ORG_PROVIDERS, type SubOrgProvider } from './provider.js';

/** Imports the module of every configured provider and exposes them as one array under SUB_ORG_PROVIDERS. */
@Module({})
export class ProvidersModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: ProvidersModule,
      imports: config.providers.map((provider) => provider.module),
      providers: [
        {
          provide: SUB_ORG_PROVIDERS,
          useFactory: (...providers: SubOrgProvider[]): readonly SubOrgProvider[] => Object.freeze(providers),
          inject: config.providers.map((provider) => provider.token),
        },
      ],
      exports: [SUB_ORG_PROVIDERS],
    };
  }
}

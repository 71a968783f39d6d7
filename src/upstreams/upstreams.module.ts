import { type DynamicModule, Module } from '@nestjs/common';
import { UpstreamHttpModule } from './http/upstream-http.module.js';
import { PageWalker } from './page-walker.js';
import { UPSTREAMS, type Upstream } from './upstream-definition.js';

/** The configured providers (under UPSTREAMS), the one HTTP client and the one walker. */
@Module({})
export class UpstreamsModule {
  static forUpstreams(upstreams: readonly Upstream[]): DynamicModule {
    return {
      module: UpstreamsModule,
      global: true,
      imports: [UpstreamHttpModule],
      providers: [{ provide: UPSTREAMS, useValue: upstreams }, PageWalker],
      exports: [UPSTREAMS, PageWalker, UpstreamHttpModule],
    };
  }
}

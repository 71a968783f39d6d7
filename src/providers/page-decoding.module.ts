import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DEFAULT_PAGE_DECODER_WORKER, PageDecoder } from './page-decoder.js';

const MIB = 1024 * 1024;

/** Room to parse the largest page UPSTREAM_MAX_RESPONSE_BYTES lets in (a 30 MB page was measured to fit in 128 MB). */
export const decoderHeapMb = (maxResponseBytes: number): number => Math.max(128, Math.ceil((8 * maxResponseBytes) / MIB));

@Global()
@Module({})
export class PageDecodingModule {
  /** `worker`: the compiled worker script; tests running from sources point it at the build. */
  static forWorker(worker: URL = DEFAULT_PAGE_DECODER_WORKER): DynamicModule {
    return {
      module: PageDecodingModule,
      providers: [
        {
          provide: PageDecoder,
          useFactory: (config: AppConfig): PageDecoder => new PageDecoder(worker, decoderHeapMb(config.upstream.maxResponseBytes)),
          inject: [APP_CONFIG],
        },
      ],
      exports: [PageDecoder],
    };
  }
}

import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DEFAULT_PAGE_DECODER_WORKER, PAGE_DECODER_WORKER, PageDecoder } from './page-decoder.js';

@Global()
@Module({})
export class PageDecodingModule {
  /** `worker`: the compiled worker script; tests running from sources point it at the build. */
  static forWorker(worker: URL = DEFAULT_PAGE_DECODER_WORKER): DynamicModule {
    return {
      module: PageDecodingModule,
      providers: [{ provide: PAGE_DECODER_WORKER, useValue: worker }, PageDecoder],
      exports: [PageDecoder],
    };
  }
}

import { Worker } from 'node:worker_threads';
import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DecodeReply, DecodeRequest, DecodedRecords } from './page-decoder.protocol.js';
import { ownBytes } from '../runtime/owned-bytes.js';
import type { PageReadOutcome } from './page-reading.js';

/** The compiled worker script beside this module. */
export const DEFAULT_PAGE_DECODER_WORKER = new URL('./page-decoder.worker.js', import.meta.url);

/** The decoder itself failed (its worker exited or was stopped); says nothing about the page. */
export class PageDecoderError extends Error {}

interface Pending {
  readonly resolve: (outcome: PageReadOutcome) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Reads upstream pages (JSON parse, mapping, originals, index keys) on one worker
 * thread, so a walk of thousands of pages costs the event loop a small JSON
 * parse per page instead of the whole decode, and requests served meanwhile
 * are not held up. A body that is not JSON rejects with a SyntaxError; a
 * dead worker rejects what it held with a PageDecoderError and is replaced
 * on the next page.
 */
export class PageDecoder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PageDecoder.name);
  private readonly pending = new Map<number, Pending>();
  private worker: Worker | undefined;
  private nextId = 1;
  private stopped = false;

  /** `heapMb`: the worker's old generation; a page needs several times its size while it is parsed. */
  constructor(
    private readonly script: URL,
    private readonly heapMb = 128,
  ) {}

  decode(provider: string, body: Buffer, options: Readonly<Record<string, string>> = {}): Promise<PageReadOutcome> {
    if (this.stopped) return Promise.reject(new PageDecoderError('the page decoder has stopped'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    const bytes = ownBytes(body);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, provider, body: bytes, options } satisfies DecodeRequest, [bytes.buffer as ArrayBuffer]);
    });
  }

  /** Started with the app, so the first walk does not wait for the worker to load. */
  onModuleInit(): void {
    this.worker ??= this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.worker?.terminate();
  }

  private start(): Worker {
    // Pages are decoded and dropped: a bounded old generation is plenty, and a runaway page cannot take the process down.
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 48 } });
    worker.unref();
    worker.on('message', (reply: DecodeReply) => this.settle(reply));
    worker.on('error', (error) => this.logger.error(`page decoder worker failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      const reason = this.stopped ? 'the page decoder has stopped' : `the page decoder's worker exited (code ${code})`;
      for (const { reject } of this.pending.values()) reject(new PageDecoderError(reason));
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: DecodeReply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    switch (reply.kind) {
      case 'page': {
        const { original, createdTimes } = reply;
        const { mapped, searchableNames, nameKeys } = JSON.parse(reply.recordsJson) as DecodedRecords;
        pending.resolve({
          mapped,
          searchKeys: { searchableNames, nameKeys, createdTimes },
          ids: reply.ids,
          original: Buffer.from(original.buffer, original.byteOffset, original.byteLength),
          ...(reply.totalItems === undefined ? {} : { totalItems: reply.totalItems }),
        });
        return;
      }
      case 'misshapen':
        return pending.resolve({ problem: reply.problem });
      case 'invalid-json':
        return pending.reject(new SyntaxError('the body is not valid JSON'));
      case 'failed':
        return pending.reject(new PageDecoderError(reply.message));
    }
  }
}

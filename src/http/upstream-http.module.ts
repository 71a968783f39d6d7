import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, type Dispatcher } from 'undici';
import { CircuitBreakers } from './circuit-breakers.js';
import { UPSTREAM_DISPATCHER, UpstreamHttpClient } from './upstream-http.client.js';

@Global()
@Module({
  providers: [
    // Keep-alive toward each upstream, up to 64 connections per origin.
    { provide: UPSTREAM_DISPATCHER, useFactory: (): Dispatcher => new Agent({ connections: 64, keepAliveTimeout: 10_000 }) },
    UpstreamHttpClient,
    CircuitBreakers,
  ],
  exports: [UpstreamHttpClient, CircuitBreakers],
})
export class UpstreamHttpModule implements OnApplicationShutdown {
  constructor(@Inject(UPSTREAM_DISPATCHER) private readonly dispatcher: Dispatcher) {}

  /** After the server has drained: walks still running in the background are cut off rather than awaited. */
  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.destroy().catch(() => undefined);
  }
}

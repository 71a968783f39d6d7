import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpModule } from '@nestjs/axios';
import { Global, Module } from '@nestjs/common';
import { CircuitBreakers } from './circuit-breakers.js';
import { UpstreamHttpClient } from './upstream-http.client.js';

const KEEP_ALIVE = { keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 64, maxFreeSockets: 16 } as const;

@Global()
@Module({
  imports: [
    HttpModule.register({
      httpAgent: new HttpAgent(KEEP_ALIVE),
      httpsAgent: new HttpsAgent(KEEP_ALIVE),
      proxy: false,
    }),
  ],
  providers: [UpstreamHttpClient, CircuitBreakers],
  exports: [UpstreamHttpClient, CircuitBreakers],
})
export class UpstreamHttpModule {}

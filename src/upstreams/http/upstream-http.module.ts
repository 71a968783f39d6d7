import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpModule, HttpService } from '@nestjs/axios';
import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CircuitBreakers } from './circuit-breakers.js';
import { RequestBudgets } from './request-budgets.js';
import { UpstreamHttpClient } from './upstream-http.client.js';

/**
 * axios's defaults are unsafe for this job (no timeout, redirects followed,
 * bodies of any size, JSON parsed for us). The client passes one abort signal
 * per attempt over headers and body; here: keep-alive agents, no redirects
 * (a 3xx comes back as itself), the page cap enforced while the body streams
 * in, bodies as bytes, every status returned for the client to classify, and
 * no proxy taken from the environment (upstream URLs are checked at start-up).
 */
@Global()
@Module({
  imports: [
    HttpModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
        maxRedirects: 0,
        maxContentLength: config.upstream.maxResponseBytes,
        responseType: 'arraybuffer',
        decompress: true,
        validateStatus: () => true,
        proxy: false,
      }),
    }),
  ],
  providers: [UpstreamHttpClient, CircuitBreakers, RequestBudgets],
  exports: [UpstreamHttpClient, CircuitBreakers],
})
export class UpstreamHttpModule implements OnApplicationShutdown {
  constructor(private readonly http: HttpService) {}

  /** After the server has drained: walks still running in the background lose their sockets. */
  onApplicationShutdown(): void {
    const { httpAgent, httpsAgent } = this.http.axiosRef.defaults as { httpAgent?: HttpAgent; httpsAgent?: HttpsAgent };
    httpAgent?.destroy();
    httpsAgent?.destroy();
  }
}

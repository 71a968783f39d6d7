import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { BvSimulator } from '../../dev/simulators/bv-simulator.js';
import { InventSimulator } from '../../dev/simulators/invent-simulator.js';
import { createApp, gatewaySecrets } from '../../src/app.factory.js';
import { loadAppConfig } from '../../src/config/load-config.js';
import { JsonNestLogger, createJsonLogger } from '../../src/observability/json-logger.js';
import type { BvOrganization } from '../../src/upstreams/bv/bv.types.js';
import { configureUpstreams } from '../../src/upstreams/configure-upstreams.js';
import type { InventOrg } from '../../src/upstreams/invent/invent.types.js';
import { UPSTREAM_REGISTRY } from '../../src/upstreams/registry.js';
import type { UpstreamRegistration } from '../../src/upstreams/upstream-definition.js';

export const INVENT_KEY = 'test-invent-key-0001';
export const BV_TOKEN = 'test-bv-token-0001';

export interface HarnessOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly inventCount?: number;
  readonly bvCount?: number;
  readonly inventRecords?: InventOrg[];
  readonly bvRecords?: BvOrganization[];
  /** Leave a provider unconfigured. */
  readonly without?: 'invent' | 'bv';
  readonly logger?: LoggerService;
  /** Upstream credentials other than INVENT_KEY / BV_TOKEN (for tests that look for them in logs and answers). */
  readonly secrets?: { readonly invent?: string; readonly bv?: string };
  /** Capture the production JSON log (request lines included, secrets scrubbed) into this array, a line per entry. */
  readonly logLines?: string[];
  /** Reuse running simulators (several gateways on one upstream); they are then not stopped by close(). */
  readonly simulators?: { readonly invent: InventSimulator; readonly bv: BvSimulator };
  /** The provider registry, when a test adds a provider of its own. */
  readonly registry?: readonly UpstreamRegistration[];
}

export interface GatewayHarness {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly invent: InventSimulator;
  readonly bv: BvSimulator;
  readonly http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The real app over real HTTP, wired to both simulators on loopback. */
export async function startGateway(options: HarnessOptions = {}): Promise<GatewayHarness> {
  const owned = options.simulators === undefined;
  const inventKey = options.secrets?.invent ?? INVENT_KEY;
  const bvToken = options.secrets?.bv ?? BV_TOKEN;
  const invent = options.simulators?.invent ?? (await new InventSimulator({ apiKey: inventKey, count: options.inventCount ?? 250, records: options.inventRecords }).start());
  const bv = options.simulators?.bv ?? (await new BvSimulator({ accessToken: bvToken, count: options.bvCount ?? 230, records: options.bvRecords }).start());
  const env: Record<string, string> = {
    PORT: '0',
    // The limiter stays in the path, but suites that page through everything must not trip it; rate-limit tests set their own.
    RATE_LIMIT_MAX: '100000',
    ...(options.without === 'invent' ? {} : { INVENT_API_KEY: inventKey, INVENT_BASE_URL: invent.url }),
    ...(options.without === 'bv' ? {} : { BV_ACCESS_TOKEN: bvToken, BV_BASE_URL: bv.url }),
    ...options.env,
  };
  const config = loadAppConfig(env);
  const upstreams = configureUpstreams(env, options.registry ?? UPSTREAM_REGISTRY);
  const app = await createApp(config, upstreams, options.logLines === undefined ? { logger: options.logger ?? false } : capturedLog(options.logLines, gatewaySecrets(config, upstreams)));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    invent,
    bv,
    http: request(url),
    async close() {
      await app.close();
      if (owned) await Promise.all([invent.stop(), bv.stop()]);
    },
  };
}

/** The production JSON logger, writing into `lines` instead of stdout. */
function capturedLog(lines: string[], secrets: readonly string[]): { logger: LoggerService; requestLog: ReturnType<typeof createJsonLogger> } {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
      done();
    },
  });
  const log = createJsonLogger(secrets, sink);
  return { logger: new JsonNestLogger(log), requestLog: log };
}

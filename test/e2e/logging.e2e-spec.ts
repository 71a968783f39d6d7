import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { BvSimulator } from '../../dev/simulators/bv-simulator.js';
import { InventSimulator } from '../../dev/simulators/invent-simulator.js';
import { createApp, gatewaySecrets } from '../../src/app.factory.js';
import { loadAppConfig } from '../../src/config/load-config.js';
import { JsonNestLogger, createJsonLogger } from '../../src/observability/json-logger.js';
import { configureUpstreams } from '../../src/upstreams/configure-upstreams.js';
import { UPSTREAM_REGISTRY } from '../../src/upstreams/registry.js';

const INVENT_SECRET = 'invent-secret-key-7f3a9c';
const BV_SECRET = 'bv-secret-token-5e1d2b';
const CALLER_KEY = 'caller-secret-key-0123456789';
const METRICS_KEY = 'metrics-secret-key-0123456789';

const lines: string[] = [];
let app: NestFastifyApplication;
let url: string;
let invent: InventSimulator;
let bv: BvSimulator;

beforeAll(async () => {
  invent = await new InventSimulator({ apiKey: INVENT_SECRET, count: 120 }).start();
  bv = await new BvSimulator({ accessToken: BV_SECRET, count: 20 }).start();
  const env = { INVENT_API_KEY: INVENT_SECRET, INVENT_BASE_URL: invent.url, BV_ACCESS_TOKEN: BV_SECRET, BV_BASE_URL: bv.url, API_KEYS: CALLER_KEY, METRICS_API_KEY: METRICS_KEY, PORT: '0' };
  const config = loadAppConfig(env);
  const upstreams = configureUpstreams(env, UPSTREAM_REGISTRY);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
      done();
    },
  });
  const log = createJsonLogger(gatewaySecrets(config, upstreams), sink);
  app = await createApp(config, upstreams, { logger: new JsonNestLogger(log), requestLog: log });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app.close();
  await Promise.all([invent.stop(), bv.stop()]);
});

describe('JSON logs', () => {
  it('write one JSON line per request and per upstream call, with secrets redacted everywhere', async () => {
    bv.setFaults({ rejectCredential: true });
    await request(url).get('/v1/sub-orgs?pageSize=1').set('authorization', `Bearer ${CALLER_KEY}`).set('cookie', 'session=cookie-secret-42').expect(200);
    await request(url).get(`/v1/sub-orgs?api_key=${CALLER_KEY}&token=query-secret-99`).set('x-api-key', CALLER_KEY).expect(400);
    await request(url).get('/v1/sub-orgs').set('authorization', 'Bearer wrong-but-secret-value-123').expect(401);
    await request(url).get(`/metrics?key=${METRICS_KEY}`).set('authorization', `Bearer ${METRICS_KEY}`).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = records.filter((record) => record.event === 'request');
    expect(requestLines.map((record) => record.status)).toEqual([200, 400, 401, 200]);
    expect(requestLines[0]).toMatchObject({ method: 'GET', route: '/v1/sub-orgs', requestId: expect.any(String), latencyMs: expect.any(Number), level: 'info' });

    const upstream = records.filter((record) => record.event === 'upstream_call');
    expect(upstream.filter((record) => record.provider === 'invent' && record.outcome === 'ok').length).toBe(invent.stats.listRequests);
    expect(upstream.find((record) => record.provider === 'bv')).toMatchObject({ status: 401, outcome: 'UPSTREAM_AUTH_FAILED', attempt: 1 });

    const everything = lines.join('\n');
    for (const secret of [INVENT_SECRET, BV_SECRET, CALLER_KEY, METRICS_KEY, 'query-secret-99', 'wrong-but-secret-value-123', 'cookie-secret-42']) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).toContain('[REDACTED]');
  });
});

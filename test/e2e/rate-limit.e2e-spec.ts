import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { BvSimulator } from '../../dev/simulators/bv-simulator.js';
import { InventSimulator } from '../../dev/simulators/invent-simulator.js';
import { BV_TOKEN, type GatewayHarness, INVENT_KEY, startGateway } from '../support/gateway-harness.js';
import { SHARED_REDIS } from '../support/redis-server.js';


let invent: InventSimulator;
let bv: BvSimulator;
const gateways: GatewayHarness[] = [];

async function gatewayWith(env: Record<string, string>): Promise<GatewayHarness> {
  const gateway = await startGateway({ simulators: { invent, bv }, env });
  gateways.push(gateway);
  return gateway;
}

beforeAll(async () => {
  invent = await new InventSimulator({ apiKey: INVENT_KEY, count: 30 }).start();
  bv = await new BvSimulator({ accessToken: BV_TOKEN, count: 30 }).start();
});

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});

afterAll(async () => {
  await Promise.all([invent.stop(), bv.stop()]);
});

describe('per-client rate limits', () => {
  it('counts every /v1 route against one budget and answers 429 with Retry-After once it is spent', async () => {
    const { url } = await gatewayWith({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '30' });
    const first = await request(url).get('/v1/sub-orgs?pageSize=1').expect(200);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    await request(url).get('/v1/providers').expect(200);
    await request(url).get('/v1/sub-orgs/bv:missing').expect(404);

    const limited = await request(url).get('/v1/sub-orgs').expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ type: 'urn:suborg-gateway:problem:rate-limited', status: 429, title: 'Too many requests' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30).toBe(true);
    expect(limited.body.detail).toContain(`retry after ${retryAfter} s`);
    // Like every other /v1 answer, the refusal says where the client stands.
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['x-ratelimit-reset'])).toBe(retryAfter);
  });

  it('never limits probes, metrics or docs', async () => {
    const { url } = await gatewayWith({ RATE_LIMIT_MAX: '1' });
    await request(url).get('/v1/providers').expect(200);
    await request(url).get('/v1/providers').expect(429);
    for (let i = 0; i < 5; i++) {
      await request(url).get('/health/live').expect(200);
      await request(url).get('/health/ready').expect(200);
      await request(url).get('/metrics').expect(200);
      await request(url).get('/docs-json').expect(200);
    }
  });

  it('opens a new budget when the window ends', async () => {
    const { url } = await gatewayWith({ RATE_LIMIT_MAX: '1', RATE_LIMIT_WINDOW_SECONDS: '1' });
    await request(url).get('/v1/providers').expect(200);
    await request(url).get('/v1/providers').expect(429);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await request(url).get('/v1/providers').expect(200);
  });

  it('throttles API-key guessing before the key is checked', async () => {
    const { url } = await gatewayWith({ RATE_LIMIT_MAX: '2', API_KEYS: 'the-real-key-0123456789' });
    await request(url).get('/v1/providers').set('x-api-key', 'guess-1-0123456789abcdef').expect(401);
    await request(url).get('/v1/providers').set('x-api-key', 'guess-2-0123456789abcdef').expect(401);
    await request(url).get('/v1/providers').set('x-api-key', 'the-real-key-0123456789').expect(429);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says the peer is a proxy', async () => {
    const { url } = await gatewayWith({ RATE_LIMIT_MAX: '1' });
    await request(url).get('/v1/providers').set('x-forwarded-for', '203.0.113.1').expect(200);
    await request(url).get('/v1/providers').set('x-forwarded-for', '203.0.113.2').expect(429);
  });

  it('keys by the forwarded client address behind a trusted proxy', async () => {
    const { url } = await gatewayWith({ RATE_LIMIT_MAX: '1', TRUST_PROXY: '127.0.0.1' });
    await request(url).get('/v1/providers').set('x-forwarded-for', '203.0.113.1').expect(200);
    await request(url).get('/v1/providers').set('x-forwarded-for', '203.0.113.1').expect(429);
    await request(url).get('/v1/providers').set('x-forwarded-for', '203.0.113.2').expect(200);
    // A client cannot prepend its own hops: only the address the trusted proxy saw counts.
    await request(url).get('/v1/providers').set('x-forwarded-for', '198.51.100.9, 203.0.113.2').expect(429);
  });

  it('can be turned off', async () => {
    const { url } = await gatewayWith({ RATE_LIMIT_MAX: '0' });
    for (let i = 0; i < 5; i++) {
      const response = await request(url).get('/v1/providers').expect(200);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});

describe('rate limits shared through Redis', () => {
  it('gives a client one budget across replicas', async () => {
    const env = { RATE_LIMIT_MAX: '4', REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: `test:${randomUUID()}:` };
    const [a, b] = [await gatewayWith(env), await gatewayWith(env)];
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(i % 2 === 0 ? a.url : b.url).get('/v1/providers')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('keeps answering, limited per replica, when Redis is unreachable', async () => {
    const { url } = await gatewayWith({ RATE_LIMIT_MAX: '2', REDIS_URL: 'redis://127.0.0.1:1' });
    await request(url).get('/v1/providers').expect(200);
    await request(url).get('/v1/providers').expect(200);
    await request(url).get('/v1/providers').expect(429);
  });
});

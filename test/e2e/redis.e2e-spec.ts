import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { zstdDecompressSync } from 'node:zlib';
import { decodeSnapshot } from '../../src/snapshots/snapshot-codec.js';
import { BvSimulator } from '../../dev/simulators/bv-simulator.js';
import { InventSimulator } from '../../dev/simulators/invent-simulator.js';
import { BV_TOKEN, type GatewayHarness, INVENT_KEY, startGateway } from '../support/gateway-harness.js';
import { SHARED_REDIS, TestRedisServer } from '../support/redis-server.js';

/** The readiness report's cache indicator: `up` (Redis shared), `degraded` (Redis unreachable). */
const cacheOf = (response: { body: { details: { cache: { status: string } } } }): string => response.body.details.cache.status;


interface Listing {
  page: { totalItems: number };
  sources: Array<{ provider: string; status: string; fetchedAt: string | null }>;
}

let invent: InventSimulator;
let bv: BvSimulator;
const gateways: GatewayHarness[] = [];

async function replica(env: Record<string, string>): Promise<GatewayHarness> {
  const gateway = await startGateway({ simulators: { invent, bv }, env: { LISTING_DEADLINE_MS: '5000', ...env } });
  gateways.push(gateway);
  return gateway;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not reached in time');
}

beforeEach(async () => {
  invent = await new InventSimulator({ apiKey: INVENT_KEY, count: 300 }).start();
  bv = await new BvSimulator({ accessToken: BV_TOKEN, count: 260 }).start();
});

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  await Promise.all([invent.stop(), bv.stop()]);
});

describe('snapshots shared through Redis', () => {
  it('lets a second replica answer from the first replica\'s walk', async () => {
    const env = { REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: `test:${randomUUID()}:` };
    const a = await replica(env);
    const b = await replica(env);
    await until(async () => cacheOf(await request(b.url).get('/health/ready')) === 'up');
    const first = (await request(a.url).get('/v1/sub-orgs?pageSize=5').expect(200)).body as Listing;
    expect(first.page.totalItems).toBe(560);
    expect(invent.stats.walks + bv.stats.walks).toBe(2);

    const second = (await request(b.url).get('/v1/sub-orgs?pageSize=5&sort=-createdAt').expect(200)).body as Listing;
    expect(second.page.totalItems).toBe(560);
    expect(second.sources.map((s) => s.fetchedAt)).toEqual(first.sources.map((s) => s.fetchedAt));
    expect(invent.stats.walks).toBe(1);
    expect(bv.stats.walks).toBe(1);
    const raw = (await request(b.url).get(`/v1/sub-orgs/bv:${bv.records[0].id}?includeRaw=true`).expect(200)).body as { raw: { id: string } };
    expect(raw.raw.id).toBe(bv.records[0].id);
  });

  it('never stores an upstream credential in Redis', async () => {
    const prefix = `test:${randomUUID()}:`;
    const a = await replica({ REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: prefix });
    await until(async () => cacheOf(await request(a.url).get('/health/ready')) === 'up');
    await request(a.url).get('/v1/sub-orgs?provider=bv&pageSize=1').expect(200);
    const redis = new Redis(SHARED_REDIS);
    try {
      const payload = await redis.getBuffer(`${prefix}snapshot:bv`);
      const snapshot = await decodeSnapshot(payload!, 'bv', { maxBytes: 64 * 1024 * 1024 });
      const originals = snapshot.originals.pages.map((page) => (page.compressed ? zstdDecompressSync(page.bytes) : page.bytes).toString('utf8')).join('');
      expect(originals).toContain(bv.records[0].id);
      for (const record of bv.records) expect(originals).not.toContain(record.license_key!);
      expect(originals).not.toContain('license_key');
    } finally {
      redis.disconnect();
    }
  });

  it('walks each provider once for 100 concurrent cold requests split across two replicas', async () => {
    const env = { REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: `test:${randomUUID()}:` };
    const a = await replica(env);
    const b = await replica(env);
    await until(async () => cacheOf(await request(a.url).get('/health/ready')) === 'up' && cacheOf(await request(b.url).get('/health/ready')) === 'up');
    invent.setFaults({ latencyMs: 40 });
    bv.setFaults({ latencyMs: 40 });
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => request(i % 2 ? a.url : b.url).get(`/v1/sub-orgs?pageSize=${1 + (i % 10)}`)));
    expect(responses.map((r) => r.status).filter((status) => status !== 200)).toEqual([]);
    expect(responses.every((r) => (r.body as Listing).page.totalItems === 560)).toBe(true);
    expect(invent.stats.walks).toBe(1);
    expect(bv.stats.walks).toBe(1);
  });

  it('keeps answering through a Redis restart and shares snapshots again afterwards', async () => {
    const redis = new TestRedisServer(20000 + Math.floor(Math.random() * 20000));
    await redis.start();
    try {
      const env = { REDIS_URL: redis.url, CACHE_TTL_SECONDS: '1', CACHE_STALE_SECONDS: '0' };
      const a = await replica(env);
      const b = await replica(env);
      await until(async () => cacheOf(await request(a.url).get('/health/ready')) === 'up');
      await request(a.url).get('/v1/sub-orgs').expect(200);

      await redis.stop();
      await until(async () => cacheOf(await request(a.url).get('/health/ready')) === 'degraded');
      // Within the TTL the local copy answers; past it, each replica walks on its own.
      expect((await request(a.url).get('/v1/sub-orgs').expect(200)).body.page.totalItems).toBe(560);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const walksBefore = bv.stats.walks;
      expect((await request(a.url).get('/v1/sub-orgs').expect(200)).body.page.totalItems).toBe(560);
      expect((await request(b.url).get('/v1/sub-orgs').expect(200)).body.page.totalItems).toBe(560);
      expect(bv.stats.walks).toBe(walksBefore + 2);
      expect(cacheOf(await request(b.url).get('/health/ready').expect(200))).toBe('degraded');

      await redis.start();
      await until(async () => cacheOf(await request(a.url).get('/health/ready')) === 'up' && cacheOf(await request(b.url).get('/health/ready')) === 'up', 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const walksAfterRestart = bv.stats.walks;
      await request(a.url).get('/v1/sub-orgs').expect(200);
      await request(b.url).get('/v1/sub-orgs').expect(200);
      expect(bv.stats.walks).toBe(walksAfterRestart + 1);
    } finally {
      await redis.stop();
    }
  }, 30_000);

  it('works from local memory when Redis is unreachable from the start', async () => {
    const a = await replica({ REDIS_URL: 'redis://127.0.0.1:1' });
    const body = (await request(a.url).get('/v1/sub-orgs?pageSize=1').expect(200)).body as Listing;
    expect(body.page.totalItems).toBe(560);
    expect(cacheOf(await request(a.url).get('/health/ready').expect(200))).toBe('degraded');
  });
});

import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import request from 'supertest';
import { BvSimulator } from '../../dev/simulators/bv-simulator.js';
import { InventSimulator } from '../../dev/simulators/invent-simulator.js';
import { BV_TOKEN, type GatewayHarness, INVENT_KEY, startGateway } from '../support/gateway-harness.js';
import { SHARED_REDIS } from '../support/redis-server.js';

/**
 * Whatever sits in the shared cache, no replica crashes, stalls or serves it:
 * each poisoned key below is written into a real Redis between two replicas
 * and both keep answering with the upstreams' real data.
 */

interface Listing {
  data: Array<{ id: string; raw?: unknown }>;
  page: { totalItems: number };
  sources: Array<{ provider: string; status: string; itemCount: number }>;
}

/** A snapshot payload taken apart: what the codec writes, in order. */
interface Parts {
  header: Record<string, unknown>;
  records: Buffer;
  arrays: Buffer;
  originals: Buffer;
}

const INVENT_COUNT = 300;
const BV_COUNT = 260;

let invent: InventSimulator;
let bv: BvSimulator;
let redis: Redis;
let prefix: string;
const gateways: GatewayHarness[] = [];

async function replica(env: Record<string, string> = {}): Promise<GatewayHarness> {
  const gateway = await startGateway({ simulators: { invent, bv }, env: { REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: prefix, CACHE_TTL_SECONDS: '1', LISTING_DEADLINE_MS: '5000', ...env } });
  gateways.push(gateway);
  return gateway;
}

beforeAll(async () => {
  invent = await new InventSimulator({ apiKey: INVENT_KEY, count: INVENT_COUNT }).start();
  bv = await new BvSimulator({ accessToken: BV_TOKEN, count: BV_COUNT }).start();
  redis = new Redis(SHARED_REDIS);
});

afterAll(async () => {
  redis.disconnect();
  await Promise.all([invent.stop(), bv.stop()]);
});

beforeEach(() => {
  prefix = `test:${randomUUID()}:`;
});

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});

function split(payload: Buffer): Parts {
  const bytes = gunzipSync(payload);
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as Record<string, unknown>;
  const recordsEnd = 4 + headerLength + (header.recordsBytes as number);
  const arraysEnd = recordsEnd + (header.count as number) * 8;
  return { header, records: bytes.subarray(4 + headerLength, recordsEnd), arrays: bytes.subarray(recordsEnd, arraysEnd), originals: bytes.subarray(arraysEnd) };
}

function join({ header, records, arrays, originals }: Parts): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  return gzipSync(Buffer.concat([length, headerBytes, records, arrays, originals]));
}

/** The same parts with these records (count and sizes made consistent, every original pointing at page 0). */
function withRecords(parts: Parts, records: readonly unknown[]): Parts {
  const section = Buffer.from(JSON.stringify(records), 'utf8');
  return { ...parts, header: { ...parts.header, count: records.length, recordsBytes: section.length }, records: section, arrays: Buffer.alloc(records.length * 8) };
}

/** Writes a snapshot payload and its version key as the gateway would. */
async function plant(provider: string, payload: Buffer | string, version: string): Promise<void> {
  await redis.multi().set(`${prefix}snapshot:${provider}`, payload, 'PX', 60_000).set(`${prefix}version:${provider}`, version, 'PX', 60_000).exec();
}

async function listing(gateway: GatewayHarness, path = '/v1/sub-orgs?pageSize=5'): Promise<Listing> {
  const response = await request(gateway.url).get(path);
  expect([response.status, path]).toEqual([200, path]);
  return response.body as Listing;
}

async function expectCorrectAnswers(...replicas: GatewayHarness[]): Promise<void> {
  for (const gateway of replicas) {
    const body = await listing(gateway);
    expect(body.page.totalItems).toBe(INVENT_COUNT + BV_COUNT);
    expect(body.sources.map((source) => [source.provider, source.itemCount])).toEqual([
      ['invent', INVENT_COUNT],
      ['bv', BV_COUNT],
    ]);
    const raw = await listing(gateway, '/v1/sub-orgs?provider=bv&includeRaw=true&pageSize=3');
    expect(raw.data.every((record) => typeof record.raw === 'object' && record.raw !== null)).toBe(true);
    await request(gateway.url).get('/health/live').expect(200);
  }
}

async function rejectedCount(gateway: GatewayHarness, reason: string): Promise<number> {
  const { text } = await request(gateway.url).get('/metrics').expect(200);
  return text
    .split('\n')
    .filter((line) => line.startsWith('suborg_snapshot_rejected_total') && line.includes(`reason="${reason}"`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('poisoned shared cache', () => {
  /** Each case: what to plant (given the valid bv payload the replicas wrote), and the rejection reason it must be counted under. */
  const cases: Array<[string, (valid: Buffer, now: number) => Promise<void>, string]> = [
    ['records that are not objects', (valid, now) => plant('bv', join(withRecords(split(valid), [null, 7, 'x', { id: {}, name: null }])), String(now)), 'records'],
    [
      'a record with a field of the wrong type',
      (valid, now) => {
        const parts = split(valid);
        const records = (JSON.parse(parts.records.toString('utf8').split('\n')[0]) as Array<Record<string, unknown>>).map((record, i) => (i === 3 ? { ...record, name: 42 } : record));
        return plant('bv', join(withRecords(parts, records)), String(now));
      },
      'records',
    ],
    ['a truncated payload', (valid, now) => plant('bv', valid.subarray(0, valid.length >> 1), String(now)), 'truncated'],
    ['bytes that are not a payload at all', (_valid, now) => plant('bv', Buffer.from('{"provider":"bv","records":[]}'), String(now)), 'truncated'],
    ['a header counting more records than there are', (valid, now) => plant('bv', join({ ...split(valid), header: { ...split(valid).header, count: BV_COUNT + 5 } }), String(now)), 'counts'],
    ['a header that is not JSON', (valid, now) => plant('bv', gzipSync(Buffer.concat([Buffer.from([5, 0, 0, 0]), Buffer.from('{oops'), split(valid).records])), String(now)), 'header'],
    ['another format', (valid, now) => plant('bv', join({ ...split(valid), header: { ...split(valid).header, format: 99 } }), String(now)), 'format'],
    [
      'a fetchedAt in the future',
      (valid) => {
        const future = Date.parse('2999-01-01T00:00:00Z');
        return plant('bv', join({ ...split(valid), header: { ...split(valid).header, fetchedAt: future } }), String(future));
      },
      'timestamp',
    ],
    ['a version that is not a time', (valid) => plant('bv', valid, 'NaN'), 'timestamp'],
    ['a fetchedAt that is not a time', (valid, now) => plant('bv', join({ ...split(valid), header: { ...split(valid).header, fetchedAt: null } }), String(now)), 'timestamp'],
    [
      'originals pointing past their pages',
      (valid, now) => {
        const parts = split(valid);
        const arrays = Buffer.from(parts.arrays);
        arrays.writeUInt32LE(99, 0);
        return plant('bv', join({ ...parts, arrays }), String(now));
      },
      'originals',
    ],
    [
      'the snapshot key holding a hash',
      async (_valid, now) => {
        await redis.del(`${prefix}snapshot:bv`);
        await redis.hset(`${prefix}snapshot:bv`, 'records', '[]');
        await redis.set(`${prefix}version:bv`, String(now));
      },
      'wrong-type',
    ],
    [
      'the version key holding a list',
      async () => {
        await redis.del(`${prefix}version:bv`);
        await redis.rpush(`${prefix}version:bv`, '1', '2');
      },
      'wrong-type',
    ],
  ];

  it.each(cases)('survives %s: discarded, counted, re-walked, never served, on every replica', async (_name, poison, reason) => {
    const [a, b] = [await replica(), await replica()];
    await expectCorrectAnswers(a, b);
    const valid = await redis.getBuffer(`${prefix}snapshot:bv`);
    expect(valid).not.toBeNull();

    await poison(valid!, Date.now());
    // Both replicas' own copies go past CACHE_TTL_SECONDS: the next read goes to Redis.
    await sleep(1_100);
    await expectCorrectAnswers(a, b);
    // A replica started now has no copy of its own to fall back on.
    const c = await replica();
    await expectCorrectAnswers(c);

    const rejected = (await Promise.all([a, b, c].map((gateway) => rejectedCount(gateway, reason)))).reduce((sum, count) => sum + count, 0);
    expect(rejected).toBeGreaterThanOrEqual(1);
    // What is in Redis now is gone or valid again, never the poison.
    await sleep(1_100);
    await expectCorrectAnswers(a, b, c);
  });

  it('serves a snapshot stamped slightly ahead (clock skew) no fresher than CACHE_TTL_SECONDS', async () => {
    const writer = await replica({ CACHE_TTL_SECONDS: '30' });
    await expectCorrectAnswers(writer);
    const parts = split((await redis.getBuffer(`${prefix}snapshot:bv`))!);
    // A replica whose clock runs 4 s ahead wrote it.
    const ahead = Date.now() + 4_000;
    await plant('bv', join({ ...parts, header: { ...parts.header, fetchedAt: ahead } }), String(ahead));
    const reader = await replica({ CACHE_TTL_SECONDS: '30' });
    const response = await request(reader.url).get('/v1/sub-orgs?provider=bv&pageSize=1').expect(200);
    expect((response.body as Listing).page.totalItems).toBe(BV_COUNT);
    const maxAge = Number(/max-age=(\d+)/.exec(response.headers['cache-control'] as string)?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(0);
    expect(maxAge).toBeLessThanOrEqual(30);
  });

  it('survives walk-coordination keys of the wrong type', async () => {
    await redis.sadd(`${prefix}walk:bv`, 'x');
    await redis.rpush(`${prefix}walk-status:invent`, 'x');
    await redis.set(`${prefix}walk-status:bv`, '{"state":"running","progress":{"pagesFetched":-1},"at":"soon"}');
    const [a, b] = [await replica(), await replica()];
    await expectCorrectAnswers(a, b);
  });
});

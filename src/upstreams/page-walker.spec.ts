import { Test } from '@nestjs/testing';
import { ClsModule } from 'nestjs-cls';
import { BvSimulator } from '../../dev/simulators/bv-simulator.js';
import { InventSimulator } from '../../dev/simulators/invent-simulator.js';
import type { BvOrganization } from './bv/bv.types.js';
import { ConfigModule } from '../config/config.module.js';
import { loadAppConfig } from '../config/load-config.js';
import { deadlineIn } from '../domain/deadline.js';
import { UpstreamError } from '../domain/upstream-error.js';
import { MetricsService } from '../observability/metrics.service.js';
import { ObservabilityModule } from '../observability/observability.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { configureUpstreams } from './configure-upstreams.js';
import { OriginalsReader } from './originals.js';
import { PageWalker, type WalkResult } from './page-walker.js';
import { UPSTREAM_REGISTRY } from './registry.js';
import type { Upstream } from './upstream-definition.js';
import { UpstreamsModule } from './upstreams.module.js';

const KEY = 'walker-key';
const TOKEN = 'walker-token';

let invent: InventSimulator;
let bv: BvSimulator;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  invent = await new InventSimulator({ apiKey: KEY, count: 1234 }).start();
  bv = await new BvSimulator({ accessToken: TOKEN, count: 1234 }).start();
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all([invent.stop(), bv.stop()]);
});

/** The real walker (HttpService, breakers, budgets) in a Nest testing module, wired to the simulators. */
async function walkerFor(env: Record<string, string> = {}): Promise<{ walker: PageWalker; upstream: (key: string) => Upstream }> {
  const vars = {
    INVENT_API_KEY: KEY,
    INVENT_BASE_URL: invent.url,
    BV_ACCESS_TOKEN: TOKEN,
    BV_BASE_URL: bv.url,
    UPSTREAM_TIMEOUT_MS: '500',
    RETRY_BASE_DELAY_MS: '10',
    RETRY_MAX_DELAY_MS: '20',
    ...env,
  };
  const upstreams = configureUpstreams(vars, UPSTREAM_REGISTRY);
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forConfig(loadAppConfig(vars)),
      ClsModule.forRoot({ global: true }),
      ObservabilityModule.forMetrics(new MetricsService()),
      RedisModule,
      UpstreamsModule.forUpstreams(upstreams),
    ],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  closers.push(() => moduleRef.close());
  return { walker: moduleRef.get(PageWalker), upstream: (key) => upstreams.find((candidate) => candidate.key === key)! };
}

const idsOf = (result: WalkResult): string[] => result.records.map((record) => record.sourceId);

describe('PageWalker', () => {
  it('walks a total-items upstream: page 1 first, then the rest at UPSTREAM_CONCURRENCY at a time, each page once', async () => {
    const { walker, upstream } = await walkerFor({ UPSTREAM_CONCURRENCY: '3' });
    bv.setFaults({ latencyMs: 20 });
    const result = await walker.start(upstream('bv'), { deadline: deadlineIn(30_000) }).done;
    expect(idsOf(result)).toEqual(bv.records.map((record) => record.id));
    expect(result.pages).toBe(13);
    expect(Object.values(bv.stats.pageRequests).every((count) => count === 1)).toBe(true);
    expect(bv.stats.listRequests).toBe(13);
    expect(bv.stats.maxInFlight).toBe(3);
  });

  it('walks a short-page upstream to its first short page, asking for at most UPSTREAM_CONCURRENCY pages past it', async () => {
    const { walker, upstream } = await walkerFor({ UPSTREAM_CONCURRENCY: '4' });
    invent.setFaults({ latencyMs: 10 });
    const result = await walker.start(upstream('invent'), { deadline: deadlineIn(30_000) }).done;
    expect(idsOf(result)).toEqual(invent.records.map((record) => record.id));
    expect(result.pages).toBe(13);
    expect(invent.stats.listRequests).toBeGreaterThanOrEqual(13);
    // Each worker asks for its next page as soon as a body is in: the walk's requests stay within pages + UPSTREAM_CONCURRENCY.
    expect(invent.stats.listRequests).toBeLessThanOrEqual(13 + 4);
  });

  it('reports its progress after each page', async () => {
    const { walker, upstream } = await walkerFor({ UPSTREAM_CONCURRENCY: '2' });
    const seen: Array<{ pagesFetched: number; recordsFetched: number; totalPages: number | null }> = [];
    await walker.start(upstream('bv'), { deadline: deadlineIn(30_000), onPage: (counts) => seen.push(counts) }).done;
    expect(seen[0]).toEqual({ pagesFetched: 1, recordsFetched: 100, totalPages: 13 });
    expect(seen.at(-1)).toEqual({ pagesFetched: 13, recordsFetched: 1234, totalPages: 13 });
  });

  it('counts a short-page upstream up to its last page, never the empty pages asked for past it', async () => {
    const { walker, upstream } = await walkerFor({ UPSTREAM_CONCURRENCY: '4', UPSTREAM_MAX_ATTEMPTS: '5', RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '100' });
    // The last page fails once and is retried, so the empty pages past it are in hand before it says where the end is.
    invent.setFaults({ latencyMs: 30, failPages: [13] });
    const seen: Array<{ pagesFetched: number; recordsFetched: number }> = [];
    const onPage = (counts: { pagesFetched: number; recordsFetched: number }): void => {
      seen.push(counts);
      if (invent.stats.pageRequests[14] !== undefined) invent.setFaults({ latencyMs: 30 });
    };
    await walker.start(upstream('invent'), { deadline: deadlineIn(30_000), onPage }).done;
    expect(invent.stats.pageRequests[13]).toBeGreaterThan(1);
    expect(seen.at(-1)).toMatchObject({ pagesFetched: 13, recordsFetched: 1234 });
    expect(seen.every((counts) => counts.pagesFetched <= 13 && counts.recordsFetched <= 1234)).toBe(true);
  });

  it('waits out a 429 for its Retry-After and finishes with every record, failing nothing', async () => {
    const { walker, upstream } = await walkerFor();
    bv.setFaults({ rateLimitRequests: 2, retryAfter: '1' });
    const started = performance.now();
    const result = await walker.start(upstream('bv'), { deadline: deadlineIn(30_000) }).done;
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(idsOf(result)).toEqual(bv.records.map((record) => record.id));
    expect(bv.stats.byStatus).toEqual({ 200: 13, 429: 2 });
  });

  it('stops at a transient failure with a checkpoint, and the next walk fetches only the pages it lacks', async () => {
    const { walker, upstream } = await walkerFor({ UPSTREAM_CONCURRENCY: '2' });
    bv.setFaults({ failPages: [7], failStatus: 503 });
    const first = walker.start(upstream('bv'), { deadline: deadlineIn(30_000) });
    await expect(first.done).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    const checkpoint = first.checkpoint()!;
    expect(checkpoint.pages.has(7)).toBe(false);
    expect(checkpoint.pages.size).toBeGreaterThanOrEqual(6);
    const before = bv.stats.pageRequests;
    bv.setFaults({});
    const resumed = await walker.start(upstream('bv'), { deadline: deadlineIn(30_000), resumeFrom: checkpoint }).done;
    expect(idsOf(resumed)).toEqual(bv.records.map((record) => record.id));
    const after = bv.stats.pageRequests;
    for (const page of checkpoint.pages.keys()) expect(after[page]).toBe(before[page]);
    for (let page = 1; page <= 13; page++) if (!checkpoint.pages.has(page)) expect(after[page] - (before[page] ?? 0)).toBe(1);
  });

  it('leaves no checkpoint after a failure that another try would not fix', async () => {
    const { walker, upstream } = await walkerFor();
    bv.setFaults({ failPages: [3], failStatus: 401 });
    const walk = walker.start(upstream('bv'), { deadline: deadlineIn(30_000) });
    await expect(walk.done).rejects.toMatchObject({ code: 'UPSTREAM_AUTH_FAILED' });
    expect(walk.checkpoint()).toBeUndefined();
  });

  it('stops a runaway: a short-page upstream at UPSTREAM_MAX_PAGES, a total-items one at its first page', async () => {
    const { walker, upstream } = await walkerFor({ UPSTREAM_MAX_PAGES: '9' });
    invent.setFaults({ endlessPages: true });
    bv.setFaults({ endlessPages: true });
    await expect(walker.start(upstream('invent'), { deadline: deadlineIn(30_000) }).done).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
      message: expect.stringContaining('past UPSTREAM_MAX_PAGES (9)'),
    });
    expect(invent.stats.listRequests).toBeLessThanOrEqual(9);
    await expect(walker.start(upstream('bv'), { deadline: deadlineIn(30_000) }).done).rejects.toBeInstanceOf(UpstreamError);
    expect(bv.stats.listRequests).toBe(1);
  });

  it('stops an upstream that sends the same page again', async () => {
    const { walker, upstream } = await walkerFor();
    // Pages 1 to 3 hold the same hundred records: the simulator serves its records a page at a time.
    const page = Array.from({ length: 100 }, (_, i) => ({ id: `same-${i}`, name: `Same ${i}` }));
    invent.records = [...page, ...page, ...page];
    await expect(walker.start(upstream('invent'), { deadline: deadlineIn(30_000) }).done).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
      message: expect.stringContaining('identical to page 1'),
    });
  });

  it('keeps no credential in the originals, at any depth', async () => {
    const { walker, upstream } = await walkerFor();
    const secret = (i: number) => `s3cr3t-${i}`;
    bv.records = bv.records.slice(0, 150).map((record, i) => ({
      ...record,
      license_key: secret(i),
      owner: { ...record.owner, email: `o${i}@x.example`, token: secret(i) } as BvOrganization['owner'],
      next_contract: { plan_id: 'p', client_secret: secret(i) } as BvOrganization['next_contract'],
    }));
    const result = await walker.start(upstream('bv'), { deadline: deadlineIn(30_000) }).done;
    const reader = new OriginalsReader(result.originals);
    const originals = result.records.map((_, i) => JSON.stringify(reader.at(i)));
    expect(originals).toHaveLength(150);
    expect(originals.filter((text) => /s3cr3t|license_key|"token"|client_secret/.test(text))).toEqual([]);
    expect((reader.at(0) as { owner: { email: string } }).owner.email).toBe('o0@x.example');
  });

  it('skips a record nested too deeply to serialise, and keeps nothing of it', async () => {
    const { walker, upstream } = await walkerFor();
    let deep: unknown = { password: 'deep-s3cr3t' };
    for (let level = 0; level < 100; level++) deep = [deep];
    bv.records = bv.records.slice(0, 150).map((record, i) => (i === 7 ? ({ ...record, extra: deep } as BvOrganization) : record));
    const result = await walker.start(upstream('bv'), { deadline: deadlineIn(30_000) }).done;
    expect(result.records).toHaveLength(149);
    expect(result.skipped).toBe(1);
    expect(idsOf(result)).not.toContain(bv.records[7].id);
    const pages = result.originals.pages.map((page) => page.bytes.toString('utf8')).join('');
    expect(pages).not.toContain('deep-s3cr3t');
    const reader = new OriginalsReader(result.originals);
    expect(result.records.map((record, i) => (reader.at(i) as { id: string }).id)).toEqual(result.records.map((record) => record.sourceId));
  });
});

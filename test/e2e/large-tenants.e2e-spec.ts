import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { BvSimulator } from '../../dev/simulators/bv-simulator.js';
import { InventSimulator } from '../../dev/simulators/invent-simulator.js';
import { BV_TOKEN, type GatewayHarness, type HarnessOptions, INVENT_KEY, startGateway } from '../support/gateway-harness.js';
import { SHARED_REDIS } from '../support/redis-server.js';

/**
 * Large tenants under the vendors' real limits (the simulators enforce them
 * by default): walks are background jobs under request budgets; listings wait
 * at most LISTING_DEADLINE_MS and report progress; a hung upstream trips the
 * breaker; a runaway is stopped and recovers; an interrupted walk resumes.
 */

interface Progress {
  pagesFetched: number;
  recordsFetched: number;
  totalPages: number | null;
  startedAt: string;
  estimatedReadyAt: string | null;
}
interface Source {
  provider: string;
  status: string;
  itemCount: number;
  progress: Progress | null;
  error?: { code: string; message: string };
}
interface Listing {
  data: Array<{ id: string; sourceId: string }>;
  page: { totalItems: number; nextCursor: string | null };
  sources: Source[];
  partial: boolean;
}
interface ProviderStatus {
  key: string;
  health: string;
  circuit: string;
  lastError: { code: string } | null;
  progress: Progress | null;
}

const started: GatewayHarness[] = [];
const simulators: Array<{ stop(): Promise<void> }> = [];

async function start(options: HarnessOptions = {}): Promise<GatewayHarness> {
  const gateway = await startGateway(options);
  started.push(gateway);
  return gateway;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((gateway) => gateway.close()));
  await Promise.all(simulators.splice(0).map((simulator) => simulator.stop()));
});

const sourceOf = (listing: Listing, provider: string): Source => listing.sources.find((source) => source.provider === provider)!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timedGet(url: string, path: string): Promise<{ status: number; body: Listing; ms: number; headers: Record<string, string> }> {
  const begun = performance.now();
  const response = await request(url).get(path);
  return { status: response.status, body: response.body as Listing, ms: performance.now() - begun, headers: response.headers as Record<string, string> };
}

async function providerStatus(url: string, key: string): Promise<ProviderStatus> {
  const { body } = await request(url).get('/v1/providers').expect(200);
  return (body as { providers: ProviderStatus[] }).providers.find((provider) => provider.key === key)!;
}

/** Polls until `check` holds, or fails after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(pollMs);
  }
}

/** Every record of one provider, through the cursor. */
async function allIds(url: string, provider: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const path: string = `/v1/sub-orgs?provider=${provider}&pageSize=100&sort=createdAt${cursor === null ? '' : `&cursor=${cursor}`}`;
    const { body } = await request(url).get(path).expect(200);
    const listing = body as Listing;
    ids.push(...listing.data.map((record) => record.sourceId));
    cursor = listing.page.nextCursor;
  } while (cursor !== null);
  return ids;
}

describe('a 30,000-org Invent tenant under the default budget, limits on', () => {
  it('answers within the deadline with the walk warming, then lists every record exactly once, with zero 429s', async () => {
    const gateway = await start({ inventCount: 30_000, bvCount: 120, env: { LISTING_DEADLINE_MS: '1000' } });
    // 300 pages at 20 ms each, 4 at a time: about 1.5 s, longer than the listing deadline.
    gateway.invent.setFaults({ latencyMs: 20 });

    const first = await timedGet(gateway.url, '/v1/sub-orgs?pageSize=5');
    expect(first.status).toBe(200);
    expect(first.ms).toBeLessThan(1000 + 500);
    expect(first.body.partial).toBe(true);
    expect(first.headers['cache-control']).toBe('no-store');
    const warming = sourceOf(first.body, 'invent');
    expect(warming).toMatchObject({ status: 'warming', itemCount: 0 });
    expect(warming.progress!.pagesFetched).toBeGreaterThan(0);
    expect(warming.progress!.recordsFetched).toBe(warming.progress!.pagesFetched * 100);
    // From Invent's pagination headers: a hint only, the walk still ends at the first short page.
    expect(warming.progress!.totalPages).toBe(300);
    expect(Date.parse(warming.progress!.startedAt)).toBeLessThanOrEqual(Date.now());
    expect(sourceOf(first.body, 'bv')).toMatchObject({ status: 'ok', itemCount: 120 });
    // Operators see the same walk in /v1/providers and in readiness.
    expect(await providerStatus(gateway.url, 'invent')).toMatchObject({ health: 'warming', progress: { pagesFetched: expect.any(Number), totalPages: 300 } });
    const ready = (await request(gateway.url).get('/health/ready').expect(200)).body as { details: Record<string, { progress: Progress | null }> };
    expect(ready.details.invent.progress?.pagesFetched).toBeGreaterThan(0);

    await until(async () => sourceOf((await timedGet(gateway.url, '/v1/sub-orgs?pageSize=1')).body, 'invent').status === 'ok', 20_000);
    const ids = await allIds(gateway.url, 'invent');
    expect(ids).toHaveLength(30_000);
    expect(new Set(ids).size).toBe(30_000);
    expect(new Set(ids)).toEqual(new Set(gateway.invent.records.map((record) => record.id)));

    const stats = gateway.invent.stats;
    expect(stats.limited).toBe(0);
    expect(stats.byStatus['429']).toBeUndefined();
    expect(stats.walks).toBe(1);
    // Every page once: 300 full ones, the empty 301st that ends the walk, and at most
    // UPSTREAM_CONCURRENCY (4) asked for past it.
    expect(Object.values(stats.pageRequests).every((count) => count === 1)).toBe(true);
    expect(stats.listRequests).toBeLessThanOrEqual(301 + 4);
  });

  it('answers 503 warming, with Retry-After and the progress, when no requested source has data yet', async () => {
    const gateway = await start({ inventCount: 30_000, env: { LISTING_DEADLINE_MS: '500' } });
    gateway.invent.setFaults({ latencyMs: 20 });
    const { status, body, ms, headers } = await timedGet(gateway.url, '/v1/sub-orgs?provider=invent');
    expect(status).toBe(503);
    expect(ms).toBeLessThan(500 + 500);
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const problem = body as unknown as { type: string; status: number; sources: Source[] };
    expect(problem.type).toMatch(/:warming$/);
    expect(problem.status).toBe(503);
    expect(problem.sources).toEqual([expect.objectContaining({ provider: 'invent', status: 'warming', progress: expect.objectContaining({ pagesFetched: expect.any(Number) }) })]);
    // The walk goes on without any caller waiting: the same request soon succeeds.
    await until(async () => (await timedGet(gateway.url, '/v1/sub-orgs?provider=invent&pageSize=1')).status === 200, 20_000);
    expect(gateway.invent.stats.walks).toBe(1);
  });
});

describe('refreshes of a walk longer than CACHE_TTL_SECONDS', () => {
  it('serve the snapshot stale with the refresh progress, past CACHE_STALE_SECONDS, one walk at a time', async () => {
    const gateway = await start({ inventCount: 2_000, bvCount: 120, env: { CACHE_TTL_SECONDS: '1', CACHE_STALE_SECONDS: '0', LISTING_DEADLINE_MS: '5000' } });
    // 21 pages at 300 ms, 4 at a time: a walk of about 1.8 s, longer than the TTL.
    gateway.invent.setFaults({ latencyMs: 300 });
    const first = await timedGet(gateway.url, '/v1/sub-orgs?provider=invent&pageSize=1');
    expect(sourceOf(first.body, 'invent')).toMatchObject({ status: 'ok', itemCount: 2_000 });
    const firstFetchedAt = (first.body.sources[0] as Source & { fetchedAt: string }).fetchedAt;

    await sleep(1_100);
    const seen: string[] = [];
    let refreshed: Listing | undefined;
    const begun = Date.now();
    while (refreshed === undefined && Date.now() - begun < 8_000) {
      const { body, ms } = await timedGet(gateway.url, '/v1/sub-orgs?provider=invent&pageSize=1');
      const invent = sourceOf(body, 'invent') as Source & { fetchedAt: string };
      // Never dropped, never a wait: the old snapshot answers until the new one lands.
      expect(ms).toBeLessThan(250);
      expect(body.partial).toBe(false);
      expect(invent.itemCount).toBe(2_000);
      seen.push(invent.status);
      if (invent.status === 'stale') expect(invent.progress).toMatchObject({ pagesFetched: expect.any(Number), startedAt: expect.any(String) });
      if (invent.status === 'ok' && invent.fetchedAt !== firstFetchedAt) refreshed = body;
      await sleep(100);
    }
    expect(refreshed).toBeDefined();
    expect(seen.filter((status) => status === 'stale').length).toBeGreaterThan(5);
    expect(seen.every((status) => status === 'stale' || status === 'ok')).toBe(true);
    // The first walk and one refresh; never two at once (one walk has at most 4 pages in flight).
    expect(gateway.invent.stats.walks).toBe(2);
    expect(gateway.invent.stats.maxInFlight).toBeLessThanOrEqual(4);
  });
});

describe('two gateways on one Redis', () => {
  it('walk a provider once and together stay within its budget in any rolling minute', async () => {
    const invent = await new InventSimulator({ apiKey: INVENT_KEY, count: 5_000 }).start();
    const bv = await new BvSimulator({ accessToken: BV_TOKEN, count: 120 }).start();
    simulators.push(invent, bv);
    const env = { REDIS_URL: SHARED_REDIS, REDIS_KEY_PREFIX: `test:${randomUUID()}:`, INVENT_REQUESTS_PER_MINUTE: '20', LISTING_DEADLINE_MS: '1500' };
    const [a, b] = await Promise.all([start({ simulators: { invent, bv }, env }), start({ simulators: { invent, bv }, env })]);
    await until(async () => {
      const [readyA, readyB] = await Promise.all([request(a.url).get('/health/ready'), request(b.url).get('/health/ready')]);
      return [readyA, readyB].every((ready) => (ready.body as { details?: { cache?: { status: string } } }).details?.cache?.status === 'up');
    }, 5_000);

    // 50 pages, 20 allowed per minute between both replicas.
    const listings = await Promise.all([a, b, a, b].map((gateway) => timedGet(gateway.url, '/v1/sub-orgs?pageSize=1')));
    for (const { status, body } of listings) {
      expect(status).toBe(200);
      expect(sourceOf(body, 'invent')).toMatchObject({ status: 'warming' });
    }
    await sleep(1_000);
    expect(invent.stats.walks).toBe(1);
    expect(invent.stats.listRequests).toBe(20);
    expect(invent.stats.limited).toBe(0);
    // Each replica sees the one walk's progress.
    for (const gateway of [a, b]) {
      const status = await providerStatus(gateway.url, 'invent');
      expect(status.progress).toMatchObject({ pagesFetched: 20, recordsFetched: 2_000 });
    }
  });
});

describe('faults that cost time', () => {
  const FAST = { UPSTREAM_TIMEOUT_MS: '300', LISTING_DEADLINE_MS: '2000', RETRY_BASE_DELAY_MS: '20', RETRY_MAX_DELAY_MS: '50', CIRCUIT_OPEN_SECONDS: '2' };

  it('a hung upstream opens its circuit: listings then answer in under a second, one probe per CIRCUIT_OPEN_SECONDS reaches it, readiness says so', async () => {
    const gateway = await start({ inventCount: 150, bvCount: 120, env: FAST });
    gateway.bv.setFaults({ hang: true });

    const timeline: Array<{ atMs: number; ms: number; code: string | undefined }> = [];
    const begun = performance.now();
    while (performance.now() - begun < 6_000) {
      const { body, ms } = await timedGet(gateway.url, '/v1/sub-orgs?pageSize=1');
      timeline.push({ atMs: performance.now() - begun, ms, code: sourceOf(body, 'bv').error?.code });
      await sleep(100);
    }
    const opened = timeline.findIndex((entry) => entry.code === 'CIRCUIT_OPEN');
    // Timeouts count as breaker failures: the circuit opens within a few listings, not after a minute.
    expect(opened).toBeGreaterThan(0);
    expect(timeline[opened].atMs).toBeLessThan(5_000);
    const after = timeline.slice(opened);
    expect(after.every((entry) => entry.ms < 1000)).toBe(true);
    expect(after.every((entry) => entry.code === 'CIRCUIT_OPEN' || entry.code === 'UPSTREAM_TIMEOUT')).toBe(true);

    // From here on, at most one probe per CIRCUIT_OPEN_SECONDS (2 s) reaches the hung upstream.
    const requestsBefore = gateway.bv.stats.listRequests;
    await sleep(5_000);
    await timedGet(gateway.url, '/v1/sub-orgs?pageSize=1');
    expect(gateway.bv.stats.listRequests - requestsBefore).toBeLessThanOrEqual(3);

    const ready = await request(gateway.url).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'degraded', details: { bv: { circuit: 'open' }, invent: { status: 'up' } } });
    expect((await providerStatus(gateway.url, 'bv')).circuit).toBe('open');
  });

  it('a runaway upstream is stopped with UPSTREAM_BAD_RESPONSE everywhere, and the next walk starts at once when it recovers', async () => {
    const gateway = await start({ inventCount: 150, bvCount: 120, env: { ...FAST, UPSTREAM_MAX_PAGES: '12' } });
    gateway.invent.setFaults({ endlessPages: true });
    const runaway = await timedGet(gateway.url, '/v1/sub-orgs?pageSize=1');
    expect(sourceOf(runaway.body, 'invent').error).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
    expect((await providerStatus(gateway.url, 'invent')).lastError).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
    expect(gateway.invent.stats.listRequests).toBeLessThanOrEqual(12 + 4);

    gateway.invent.setFaults({});
    const recovered = await timedGet(gateway.url, '/v1/sub-orgs?pageSize=1');
    expect(recovered.ms).toBeLessThan(1000);
    expect(sourceOf(recovered.body, 'invent')).toMatchObject({ status: 'ok', itemCount: 150 });
    expect((await providerStatus(gateway.url, 'invent')).health).toBe('ok');
  });

  it('a walk stopped by a transient failure resumes from the page that failed: every other page is fetched once', async () => {
    const gateway = await start({ inventCount: 150, bvCount: 2_000, env: FAST });
    gateway.bv.setFaults({ failPages: [12] });
    const failed = await timedGet(gateway.url, '/v1/sub-orgs?provider=bv,invent&pageSize=1');
    expect(sourceOf(failed.body, 'bv').error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    const failedAttempts = gateway.bv.stats.pageRequests[12];
    expect(failedAttempts).toBeGreaterThanOrEqual(1);

    gateway.bv.setFaults({});
    const resumed = await timedGet(gateway.url, '/v1/sub-orgs?provider=bv&pageSize=1');
    expect(sourceOf(resumed.body, 'bv')).toMatchObject({ status: 'ok', itemCount: 2_000 });
    const { pageRequests, walks } = gateway.bv.stats;
    expect(walks).toBe(1);
    for (let page = 1; page <= 20; page++) expect([page, pageRequests[page]]).toEqual([page, page === 12 ? failedAttempts + 1 : 1]);
    expect(new Set((await allIds(gateway.url, 'bv')).map(String)).size).toBe(2_000);
  });
});

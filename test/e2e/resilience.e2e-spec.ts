import request from 'supertest';
import { BV_BAD_RECORDS } from '../../dev/simulators/bv-simulator.js';
import { INVENT_BAD_RECORDS } from '../../dev/simulators/invent-simulator.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { type GatewayHarness, type HarnessOptions, startGateway } from '../support/gateway-harness.js';

interface HealthReport {
  status: string;
  details: Record<string, { status: string; [detail: string]: unknown }>;
}

/** Short timeouts so faults resolve in well under a second; the logic is the production one. */
const FAST = {
  UPSTREAM_TIMEOUT_MS: '300',
  LISTING_DEADLINE_MS: '2000',
  RETRY_BASE_DELAY_MS: '20',
  RETRY_MAX_DELAY_MS: '100',
  CIRCUIT_OPEN_SECONDS: '1',
};

interface Source {
  provider: string;
  status: string;
  itemCount: number;
  skipped: number;
  fetchedAt: string | null;
  progress: { pagesFetched: number; recordsFetched: number; totalPages: number | null } | null;
  error?: { code: string; message: string };
}
interface Listing {
  data: Array<{ id: string; status: string }>;
  page: { totalItems: number };
  sources: Source[];
  partial: boolean;
}

let gateway: GatewayHarness | undefined;
const started: GatewayHarness[] = [];

async function start(options: HarnessOptions = {}): Promise<GatewayHarness> {
  gateway = await startGateway({ inventCount: 150, bvCount: 120, ...options, env: { ...FAST, ...options.env } });
  started.push(gateway);
  return gateway;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((harness) => harness.close()));
  gateway = undefined;
});

async function timed(path: string, expectedStatus = 200): Promise<{ body: Listing; ms: number; headers: Record<string, string> }> {
  const started = performance.now();
  const response = await request(gateway!.url).get(path).expect(expectedStatus);
  return { body: response.body as Listing, ms: performance.now() - started, headers: response.headers as Record<string, string> };
}

const source = (body: Listing, provider: string): Source => body.sources.find((s) => s.provider === provider)!;

describe('upstream faults over real HTTP', () => {
  it('waits for a slow upstream that still answers within the attempt timeout', async () => {
    const { bv, invent } = await start();
    bv.setFaults({ latencyMs: 150 });
    const { body, ms } = await timed('/v1/sub-orgs?pageSize=1');
    expect(body.partial).toBe(false);
    expect(body.page.totalItems).toBe(270);
    expect(ms).toBeGreaterThanOrEqual(150);
    expect(bv.stats.listRequests).toBe(2);
    // Invent has no total: UPSTREAM_CONCURRENCY (4) workers fetch ahead until a short page ends the
    // walk, at most 4 requests past its 2 pages.
    expect(invent.stats.listRequests).toBeGreaterThanOrEqual(2);
    expect(invent.stats.listRequests).toBeLessThanOrEqual(2 + 4);
  });

  it('answers a partial 200 within the deadline when an upstream hangs', async () => {
    const { bv } = await start();
    bv.setFaults({ hang: true });
    const { body, ms } = await timed('/v1/sub-orgs?pageSize=5');
    expect(ms).toBeLessThan(2000 + 500);
    expect(body.partial).toBe(true);
    expect(source(body, 'bv')).toMatchObject({ status: 'error', itemCount: 0, error: { code: 'UPSTREAM_TIMEOUT' } });
    expect(source(body, 'invent')).toMatchObject({ status: 'ok', itemCount: 150 });
    expect(body.page.totalItems).toBe(150);
    // Each hung attempt times out after 300 ms and is retried: 3 attempts, then the call gives up.
    expect(bv.stats.listRequests).toBe(3);
  });

  it('retries a burst of 503s and recovers', async () => {
    const { bv } = await start();
    bv.setFaults({ failRequests: 2, failStatus: 503 });
    const { body } = await timed('/v1/sub-orgs?pageSize=1');
    expect(body.partial).toBe(false);
    expect(source(body, 'bv')).toMatchObject({ status: 'ok', itemCount: 120 });
    expect(bv.stats.byStatus).toEqual({ 200: 2, 503: 2 });
  });

  it('does not retry a 500 (not a transient status) and reports the source unavailable', async () => {
    const { bv } = await start();
    bv.setFaults({ failRequests: 5, failStatus: 500 });
    const { body } = await timed('/v1/sub-orgs?pageSize=1');
    expect(source(body, 'bv')).toMatchObject({ status: 'error', error: { code: 'UPSTREAM_UNAVAILABLE', message: 'BlendVision One answered HTTP 500' } });
    expect(bv.stats.listRequests).toBe(1);
  });

  it('honours Retry-After on a 429 when it fits the deadline', async () => {
    const { bv } = await start();
    bv.setFaults({ rateLimitRequests: 1, retryAfter: '1' });
    const { body, ms } = await timed('/v1/sub-orgs?pageSize=1');
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(source(body, 'bv')).toMatchObject({ status: 'ok', itemCount: 120 });
    expect(bv.stats.byStatus).toEqual({ 200: 2, 429: 1 });
  });

  it('lets a 429 with a long Retry-After slow the walk, not fail it: the listing answers at its deadline with the source warming', async () => {
    const { invent } = await start();
    invent.setFaults({ rateLimitRequests: 10, retryAfter: new Date(Date.now() + 60_000).toUTCString() });
    const { body, ms } = await timed('/v1/sub-orgs?pageSize=1');
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(2500);
    expect(body.partial).toBe(true);
    expect(source(body, 'invent')).toMatchObject({ status: 'warming', progress: { pagesFetched: 0 } });
    // Invent's workers start at once (it never says how many pages follow): one request each, then
    // nothing more until the upstream's wait is over.
    expect(invent.stats.listRequests).toBe(4);
  });

  it('retries connection resets, then reports the source unavailable', async () => {
    const { bv } = await start();
    bv.setFaults({ resetConnection: true });
    const { body } = await timed('/v1/sub-orgs?pageSize=1');
    expect(body.partial).toBe(true);
    expect(source(body, 'bv').error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('could not be reached') });
    expect(bv.stats.listRequests).toBe(3);
  });

  it.each([
    ['a body that is not JSON', { malformedBody: true }, 'not valid JSON'],
    ['a body of the wrong shape', { wrongEnvelope: true }, 'no organizations array'],
  ])('reports %s as UPSTREAM_BAD_RESPONSE without retrying', async (_label, faults, message) => {
    const { bv } = await start();
    bv.setFaults(faults);
    const { body } = await timed('/v1/sub-orgs?pageSize=1');
    expect(source(body, 'bv')).toMatchObject({ status: 'error', error: { code: 'UPSTREAM_BAD_RESPONSE', message: expect.stringContaining(message) } });
    expect(JSON.stringify(body)).not.toContain('"broken"');
    expect(bv.stats.listRequests).toBe(1);
  });

  it('never follows a redirect: UPSTREAM_BAD_RESPONSE, and the other host sees nothing', async () => {
    const elsewhere = await start();
    const { bv } = await start();
    bv.setFaults({ redirectTo: `${elsewhere.bv.url}/bv/org/v1/sub-orgs?current_page=1&items_per_page=100` });
    const { body } = await timed('/v1/sub-orgs?pageSize=1');
    expect(source(body, 'bv')).toMatchObject({ status: 'error', error: { code: 'UPSTREAM_BAD_RESPONSE', message: expect.stringContaining('redirect (HTTP 302)') } });
    expect(bv.stats.listRequests).toBe(1);
    expect(elsewhere.bv.stats.listRequests).toBe(0);
  });

  it('stops reading a page larger than UPSTREAM_MAX_RESPONSE_BYTES: UPSTREAM_BAD_RESPONSE, not retried', async () => {
    const { bv, invent } = await start({ env: { UPSTREAM_MAX_RESPONSE_BYTES: '65536' }, inventCount: 5, bvCount: 120 });
    const { body } = await timed('/v1/sub-orgs?pageSize=1');
    expect(source(body, 'bv')).toMatchObject({ status: 'error', error: { code: 'UPSTREAM_BAD_RESPONSE', message: expect.stringContaining('larger than 65536 bytes') } });
    expect(bv.stats.listRequests).toBe(1);
    expect(source(body, 'invent')).toMatchObject({ status: 'ok', itemCount: 5 });
    // One page, found without knowing the size up front: at most pages + UPSTREAM_CONCURRENCY requests.
    expect(invent.stats.listRequests).toBeLessThanOrEqual(1 + 4);
  });

  it('skips and counts bad records, keeps unknown enums visible, and logs each reason once', async () => {
    const logger = new CapturingLogger();
    const { bv, invent } = await start({ logger, inventCount: 150, bvCount: 120 });
    bv.setFaults({ injectBadRecords: true });
    invent.setFaults({ injectBadRecords: true });
    const { body } = await timed('/v1/sub-orgs?pageSize=1');
    expect(body.partial).toBe(false);
    // bv: 2 pages, each with two unmappable records and one with an unknown status.
    expect(source(body, 'bv')).toMatchObject({ status: 'ok', itemCount: 120 + 2, skipped: 2 * BV_BAD_RECORDS.length });
    expect(source(body, 'invent')).toMatchObject({ status: 'ok', itemCount: 150, skipped: 2 * INVENT_BAD_RECORDS.length });
    const unknown = await timed('/v1/sub-orgs?status=unknown&pageSize=10');
    expect(unknown.body.data.map((r) => r.id).sort()).toEqual(['bv:bv-unknown-status-1', 'bv:bv-unknown-status-2']);
    expect(logger.matching(/bv: skipped 4 upstream record\(s\): missing or invalid id \(x2\); missing or invalid name \(x2\)/)).toHaveLength(1);
    expect(logger.matching(/invent: skipped 6 upstream record\(s\)/)).toHaveLength(1);
  });

  it('collapses duplicate ids across pages and survives total_items drifting mid-walk', async () => {
    const logger = new CapturingLogger();
    const { bv, invent } = await start({ logger, bvCount: 250, inventCount: 250 });
    bv.setFaults({ duplicateAcrossPages: true, driftTotal: 7 });
    invent.setFaults({ duplicateAcrossPages: true });
    const { body } = await timed('/v1/sub-orgs?pageSize=100');
    const ids = body.data.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // 3 pages each; pages 2 and 3 repeat the last record of the page before.
    expect(source(body, 'bv')).toMatchObject({ status: 'ok', itemCount: 250, skipped: 2 });
    expect(source(body, 'invent')).toMatchObject({ status: 'ok', itemCount: 250, skipped: 2 });
    expect(logger.matching(/bv: total_items changed during the walk \(250 -> 257 -> 264\)/)).toHaveLength(1);
    expect(logger.matching(/bv: skipped 2 upstream record\(s\): duplicate id \(x2\)/)).toHaveLength(1);
    expect(bv.stats.listRequests).toBe(3);
  });

  it('keeps what shorter-than-promised pages hold and logs the gap', async () => {
    const logger = new CapturingLogger();
    const { bv } = await start({ logger, bvCount: 250 });
    bv.setFaults({ shortPages: true });
    const { body } = await timed('/v1/sub-orgs?provider=bv&pageSize=1');
    expect(source(body, 'bv')).toMatchObject({ status: 'ok', itemCount: 247, skipped: 0 });
    expect(logger.matching(/bv: total_items promised 250 records, the pages held 247/)).toHaveLength(1);
  });

  it('stops a runaway upstream at the page cap', async () => {
    const { invent } = await start({ env: { UPSTREAM_MAX_PAGES: '12' } });
    invent.setFaults({ endlessPages: true });
    const { body } = await timed('/v1/sub-orgs?pageSize=1');
    expect(source(body, 'invent')).toMatchObject({ status: 'error', error: { code: 'UPSTREAM_BAD_RESPONSE', message: expect.stringContaining('past UPSTREAM_MAX_PAGES (12)') } });
    expect(invent.stats.listRequests).toBeLessThanOrEqual(12);
    const bvRunaway = await start({ env: { UPSTREAM_MAX_PAGES: '12' } });
    bvRunaway.bv.setFaults({ endlessPages: true });
    const bvBody = (await request(bvRunaway.url).get('/v1/sub-orgs?pageSize=1').expect(200)).body as Listing;
    expect(source(bvBody, 'bv').error?.message).toContain('more than UPSTREAM_MAX_PAGES (12)');
    expect(bvRunaway.bv.stats.listRequests).toBe(1);
  });

  it('reports an upstream 401 as UPSTREAM_AUTH_FAILED, not as the caller being unauthorized', async () => {
    const { invent, bv } = await start();
    invent.setFaults({ rejectCredential: true });
    const { body } = await timed('/v1/sub-orgs?pageSize=1');
    expect(body.partial).toBe(true);
    expect(source(body, 'invent')).toMatchObject({ status: 'error', error: { code: 'UPSTREAM_AUTH_FAILED' } });
    expect(source(body, 'bv')).toMatchObject({ status: 'ok' });
    // One refused request per worker, none retried.
    expect(invent.stats.byStatus).toEqual({ 401: 4 });
    expect(bv.stats.byStatus).toEqual({ 200: 2 });
  });

  it('never retries a 403, so a suspended bv account is not hammered', async () => {
    const { bv } = await start();
    bv.setFaults({ failRequests: 10, failStatus: 403 });
    const { body } = await timed('/v1/sub-orgs?provider=bv', 502);
    expect((body as unknown as { sources: Source[] }).sources[0].error).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED' });
    expect(bv.stats.byStatus).toEqual({ 403: 1 });
  });

  it('answers 502 with every source when all requested sources fail', async () => {
    const { invent, bv } = await start();
    invent.setFaults({ rejectCredential: true });
    bv.setFaults({ failRequests: 100, failStatus: 500 });
    const { body, headers } = await timed('/v1/sub-orgs', 502);
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = body as unknown as { status: number; detail: string; sources: Source[] };
    expect(problem.status).toBe(502);
    expect(problem.detail).toContain('invent: UPSTREAM_AUTH_FAILED');
    expect(problem.sources.map((s) => [s.provider, s.error?.code])).toEqual([
      ['invent', 'UPSTREAM_AUTH_FAILED'],
      ['bv', 'UPSTREAM_UNAVAILABLE'],
    ]);
    expect(JSON.stringify(body)).not.toContain('test-invent-key');
    expect(JSON.stringify(body)).not.toContain(invent.url);
  });

  it('opens the circuit after consecutive failures, fails fast, and closes after one good probe', async () => {
    const { bv, url } = await start({ env: { CIRCUIT_FAILURE_THRESHOLD: '3', CACHE_TTL_SECONDS: '1', CACHE_STALE_SECONDS: '0' } });
    bv.setFaults({ failRequests: 3, failStatus: 500 });
    for (let i = 0; i < 3; i++) expect(source((await timed('/v1/sub-orgs?provider=bv,invent')).body, 'bv').error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(bv.stats.listRequests).toBe(3);

    const open = await timed('/v1/sub-orgs');
    expect(source(open.body, 'bv').error).toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(bv.stats.listRequests).toBe(3);
    const providers = (await request(url).get('/v1/providers').expect(200)).body as { providers: Array<{ key: string; circuit: string }> };
    expect(providers.providers.find((p) => p.key === 'bv')!.circuit).toBe('open');

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const closed = await timed('/v1/sub-orgs');
    expect(source(closed.body, 'bv')).toMatchObject({ status: 'ok', itemCount: 120 });
    const after = (await request(url).get('/v1/providers').expect(200)).body as { providers: Array<{ key: string; circuit: string }> };
    expect(after.providers.find((p) => p.key === 'bv')!.circuit).toBe('closed');
  });

  it('turns not-ready only when no provider could contribute', async () => {
    const { bv, url } = await start({ without: 'invent', env: { CIRCUIT_FAILURE_THRESHOLD: '2' } });
    const ready = (await request(url).get('/health/ready').expect(200)).body as HealthReport;
    expect(ready.status).toBe('ok');
    expect(ready.details.bv).toMatchObject({ status: 'up', health: 'cold', circuit: 'closed' });
    expect(ready.details.cache).toEqual({ status: 'up', store: 'memory' });
    bv.setFaults({ failRequests: 10, failStatus: 500 });
    await timed('/v1/sub-orgs', 502);
    await timed('/v1/sub-orgs', 502);
    const unready = await request(url).get('/health/ready').expect(503);
    expect(unready.headers['content-type']).toMatch(/^application\/json/);
    expect(unready.body).toMatchObject({ status: 'error', error: { bv: { status: 'down', health: 'error', circuit: 'open' } } });
  });

  it('stays ready but degraded while another provider can still answer', async () => {
    const { bv, url } = await start({ env: { CIRCUIT_FAILURE_THRESHOLD: '2' } });
    bv.setFaults({ failRequests: 10, failStatus: 500 });
    await timed('/v1/sub-orgs');
    await timed('/v1/sub-orgs');
    const ready = (await request(url).get('/health/ready').expect(200)).body as HealthReport;
    expect(ready.status).toBe('degraded');
    expect(ready.details.bv).toMatchObject({ status: 'degraded', circuit: 'open' });
    expect(ready.details.invent).toMatchObject({ status: 'up', health: 'ok', circuit: 'closed' });
  });

  it('serves the stale snapshot at once while the upstream is down, and says so', async () => {
    const { bv } = await start({ env: { CACHE_TTL_SECONDS: '1', CACHE_STALE_SECONDS: '60' } });
    const warm = await timed('/v1/sub-orgs?provider=bv');
    const fetchedAt = source(warm.body, 'bv').fetchedAt;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    bv.setFaults({ hang: true });
    bv.resetStats();

    const started = performance.now();
    const burst = await Promise.all(Array.from({ length: 10 }, () => request(gateway!.url).get('/v1/sub-orgs?provider=bv').expect(200)));
    expect(performance.now() - started).toBeLessThan(250);
    for (const response of burst) {
      expect((response.body as Listing).partial).toBe(false);
      expect(source(response.body as Listing, 'bv')).toMatchObject({ status: 'stale', itemCount: 120, fetchedAt });
    }
    // Ten stale reads started one background refresh, whose first attempt is still hanging.
    expect(bv.stats.listRequests).toBe(1);

    // The background refresh gives up within the deadline; the snapshot keeps serving, now with the reason.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const still = await timed('/v1/sub-orgs?provider=bv');
    expect(source(still.body, 'bv')).toMatchObject({ status: 'stale', fetchedAt, error: { code: 'UPSTREAM_TIMEOUT' } });
    expect(still.body.page.totalItems).toBe(120);
  });

  it('shares one upstream walk per provider among 50 concurrent cold requests', async () => {
    const { invent, bv, url } = await start({ inventCount: 400, bvCount: 400 });
    invent.setFaults({ latencyMs: 30 });
    bv.setFaults({ latencyMs: 30 });
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => request(url).get(`/v1/sub-orgs?pageSize=${1 + (i % 20)}`)));
    expect(responses.every((r) => r.status === 200 && (r.body as Listing).page.totalItems === 800)).toBe(true);
    expect(invent.stats.walks).toBe(1);
    expect(bv.stats.walks).toBe(1);
    expect(invent.stats.listRequests).toBeLessThanOrEqual(5 + 7);
    expect(bv.stats.listRequests).toBe(4);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { EXAMPLE_BV_RECORD, EXAMPLE_INVENT_RECORD } from '../../src/api/openapi/examples.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type ObservedResponse, OpenApiValidator } from '../support/openapi-validator.js';
import { type PrismProxy, startPrismProxy } from '../support/prism.js';

/**
 * The document tells the truth, as judged by tools we did not write: every
 * answer to a broad request set — every route, every status the gateway can
 * produce on purpose, includeRaw, a cursor walk, every kind of error — is
 * validated against the document that gateway serves, by ajv (JSON Schema
 * 2020-12 with formats) and by Stoplight Prism as a validating proxy.
 */

const KEY = 'contract-caller-key-0123456789';
const METRICS_KEY = 'contract-metrics-key-0123456789';
const AUTH = { authorization: `Bearer ${KEY}` };

interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /**
   * Sent to the gateway only: Prism answers it itself without asking the
   * gateway (a 431 from its own HTTP server, a method or path the document has
   * no operation for, a request without the credential an operation requires).
   */
  readonly gatewayOnly?: boolean;
}

interface Setup {
  readonly gateway: GatewayHarness;
  readonly document: object;
  readonly prism: PrismProxy;
}

const setups: Setup[] = [];
const summary = { requests: 0, ajvViolations: [] as string[], prismRequests: 0, prismViolations: [] as string[], statuses: new Set<number>() };

async function setUp(options: Parameters<typeof startGateway>[0]): Promise<Setup> {
  const gateway = await startGateway(options);
  const document = (await (await fetch(`${gateway.url}/docs-json`)).json()) as object;
  const prism = await startPrismProxy(document, gateway.url);
  const setup = { gateway, document, prism };
  setups.push(setup);
  return setup;
}

afterAll(async () => {
  await Promise.all(setups.map(async ({ gateway, prism }) => Promise.all([prism.stop(), gateway.close()])));
  mkdirSync('test-output', { recursive: true });
  writeFileSync('test-output/contract-summary.json', JSON.stringify({ ...summary, statuses: [...summary.statuses].sort() }, null, 2));
});

async function observe(base: string, { method, path, headers = {} }: Exchange): Promise<ObservedResponse> {
  const response = await fetch(base + path, { method, headers, redirect: 'manual' });
  let bytes = Buffer.from(await response.arrayBuffer());
  // fetch decodes gzip itself, except when told the body is not ours to decode; keep the check honest either way.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const text = bytes.toString('utf8');
  const contentType = response.headers.get('content-type') ?? '';
  const body = text.length === 0 ? undefined : /^application\/(problem\+)?json/.test(contentType) ? (JSON.parse(text) as unknown) : text;
  const received: Record<string, string> = {};
  response.headers.forEach((value, name) => (received[name] = value));
  return { method, url: path, status: response.status, headers: received, body };
}

/** Sends each exchange to the gateway (ajv) and through Prism; returns the gateway's answers. */
async function check(setup: Setup, exchanges: readonly Exchange[]): Promise<ObservedResponse[]> {
  const validator = new OpenApiValidator(setup.document as ConstructorParameters<typeof OpenApiValidator>[0]);
  const answers: ObservedResponse[] = [];
  for (const exchange of exchanges) {
    const observed = await observe(setup.gateway.url, exchange);
    answers.push(observed);
    summary.requests++;
    summary.statuses.add(observed.status);
    summary.ajvViolations.push(...validator.violations(observed));
    if (exchange.gatewayOnly) continue;
    const proxied = await observe(setup.prism.url, exchange);
    summary.prismRequests++;
    const violations = proxied.headers['sl-violations'];
    const prismError = typeof proxied.body === 'object' && proxied.body !== null && String((proxied.body as { type?: unknown }).type).includes('stoplight.io/prism');
    if (violations !== undefined || prismError) summary.prismViolations.push(`${exchange.method} ${exchange.path} -> ${proxied.status}: ${String(violations ?? JSON.stringify(proxied.body))}`);
  }
  return answers;
}

describe('the OpenAPI document against the running gateway', () => {
  it('matches every answer of a gateway with API keys, a metrics key and CORS: ajv and Prism find no violation', async () => {
    const setup = await setUp({ inventCount: 250, bvCount: 230, env: { API_KEYS: KEY, METRICS_API_KEY: METRICS_KEY, CORS_ORIGINS: 'https://app.example' } });
    const get = (path: string, headers: Record<string, string> = AUTH): Exchange => ({ method: 'GET', path, headers });
    const [first] = await check(setup, [get('/v1/sub-orgs')]);
    const etag = String(first.headers.etag);

    // A cursor walk over every record, 100 at a time.
    const walk: Exchange[] = [];
    let cursor: string | null = null;
    do {
      const exchange = get(`/v1/sub-orgs?pageSize=100&sort=-createdAt${cursor === null ? '' : `&cursor=${cursor}`}`);
      walk.push(exchange);
      const [page] = await check(setup, [exchange]);
      cursor = (page.body as { page: { nextCursor: string | null } }).page.nextCursor;
    } while (cursor !== null);
    expect(walk.length).toBe(5);

    await check(setup, [
      get('/v1/sub-orgs?pageSize=5&sort=name'),
      get('/v1/sub-orgs?status=active,pending&type=reseller,distributor&provider=bv,invent&pageSize=3'),
      get('/v1/sub-orgs?status=active&status=pending&pageSize=2'),
      get('/v1/sub-orgs?q=a&includeRaw=true&pageSize=10'),
      get('/v1/sub-orgs?createdFrom=2021-01-01T00:00:00Z&createdTo=2023-01-01T00:00:00Z&sort=createdAt'),
      get('/v1/sub-orgs?plan=business,BVONE&pageSize=4'),
      get('/v1/sub-orgs?page=1000&pageSize=100'),
      get('/v1/sub-orgs?pageSize=3&facets=provider,status,type,plan,parentId&status=active'),
      get('/v1/sub-orgs?pageSize=3&fields=name,status,contract&includeRaw=true'),
      get('/v1/sub-orgs?parentId=bv-root-0001&ownerEmail=OWNER&hasSubOrgs=true&sort=-contractEndsAt&pageSize=5'),
      get('/v1/sub-orgs?updatedFrom=2022-01-01T00:00:00Z&updatedTo=2025-01-01T00:00:00Z&contractEndsFrom=2023-01-01T00:00:00Z&sort=updatedAt'),
      get('/v1/sub-orgs/export?format=csv&status=active&sort=-updatedAt'),
      get('/v1/sub-orgs/export?format=ndjson&provider=bv'),
      get('/v1/sub-orgs/export?format=xlsx&page=2'),
      get('/v1/sub-orgs?facets=colour&fields=secret'),
      get('/v1/sub-orgs', { ...AUTH, 'if-none-match': etag }),
      get('/v1/sub-orgs?pageSize=50', { ...AUTH, 'accept-encoding': 'gzip' }),
      get('/v1/sub-orgs', { ...AUTH, origin: 'https://app.example' }),
      { method: 'HEAD', path: '/v1/sub-orgs?pageSize=2', headers: AUTH },
      get(`/v1/sub-orgs/${EXAMPLE_BV_RECORD.id}`),
      get(`/v1/sub-orgs/${EXAMPLE_INVENT_RECORD.id}?includeRaw=true`),
      get('/v1/sub-orgs/bv:missing'),
      get('/v1/sub-orgs/nowhere:1'),
      get('/v1/providers'),
      get('/health/live', {}),
      get('/health/ready', {}),
      get('/metrics', { authorization: `Bearer ${METRICS_KEY}` }),
      // Errors of every kind.
      get('/v1/sub-orgs?status=nope'),
      get('/v1/sub-orgs?pageSize=1000&page=2&cursor=abc.def'),
      get('/v1/sub-orgs?unknown=1&__proto__=x'),
      get('/v1/sub-orgs?createdFrom=yesterday'),
      get('/v1/sub-orgs?provider=elsewhere'),
      get('/v1/providers?x=1'),
      get('/v1/sub-orgs/bv:1?toString=1'),
      get(`/v1/sub-orgs/bv:${'x'.repeat(400)}`),
      get(`/v1/sub-orgs/bv:${'x'.repeat(1200)}`),
      { method: 'GET', path: '/v1/sub-orgs', gatewayOnly: true },
      get('/v1/providers', { authorization: 'Bearer wrong-key-0123456789' }),
      { method: 'GET', path: '/metrics', gatewayOnly: true },
      get('/metrics', AUTH),
      { method: 'GET', path: `/v1/sub-orgs?q=${'a'.repeat(17_000)}`, headers: AUTH, gatewayOnly: true },
      { method: 'POST', path: '/v1/sub-orgs', headers: AUTH, gatewayOnly: true },
      { method: 'DELETE', path: '/v1/providers', headers: AUTH, gatewayOnly: true },
      { method: 'GET', path: '/v1/nothing-here', headers: AUTH, gatewayOnly: true },
    ]);
    expect(summary.ajvViolations).toEqual([]);
    expect(summary.prismViolations).toEqual([]);
  }, 120_000);

  it('matches the answers of an open gateway with rate limits: anonymous access, 429', async () => {
    const setup = await setUp({ inventCount: 20, bvCount: 20, env: { RATE_LIMIT_MAX: '6', RATE_LIMIT_WINDOW_SECONDS: '60' } });
    const document = setup.document as { paths: Record<string, { get: { security?: unknown[]; responses: Record<string, unknown> } }>; components: { securitySchemes?: unknown } };
    // The document says what this gateway does: no key needed, so no 401 and no security scheme.
    expect(document.paths['/v1/sub-orgs'].get.security).toEqual([]);
    expect(document.paths['/v1/sub-orgs'].get.responses['401']).toBeUndefined();
    expect(document.components.securitySchemes).toBeUndefined();
    // Each request reaches the gateway twice (directly, then through Prism): 6 is three of them.
    const answers = await check(setup, [
      { method: 'GET', path: '/v1/sub-orgs?pageSize=1' },
      { method: 'GET', path: '/v1/providers' },
      { method: 'GET', path: '/v1/sub-orgs/bv:missing' },
      { method: 'GET', path: '/v1/sub-orgs' },
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 429]);
    expect(summary.ajvViolations).toEqual([]);
    expect(summary.prismViolations).toEqual([]);
  }, 60_000);

  it('matches the answers when sources fail or are still warming: 502, 503', async () => {
    const failing = await setUp({ inventCount: 20, bvCount: 20 });
    failing.gateway.invent.setFaults({ rejectCredential: true });
    failing.gateway.bv.setFaults({ rejectCredential: true });
    const failed = await check(failing, [
      { method: 'GET', path: '/v1/sub-orgs' },
      { method: 'GET', path: '/v1/sub-orgs/bv:anything' },
    ]);
    expect(failed.map((answer) => answer.status)).toEqual([502, 502]);

    const warming = await setUp({ inventCount: 30_000, bvCount: 20, env: { LISTING_DEADLINE_MS: '300' } });
    warming.gateway.invent.setFaults({ latencyMs: 50 });
    const answers = await check(warming, [
      { method: 'GET', path: '/v1/sub-orgs?provider=invent' },
      { method: 'GET', path: '/v1/sub-orgs?pageSize=3' },
      { method: 'GET', path: '/v1/providers' },
      { method: 'GET', path: '/health/ready' },
    ]);
    expect(answers[0].status).toBe(503);
    expect(answers[1].status).toBe(200);
    expect((answers[1].body as { partial: boolean }).partial).toBe(true);
    expect(summary.ajvViolations).toEqual([]);
    expect(summary.prismViolations).toEqual([]);
  }, 60_000);

  it('covers every status the gateway produces on purpose, and its examples are valid and real', async () => {
    for (const status of [200, 304, 400, 401, 404, 405, 414, 429, 431, 502, 503]) expect([status, summary.statuses.has(status)]).toEqual([status, true]);
    const [{ document, gateway }] = setups;
    expect(new OpenApiValidator(document as ConstructorParameters<typeof OpenApiValidator>[0]).exampleViolations()).toEqual([]);
    // The examples are records the simulators really serve, as the gateway serves them.
    for (const example of [EXAMPLE_BV_RECORD, EXAMPLE_INVENT_RECORD]) {
      const served = await (await fetch(`${gateway.url}/v1/sub-orgs/${example.id}`, { headers: AUTH })).json();
      expect(served).toEqual(example);
    }
  });
});

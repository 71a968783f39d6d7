import request from 'supertest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

const KEY = 'caller-key-0123456789abcdef';
const OTHER_KEY = 'second-key-0123456789abcdef';
const APP_ORIGIN = 'https://dashboard.example.com';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 20, bvCount: 20, env: { API_KEYS: `${KEY},${OTHER_KEY}`, CORS_ORIGINS: APP_ORIGIN } });
});

afterAll(async () => {
  await gateway.close();
});

describe('caller API keys', () => {
  it.each([
    ['Authorization: Bearer', { authorization: `Bearer ${KEY}` }],
    ['a lower-case bearer scheme', { authorization: `bearer ${KEY}` }],
    ['X-API-Key', { 'x-api-key': KEY }],
    ['the second configured key', { 'x-api-key': OTHER_KEY }],
  ])('accepts %s', async (_label, headers) => {
    await request(gateway.url).get('/v1/sub-orgs?pageSize=1').set(headers).expect(200);
  });

  it.each([
    ['no key', {}],
    ['a wrong key', { authorization: 'Bearer wrong-key-0123456789abcdef' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['a key differing only in case', { 'x-api-key': KEY.toUpperCase() }],
    ['a prefix of the key', { 'x-api-key': KEY.slice(0, -1) }],
    ['another scheme', { authorization: `Basic ${KEY}` }],
  ])('refuses %s with a 401 problem', async (_label, headers) => {
    const response = await request(gateway.url).get('/v1/sub-orgs').set(headers).expect(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(JSON.stringify(response.body)).not.toContain(KEY);
  });

  it('does not take the key from the query string', async () => {
    await request(gateway.url).get(`/v1/sub-orgs?api_key=${KEY}`).expect(401);
    await request(gateway.url).get(`/v1/providers?apiKey=${KEY}`).expect(401);
  });

  it('guards every /v1 route but leaves probes and docs open', async () => {
    await request(gateway.url).get('/v1/providers').expect(401);
    await request(gateway.url).get('/v1/sub-orgs/bv:x').expect(401);
    await request(gateway.url).get('/health/live').expect(200);
    await request(gateway.url).get('/health/ready').expect(200);
    await request(gateway.url).get('/docs-json').expect(200);
  });
});

describe('CORS', () => {
  it('allows a configured origin, with Vary: Origin', async () => {
    const response = await request(gateway.url).get('/health/live').set('origin', APP_ORIGIN).expect(200);
    expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(response.headers.vary).toMatch(/Origin/i);
  });

  it('answers a preflight for a configured origin', async () => {
    const response = await request(gateway.url)
      .options('/v1/sub-orgs')
      .set('origin', APP_ORIGIN)
      .set('access-control-request-method', 'GET')
      .set('access-control-request-headers', 'authorization');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(response.headers['access-control-allow-headers']).toMatch(/authorization/i);
  });

  it('lets a cross-origin app make conditional requests: If-None-Match allowed, ETag and the pagination headers exposed', async () => {
    const preflight = await request(gateway.url).options('/v1/sub-orgs').set('origin', APP_ORIGIN).set('access-control-request-method', 'GET').set('access-control-request-headers', 'if-none-match');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/if-none-match/i);
    const listing = await request(gateway.url).get('/v1/sub-orgs?pageSize=1').set('origin', APP_ORIGIN).set('authorization', `Bearer ${KEY}`).expect(200);
    const exposed = String(listing.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['etag', 'x-request-id', 'retry-after', 'x-ratelimit-remaining']));
  });

  it('answers a preflight from a foreign origin without any grant', async () => {
    const response = await request(gateway.url)
      .options('/v1/sub-orgs')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'GET')
      .set('access-control-request-headers', 'authorization');
    // Without Access-Control-Allow-Origin the browser refuses the actual request.
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('gives a foreign origin no CORS grant', async () => {
    const response = await request(gateway.url).get('/health/live').set('origin', 'https://evil.example').expect(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('metrics key', () => {
  const METRICS_KEY = 'metrics-scraper-key-0123456789';
  let guarded: GatewayHarness;

  beforeAll(async () => {
    guarded = await startGateway({ inventCount: 5, bvCount: 5, env: { API_KEYS: KEY, METRICS_API_KEY: METRICS_KEY } });
  });

  afterAll(async () => {
    await guarded.close();
  });

  it('opens /metrics only with the metrics key, not with a caller key', async () => {
    await request(guarded.url).get('/metrics').expect(401);
    await request(guarded.url).get('/metrics').set('authorization', `Bearer ${KEY}`).expect(401);
    const scraped = await request(guarded.url).get('/metrics').set('authorization', `Bearer ${METRICS_KEY}`).expect(200);
    expect(scraped.text).toContain('suborg_http_request_duration_seconds');
    await request(guarded.url).get('/metrics').set('x-api-key', METRICS_KEY).expect(200);
  });

  it('does not let the metrics key call the API, and keeps probes open', async () => {
    await request(guarded.url).get('/v1/sub-orgs').set('authorization', `Bearer ${METRICS_KEY}`).expect(401);
    await request(guarded.url).get('/health/ready').expect(200);
  });

  it('leaves /metrics open when no metrics key is set, even with API keys', async () => {
    await request(gateway.url).get('/metrics').expect(200);
  });
});

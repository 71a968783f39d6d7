import { get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

let gateway: GatewayHarness;

/** The bytes on the wire, undecoded (supertest would inflate them). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 40, bvCount: 30 });
});

afterAll(async () => {
  await gateway.close();
});

describe('request ids', () => {
  it('generates one when absent and echoes it', async () => {
    const response = await request(gateway.url).get('/health/live').expect(200);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a safe caller id, also on errors, and forwards it upstream', async () => {
    const response = await request(gateway.url).get('/v1/sub-orgs?pageSize=1&provider=bv').set('x-request-id', 'dash-1234.abc').expect(200);
    expect(response.headers['x-request-id']).toBe('dash-1234.abc');
    const problem = await request(gateway.url).get('/v1/sub-orgs?pageSize=0').set('x-request-id', 'dash-5678').expect(400);
    expect(problem.headers['x-request-id']).toBe('dash-5678');
    // The walk this request started carried its id to every upstream page.
    expect(gateway.bv.requestIds.length).toBeGreaterThan(0);
    expect(gateway.bv.requestIds.every((id) => id === 'dash-1234.abc')).toBe(true);
  });

  it('replaces an unsafe caller id instead of echoing it', async () => {
    const response = await request(gateway.url).get('/health/live').set('x-request-id', 'a b<script>').expect(200);
    expect(response.headers['x-request-id']).not.toContain('<');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('listing caching headers', () => {
  it('sends an ETag and a private max-age, and answers If-None-Match with 304', async () => {
    const first = await request(gateway.url).get('/v1/sub-orgs?pageSize=5').expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect(first.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    const again = await request(gateway.url).get('/v1/sub-orgs?pageSize=5').set('if-none-match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    await request(gateway.url).get('/v1/sub-orgs?pageSize=5').set('if-none-match', `"x", ${etag.slice(2)}`).expect(304);
    const other = await request(gateway.url).get('/v1/sub-orgs?pageSize=5').set('if-none-match', '"something-else"').expect(200);
    expect(other.body).toEqual(first.body);
  });

  it('never lets a partial answer be cached', async () => {
    const partial = await startGateway({ inventCount: 5, bvCount: 5 });
    try {
      partial.bv.setFaults({ rejectCredential: true });
      const response = await request(partial.url).get('/v1/sub-orgs').expect(200);
      expect(response.body.partial).toBe(true);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.etag).toBeUndefined();
    } finally {
      await partial.close();
    }
  });
});

describe('security headers', () => {
  it.each(['/v1/sub-orgs?pageSize=1', '/v1/sub-orgs/bv:missing', '/health/ready'])('gives JSON answers the API set: %s', async (path) => {
    const response = await request(gateway.url).get(path);
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('sets a CSP that still lets Swagger UI load its own scripts and inline styles', async () => {
    const response = await request(gateway.url).get('/docs').expect(200);
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const scripts = [...response.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((src) => !src.startsWith('http'))).toBe(true);
    expect(response.text).not.toMatch(/<script>[^<]/);
  });
});

describe('response compression', () => {
  const listing = (): string => `${gateway.url}/v1/sub-orgs?pageSize=50`;

  it.each([
    ['br', brotliDecompressSync],
    ['gzip', gunzipSync],
  ])('sends %s to a client that accepts it, with the same content and validator as identity', async (encoding, decode) => {
    const identity = await rawGet(listing(), {});
    expect(identity.headers['content-encoding']).toBeUndefined();
    const compressed = await rawGet(listing(), { 'accept-encoding': encoding });
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe(encoding);
    expect(compressed.headers.vary).toMatch(/accept-encoding/i);
    expect(compressed.body.length).toBeLessThan(identity.body.length / 3);
    expect(JSON.parse(decode(compressed.body).toString('utf8'))).toEqual(JSON.parse(identity.body.toString('utf8')));
    expect(compressed.headers.etag).toBe(identity.headers.etag);
    // Compressed in one go, not streamed: the length is known up front.
    expect(Number(compressed.headers['content-length'])).toBe(compressed.body.length);
    expect(compressed.headers['transfer-encoding']).toBeUndefined();
  });

  it('sends Vary: Accept-Encoding on every listing variant, so no shared cache mixes them up', async () => {
    const identity = await rawGet(listing(), {});
    const small = await rawGet(`${gateway.url}/v1/sub-orgs?pageSize=1`, { 'accept-encoding': 'gzip' });
    const notModified = await rawGet(listing(), { 'if-none-match': String(identity.headers.etag) });
    const record = await rawGet(`${gateway.url}/v1/sub-orgs/${JSON.parse(small.body.toString('utf8')).data[0].id}`, {});
    expect(notModified.status).toBe(304);
    for (const [name, variant] of Object.entries({ identity, small, notModified, record })) expect([name, variant.headers.vary]).toEqual([name, expect.stringMatching(/accept-encoding/i)]);
  });

  it('leaves small answers uncompressed', async () => {
    const live = await rawGet(`${gateway.url}/health/live`, { 'accept-encoding': 'gzip, br' });
    expect(live.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(live.body.toString('utf8'))).toMatchObject({ status: 'ok' });
  });
});

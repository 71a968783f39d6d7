import { connect } from 'node:net';
import request from 'supertest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

// What a security reviewer would try first; auth bypass and CORS cases live in access.e2e-spec.ts,
// per-parameter validation in validation.e2e-spec.ts.

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 30, bvCount: 30 });
});

afterAll(async () => {
  await gateway.close();
});

/** Sends bytes no well-behaved client library would, and returns the raw response head. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(head));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('header injection', () => {
  it.each([
    ['a search', '/v1/sub-orgs?q=%0d%0aSet-Cookie:%20pwned=1', 200],
    ['a parameter name', '/v1/sub-orgs?%0d%0aSet-Cookie:%20pwned=1=x', 400],
    ['the id', '/v1/sub-orgs/bv:x%0d%0aSet-Cookie:%20pwned=1', 404],
  ])('cannot add a response header through %s', async (_label, path, status) => {
    const response = await request(gateway.url).get(path).expect(status);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(Object.keys(response.headers).some((name) => name.includes('pwned'))).toBe(false);
  });

  it('refuses a header value carrying a bare carriage return before it reaches the app', async () => {
    const port = Number(new URL(gateway.url).port);
    const response = await rawRequest(port, 'GET /v1/sub-orgs HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\rSet-Cookie: pwned=1\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(response.toLowerCase()).not.toContain('set-cookie');
  });

  it('does not echo an unsafe X-Request-Id', async () => {
    const response = await request(gateway.url).get('/health/live').set('x-request-id', '<script>alert(1)</script>').expect(200);
    expect(response.headers['x-request-id']).not.toContain('<');
  });
});

describe('path traversal in {id}', () => {
  it.each([
    '/v1/sub-orgs/..%2F..%2Fetc%2Fpasswd',
    '/v1/sub-orgs/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/v1/sub-orgs/..%5c..%5cwindows%5cwin.ini',
    '/v1/sub-orgs/bv:..%2F..%2Fadmin',
    '/v1/sub-orgs/invent:%2e%2e',
  ])('%s is just an id that does not exist (404)', async (path) => {
    const response = await request(gateway.url).get(path).expect(404);
    expect(response.body.type).toBe('urn:suborg-gateway:problem:not-found');
  });

  it('a literal ../ in the path matches no route (404)', async () => {
    const port = Number(new URL(gateway.url).port);
    const response = await rawRequest(port, 'GET /v1/sub-orgs/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 404 /);
  });
});

describe('oversized and repeated parameters', () => {
  it('refuses a 20 KB query string at the HTTP layer (431)', async () => {
    await request(gateway.url).get(`/v1/sub-orgs?q=${'a'.repeat(20_000)}`).expect(431);
  });

  it('refuses a long search (400) and a long cursor (400)', async () => {
    await request(gateway.url).get(`/v1/sub-orgs?q=${'a'.repeat(2000)}`).expect(400);
    await request(gateway.url).get(`/v1/sub-orgs?cursor=${'a'.repeat(5000)}`).expect(400);
  });

  it('answers a flood of unknown parameters with a short problem (400)', async () => {
    const query = Array.from({ length: 800 }, (_, i) => `p${i}=1`).join('&');
    const response = await request(gateway.url).get(`/v1/sub-orgs?${query}`).expect(400);
    expect(response.body.detail).toBe('800 request parameters are invalid; the first 20 are listed');
    expect(response.body.errors).toHaveLength(20);
    expect(response.text.length).toBeLessThan(3000);
  });

  it('truncates an absurdly long unknown parameter name in the problem', async () => {
    const response = await request(gateway.url).get(`/v1/sub-orgs?${'x'.repeat(5000)}=1`).expect(400);
    expect(response.text.length).toBeLessThan(1000);
  });

  it.each([
    ['pageSize', '?pageSize=1&pageSize=2', 400],
    ['sort', '?sort=name&sort=-name', 400],
    ['cursor', '?cursor=a&cursor=b', 400],
    ['provider (a list: repeating is allowed)', '?provider=invent&provider=bv', 200],
    ['status (a list: repeating is allowed)', '?status=active&status=inactive', 200],
  ])('a repeated %s answers %s', async (_label, query, status) => {
    await request(gateway.url).get(`/v1/sub-orgs${query}`).expect(status);
  });
});

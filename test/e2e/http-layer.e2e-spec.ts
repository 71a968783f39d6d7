import request from 'supertest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { type RawResponse, rawRequest } from '../support/raw-http.js';

/**
 * Whatever layer refuses a request — Node's HTTP parser, Fastify's router,
 * CORS, the API — the caller gets an RFC 9457 problem with an X-Request-Id
 * and the security headers, the raw URL is never echoed, and the refusal is
 * logged and counted. Requests are written byte for byte on a socket, since
 * HTTP clients refuse to send most of them.
 */

let gateway: GatewayHarness;
let port: number;
const lines: string[] = [];

beforeAll(async () => {
  gateway = await startGateway({
    inventCount: 50,
    bvCount: 50,
    logLines: lines,
    env: { CORS_ORIGINS: 'https://app.example', HTTP_HEADERS_TIMEOUT_MS: '1500', HTTP_REQUEST_TIMEOUT_MS: '3000' },
  });
  port = Number(new URL(gateway.url).port);
});

afterAll(() => gateway.close());

const send = (text: string | Buffer): Promise<RawResponse> => rawRequest(port, text);

const get = (target: string, extraHeaders = '') => `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${extraHeaders}Connection: close\r\n\r\n`;

function expectProblem(response: RawResponse, status: number): Record<string, unknown> {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  expect(response.headers['cache-control']).toBe('no-store');
  const body = JSON.parse(response.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  return body;
}

function logged(requestId: string): Record<string, unknown> | undefined {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.event === 'request' && line.requestId === requestId);
}

describe('refusals from every layer are problem documents', () => {
  const cases: Array<[string, string | Buffer, number]> = [
    ['malformed percent-encoding in the path', get('/v1/sub-orgs/bv:%zz-secret-looking-path'), 400],
    ['an id over 1,000 characters', get(`/v1/sub-orgs/bv:${'x'.repeat(1200)}`), 414],
    ['a query string over 16 KB', get(`/v1/sub-orgs?q=${'a'.repeat(17_000)}`), 431],
    ['a 64 KB cookie', get('/v1/sub-orgs', `Cookie: session=${'c'.repeat(65_000)}\r\n`), 431],
    ['raw non-ASCII bytes in the request line', Buffer.concat([Buffer.from('GET /v1/sub-orgs/'), Buffer.from([0xff, 0xfe]), Buffer.from(' HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')]), 400],
    ['an unknown method', 'FOO /v1/sub-orgs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 400],
    ['a GET with a body', 'GET /v1/sub-orgs HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello', 400],
    ['an unknown parameter named like a prototype member', get('/v1/sub-orgs?__proto__=x'), 400],
    ['constructor= on /v1/providers', get('/v1/providers?constructor=x'), 400],
    ['toString= on a record', get('/v1/sub-orgs/bv:1?toString=1'), 400],
    ['hasOwnProperty= on the listing', get('/v1/sub-orgs?hasOwnProperty=1'), 400],
    ['an unknown route', get('/v1/nothing-here'), 404],
  ];

  it.each(cases)('%s', async (_name, text, status) => {
    const response = await send(text);
    const body = expectProblem(response, status);
    // The raw URL is never echoed back.
    expect(response.body).not.toContain('secret-looking');
    expect(response.body).not.toContain('xxxxxxxxxx');
    expect(response.body).not.toContain('aaaaaaaaaa');
    expect(body.status).toBe(status);
    // Logged under the id the caller got.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(logged(response.headers['x-request-id'])).toMatchObject({ status });
  });

  it('answers a wrong method on a known route with 405 and Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await send(`${method} /v1/sub-orgs HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      expectProblem(response, 405);
      expect(response.headers.allow).toBe('GET, HEAD');
    }
  });

  it('answers a CORS preflight from a foreign origin, and an OPTIONS that is no preflight, without a 4xx in text/plain', async () => {
    const foreign = await send('OPTIONS /v1/sub-orgs HTTP/1.1\r\nHost: localhost\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\nConnection: close\r\n\r\n');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.status < 400 || foreign.headers['content-type']?.startsWith('application/problem+json')).toBe(true);
    const plain = await send('OPTIONS /v1/sub-orgs HTTP/1.1\r\nHost: localhost\r\nOrigin: https://app.example\r\nConnection: close\r\n\r\n');
    expect(plain.status < 400 || plain.headers['content-type']?.startsWith('application/problem+json')).toBe(true);
  });

});

describe('slow clients', () => {
  it('drops a client that trickles its headers within HTTP_HEADERS_TIMEOUT_MS, with a 408 problem', async () => {
    // The request line, then one header byte every half second, never finishing.
    const response = await rawRequest(port, 'GET /v1/sub-orgs HTTP/1.1\r\nHost: localhost\r\n', { dribble: () => 'X' });
    // Node checks the timeout every second: dropped between 1.5 s and about 3 s, not after a minute.
    expect(response.ms).toBeGreaterThanOrEqual(1400);
    expect(response.ms).toBeLessThan(4000);
    expectProblem(response, 408);
  });
});

describe('afterwards', () => {
  it('counts every refusal in /metrics, by status', async () => {
    await send('FOO / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    const { text } = await request(`http://127.0.0.1:${port}`).get('/metrics').expect(200);
    const count = (status: number) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('suborg_http_request_duration_seconds_count') && line.includes(`status="${status}"`))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    // Each status refused above, whichever layer refused it.
    for (const status of [400, 404, 405, 408, 414, 431]) expect([status, count(status) > 0]).toEqual([status, true]);
  });
});

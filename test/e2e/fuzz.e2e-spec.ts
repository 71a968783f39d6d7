import fc from 'fast-check';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { rawRequest } from '../support/raw-http.js';

/**
 * Random requests at the running app, written byte for byte: methods, paths,
 * query strings (valid, percent-encoded, malformed, any Unicode) and headers.
 * Whatever arrives, the gateway answers — never a 5xx, never a hang — and
 * every 4xx is a problem document with an X-Request-Id.
 */

let gateway: GatewayHarness;
let port: number;

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 120, bvCount: 120, env: { CORS_ORIGINS: 'https://app.example', API_KEYS: 'fuzz-caller-key-0123456789' } });
  port = Number(new URL(gateway.url).port);
  // Snapshots in place, so the fuzz exercises the listing rather than only the cold path.
  await fetch(`${gateway.url}/v1/sub-orgs`, { headers: { authorization: 'Bearer fuzz-caller-key-0123456789' } });
});

afterAll(() => gateway.close());

const PARAMETER_NAMES = ['provider', 'q', 'status', 'type', 'plan', 'createdFrom', 'createdTo', 'sort', 'page', 'pageSize', 'cursor', 'includeRaw', '__proto__', 'constructor', 'toString', 'x'];
const VALUES = ['bv', 'invent', 'active', 'reseller', 'name', '-createdAt', '1', '0', '-1', '100', '101', '1e3', 'true', 'TRUE', '2025-01-01T00:00:00Z', '2025-13-45', '%zz', '%00', '%C3%BC', '%FF', '', ',', ',,', 'a'.repeat(300)];

/** One query parameter, as a caller (or an attacker) might write it. */
const parameter = fc.tuple(fc.oneof(fc.constantFrom(...PARAMETER_NAMES), fc.string({ maxLength: 12 })), fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 40, unit: 'grapheme' })), fc.boolean()).map(([name, value, encode]) => {
  const text = `${name}=${value}`;
  return encode ? `${encodeURIComponent(name)}=${encodeURIComponent(value)}` : text;
});

const path = fc.oneof(
  fc.constantFrom('/v1/sub-orgs', '/v1/providers', '/health/live', '/health/ready', '/metrics', '/docs-json', '/', '/v1', '/v1/sub-orgs/'),
  fc.tuple(fc.constantFrom('bv', 'invent', 'nope', ''), fc.string({ maxLength: 60, unit: 'grapheme' })).map(([provider, id]) => `/v1/sub-orgs/${provider}:${encodeURIComponent(id)}`),
  fc.string({ minLength: 1, maxLength: 40 }).map((text) => `/${text.replace(/[\s]/g, '')}`),
);

const HEADER_NAMES = ['Authorization', 'X-API-Key', 'X-Request-Id', 'If-None-Match', 'Accept-Encoding', 'Origin', 'Access-Control-Request-Method', 'Accept', 'Cookie', 'X-Forwarded-For', 'Content-Type'];
const header = fc
  .tuple(fc.constantFrom(...HEADER_NAMES), fc.oneof(fc.constantFrom('Bearer fuzz-caller-key-0123456789', 'Bearer nope', '*', 'W/"x"', 'gzip, br', 'https://app.example', 'GET', 'null'), fc.string({ maxLength: 60 })))
  .map(([name, value]) => `${name}: ${value.replace(/[\r\n]/g, '')}`);

const request = fc.record({
  method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'OPTIONS', 'POST', 'DELETE', 'FOO', 'get'),
  path,
  query: fc.array(parameter, { maxLength: 6 }),
  headers: fc.array(header, { maxLength: 5 }),
});

describe('fuzzing the running gateway', () => {
  it('never answers 5xx or hangs, and every 4xx is a problem document with a request id', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path: target, query, headers }) => {
        const line = `${method} ${target}${query.length > 0 ? `?${query.join('&')}` : ''} HTTP/1.1`;
        const text = Buffer.from(`${line}\r\nHost: localhost\r\n${headers.map((h) => `${h}\r\n`).join('')}Connection: close\r\n\r\n`, 'utf8');
        const response = await rawRequest(port, text, { timeoutMs: 5000 });
        expect(response.status).toBeGreaterThanOrEqual(100);
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(response.headers['x-request-id']).toBeDefined();
          if (method !== 'HEAD') expect(JSON.parse(response.body)).toMatchObject({ status: response.status, title: expect.any(String) });
        }
      }),
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), verbose: 1 },
    );
  });
});

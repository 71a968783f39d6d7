import request from 'supertest';
import { generateBvOrganizations } from '../../dev/simulators/seed-data.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

/**
 * No credential reaches a log line or an answer: not the gateway's own
 * (upstream credentials, caller and metrics keys, the Redis password), not
 * one a caller puts in a URL in any spelling, and not one an upstream record
 * carries at any depth (`raw`).
 */

const INVENT_SECRET = 'invent-secret-key-7f3a9c';
const BV_SECRET = 'bv-secret-token-5e1d2b';
const CALLER_KEY = 'caller-secret-key-0123456789';
const REDIS_PASSWORD = 'redis-password-4c8e1a';

/** Values of credential-named fields nested in bv records; none may come back in `raw`. */
const NESTED = ['nested-token-value-111', 'nested-password-value-222', 'nested-client-secret-333', 'nested-api-key-444', 'nested-license-555'];

const bvRecords = generateBvOrganizations(30).map((record, i) =>
  i === 0
    ? {
        ...record,
        settings: { theme: 'dark', token: NESTED[0], sso: { password: NESTED[1], providers: [{ name: 'okta', client_secret: NESTED[2] }] } },
        integrations: [{ kind: 'webhook', 'X-Api-Key': NESTED[3] }],
        billing: { licenseKey: NESTED[4], currency: 'EUR' },
      }
    : record,
);

const lines: string[] = [];
let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGateway({
    inventCount: 20,
    bvRecords,
    logLines: lines,
    secrets: { invent: INVENT_SECRET, bv: BV_SECRET },
    // Redis without a password of its own accepts any (ACL nopass); the gateway must still treat this one as a secret.
    env: { API_KEYS: CALLER_KEY, REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:6379`, LOG_LEVEL: 'debug' },
  });
});

afterAll(() => gateway.close());

const authorised = (path: string) => request(gateway.url).get(path).set('authorization', `Bearer ${CALLER_KEY}`);

describe('secrets', () => {
  it('never reach a log line, whatever the spelling a caller puts them in', async () => {
    const spellings = [
      `authorization=Bearer%20${'query-bearer-secret-01'}`,
      'x-api-key=query-apikey-secret-02',
      'client_secret=query-client-secret-03',
      'sig=query-signature-secret-04',
      'api%5Fkey=query-encoded-name-secret-05',
      'Password=query-password-secret-06',
      'ACCESS_TOKEN=query-token-secret-07',
      `key=${encodeURIComponent(CALLER_KEY).replace(/-/g, '%2D')}`,
      `q=${encodeURIComponent(INVENT_SECRET).toUpperCase()}`,
      // Not a credential name: only knowing the Redis password as a secret keeps it out.
      `q=${REDIS_PASSWORD}`,
    ];
    for (const query of spellings) await authorised(`/v1/sub-orgs?${query}`);
    await request(gateway.url).get('/v1/sub-orgs').set('x-api-key', 'wrong-key-secret-08');
    await new Promise((resolve) => setTimeout(resolve, 50));

    const everything = lines.join('\n');
    expect(lines.some((line) => line.includes('"event":"request"'))).toBe(true);
    for (const secret of [
      INVENT_SECRET,
      BV_SECRET,
      CALLER_KEY,
      REDIS_PASSWORD,
      'query-bearer-secret-01',
      'query-apikey-secret-02',
      'query-client-secret-03',
      'query-signature-secret-04',
      'query-encoded-name-secret-05',
      'query-password-secret-06',
      'query-token-secret-07',
      'wrong-key-secret-08',
    ]) {
      expect([secret, everything.includes(secret)]).toEqual([secret, false]);
    }
    // Percent-encoded forms of the configured secrets are caught too.
    expect(everything.toLowerCase()).not.toContain(encodeURIComponent(INVENT_SECRET).toLowerCase().replace(/-/g, '%2d'));
    expect(everything).toContain('[REDACTED]');
  });

  it('never come back in raw, at any depth, while everything else does', async () => {
    const { body } = await authorised('/v1/sub-orgs?provider=bv&includeRaw=true&pageSize=100').expect(200);
    const text = JSON.stringify(body);
    for (const secret of NESTED) expect([secret, text.includes(secret)]).toEqual([secret, false]);
    const first = (body as { data: Array<{ sourceId: string; raw: Record<string, unknown> }> }).data.find((record) => record.sourceId === bvRecords[0].id)!;
    expect(first.raw).toMatchObject({ settings: { theme: 'dark', sso: { providers: [{ name: 'okta' }] } }, integrations: [{ kind: 'webhook' }], billing: { currency: 'EUR' } });
    expect(first.raw).not.toHaveProperty('license_key');
    // Nor the top-level license key of any record.
    for (const record of bvRecords) expect(text).not.toContain(record.license_key!);
  });

  it('never show an upstream URL or credential in any /v1 answer', async () => {
    for (const path of ['/v1/providers', '/v1/sub-orgs?pageSize=5', '/v1/sub-orgs/bv:missing', '/v1/sub-orgs?status=nope']) {
      const { text } = await authorised(path);
      for (const secret of [gateway.invent.url, gateway.bv.url, '127.0.0.1', INVENT_SECRET, BV_SECRET, REDIS_PASSWORD]) {
        expect([path, secret, text.includes(secret)]).toEqual([path, secret, false]);
      }
    }
  });
});

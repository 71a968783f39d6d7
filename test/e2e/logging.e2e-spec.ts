import request from 'supertest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

const INVENT_SECRET = 'invent-secret-key-7f3a9c';
const BV_SECRET = 'bv-secret-token-5e1d2b';
const CALLER_KEY = 'caller-secret-key-0123456789';
const METRICS_KEY = 'metrics-secret-key-0123456789';

const lines: string[] = [];
let gateway: GatewayHarness;
let url: string;

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 120, bvCount: 20, logLines: lines, env: { API_KEYS: CALLER_KEY, METRICS_API_KEY: METRICS_KEY }, secrets: { invent: INVENT_SECRET, bv: BV_SECRET } });
  url = gateway.url;
});

afterAll(() => gateway.close());

describe('JSON logs', () => {
  it('write one JSON line per request and per upstream call, with secrets redacted everywhere', async () => {
    gateway.bv.setFaults({ rejectCredential: true });
    await request(url).get('/v1/sub-orgs?pageSize=1').set('authorization', `Bearer ${CALLER_KEY}`).set('cookie', 'session=cookie-secret-42').expect(200);
    await request(url).get(`/v1/sub-orgs?api_key=${CALLER_KEY}&token=query-secret-99`).set('x-api-key', CALLER_KEY).expect(400);
    await request(url).get('/v1/sub-orgs').set('authorization', 'Bearer wrong-but-secret-value-123').expect(401);
    await request(url).get(`/metrics?key=${METRICS_KEY}`).set('authorization', `Bearer ${METRICS_KEY}`).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = records.filter((record) => record.event === 'request');
    expect(requestLines.map((record) => record.status)).toEqual([200, 400, 401, 200]);
    expect(requestLines[0]).toMatchObject({ method: 'GET', route: '/v1/sub-orgs', requestId: expect.any(String), latencyMs: expect.any(Number), level: 'info' });

    const upstream = records.filter((record) => record.event === 'upstream_call');
    expect(upstream.filter((record) => record.provider === 'invent' && record.outcome === 'ok').length).toBe(gateway.invent.stats.listRequests);
    expect(upstream.find((record) => record.provider === 'bv')).toMatchObject({ status: 401, outcome: 'UPSTREAM_AUTH_FAILED', attempt: 1 });

    const everything = lines.join('\n');
    for (const secret of [INVENT_SECRET, BV_SECRET, CALLER_KEY, METRICS_KEY, 'query-secret-99', 'wrong-but-secret-value-123', 'cookie-secret-42']) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).toContain('[REDACTED]');
  });
});

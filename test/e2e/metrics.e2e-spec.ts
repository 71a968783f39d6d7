import request from 'supertest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 30, bvCount: 20, env: { API_KEYS: 'metrics-test-key-0123456789' } });
});

afterAll(async () => {
  await gateway.close();
});

const auth = { authorization: 'Bearer metrics-test-key-0123456789' };

function sample(text: string, metric: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const labelPart = line.slice(metric.length + 1, line.indexOf('}'));
    if (wanted.every((pair) => labelPart.split(',').includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('exposes request, upstream, cache, circuit and snapshot metrics in Prometheus text', async () => {
    await request(gateway.url).get('/v1/sub-orgs?pageSize=1').set(auth).expect(200);
    await request(gateway.url).get('/v1/sub-orgs?pageSize=2').set(auth).expect(200);
    await request(gateway.url).get(`/v1/sub-orgs/bv:${gateway.bv.records[0].id}`).set(auth).expect(200);
    await request(gateway.url).get('/v1/sub-orgs?pageSize=0').set(auth).expect(400);

    const response = await request(gateway.url).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    expect(sample(text, 'suborg_http_request_duration_seconds_count', { method: 'GET', route: '/v1/sub-orgs', status: '200' })).toBe(2);
    expect(sample(text, 'suborg_http_request_duration_seconds_count', { route: '/v1/sub-orgs/:id', status: '200' })).toBe(1);
    expect(sample(text, 'suborg_http_request_duration_seconds_count', { route: '/v1/sub-orgs', status: '400' })).toBe(1);
    expect(sample(text, 'suborg_upstream_request_duration_seconds_count', { provider: 'bv', outcome: 'ok' })).toBe(gateway.bv.stats.listRequests);
    expect(sample(text, 'suborg_snapshot_reads_total', { provider: 'invent', state: 'walked' })).toBe(1);
    expect(sample(text, 'suborg_snapshot_reads_total', { provider: 'invent', state: 'fresh' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'suborg_circuit_state', { provider: 'bv' })).toBe(0);
    expect(sample(text, 'suborg_snapshot_records', { provider: 'invent' })).toBe(30);
    expect(text).toContain('suborg_process_resident_memory_bytes');
    // Ids and query strings never become labels.
    expect(text).not.toContain(gateway.bv.records[0].id);
    expect(text).not.toContain('pageSize');
  });

  it('counts upstream failures by their code', async () => {
    const failing = await startGateway({ inventCount: 5, bvCount: 5 });
    try {
      failing.bv.setFaults({ rejectCredential: true });
      await request(failing.url).get('/v1/sub-orgs').expect(200);
      const text = (await request(failing.url).get('/metrics').expect(200)).text;
      expect(sample(text, 'suborg_upstream_request_duration_seconds_count', { provider: 'bv', outcome: 'UPSTREAM_AUTH_FAILED' })).toBe(1);
      expect(sample(text, 'suborg_snapshot_reads_total', { provider: 'bv', state: 'error' })).toBe(1);
    } finally {
      await failing.close();
    }
  });
});

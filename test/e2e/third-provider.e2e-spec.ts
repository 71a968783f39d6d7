import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { type MappingResult, isRecord, optionalString, optionalTimestamp, requiredId, requiredName, skip } from '../../src/upstreams/mapping.js';
import { UPSTREAM_REGISTRY } from '../../src/upstreams/registry.js';
import { defineUpstream } from '../../src/upstreams/upstream-definition.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

// What README "Adding a third provider" describes, for a made-up platform: wire types, a pure mapper,
// a definition, and one registry line. Nothing in listing/ or api/ knows about it.

/** Acme Cloud's wire shape: `GET /tenants?page=&size=` answers a bare array, a short page ends it. */
interface AcmeTenant {
  readonly tenant_id?: string;
  readonly display_name?: string;
  readonly state?: 'live' | 'paused';
  readonly admin?: string;
  readonly since?: string;
}

function mapAcmeTenant(input: unknown, provider: string): MappingResult {
  if (!isRecord(input)) return skip('record is not an object');
  const record = input as AcmeTenant;
  const sourceId = requiredId(record.tenant_id);
  const name = requiredName(record.display_name);
  if (sourceId === null || name === null) return skip('missing tenant_id or display_name');
  return {
    ok: true,
    record: {
      id: `${provider}:${sourceId}`,
      provider,
      sourceId,
      name,
      parentId: null,
      parentName: null,
      type: 'business',
      status: record.state === 'live' ? 'active' : record.state === 'paused' ? 'inactive' : 'unknown',
      plan: null,
      description: null,
      logoUrl: null,
      ownerEmail: optionalString(record.admin),
      memberCount: null,
      balance: null,
      contract: null,
      timeZone: null,
      hasSubOrgs: null,
      createdAt: optionalTimestamp(record.since),
      updatedAt: null,
    },
  };
}

const acmeUpstream = defineUpstream<{ readonly token: string; readonly baseUrl: string }>({
  key: 'acme',
  label: 'Acme Cloud',
  credentialVariable: 'ACME_TOKEN',
  readSettings(env) {
    const token = env.optionalString('ACME_TOKEN');
    return token === undefined ? undefined : { token, baseUrl: env.upstreamUrl('ACME_BASE_URL', 'https://api.acme.example') };
  },
  connection: (settings) => ({ baseUrl: settings.baseUrl, secrets: [settings.token], requestsPerMinute: 600 }),
  pageSize: 50,
  paging: 'short-page-ends',
  pageRequest: (settings, page) => ({ path: '/tenants', query: { page, size: 50 }, headers: { authorization: `Bearer ${settings.token}` } }),
  readPage: (body) => (Array.isArray(body) ? { records: body } : { problem: 'is not a JSON array' }),
  mapRecord: (record, _settings, provider) => mapAcmeTenant(record, provider),
});

const TENANTS: AcmeTenant[] = Array.from({ length: 120 }, (_, i) => ({
  tenant_id: `t-${i}`,
  display_name: `Acme Tenant ${i}`,
  state: i % 3 === 0 ? 'paused' : 'live',
  admin: `admin${i}@acme.example`,
  since: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
}));

let acme: Server;
let gateway: GatewayHarness;

beforeAll(async () => {
  acme = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://acme');
    if (req.headers.authorization !== 'Bearer acme-token' || url.pathname !== '/tenants') return void res.writeHead(401).end();
    const page = Number(url.searchParams.get('page'));
    const size = Number(url.searchParams.get('size'));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TENANTS.slice((page - 1) * size, page * size)));
  });
  await new Promise<void>((resolve) => acme.listen(0, '127.0.0.1', resolve));
  gateway = await startGateway({
    registry: [...UPSTREAM_REGISTRY, acmeUpstream],
    env: { ACME_TOKEN: 'acme-token', ACME_BASE_URL: `http://127.0.0.1:${(acme.address() as AddressInfo).port}` },
  });
});

afterAll(async () => {
  await gateway.close();
  await new Promise((resolve) => acme.close(resolve));
});

describe('a third provider registered with one line', () => {
  it('is listed with the others and reported in sources', async () => {
    const body = (await request(gateway.url).get('/v1/sub-orgs?pageSize=1').expect(200)).body as { page: { totalItems: number }; sources: Array<{ provider: string; status: string; itemCount: number }> };
    expect(body.page.totalItems).toBe(250 + 230 + 120);
    expect(body.sources).toEqual(expect.arrayContaining([expect.objectContaining({ provider: 'acme', status: 'ok', itemCount: 120 })]));
  });

  it('is filtered by provider, and its records by the canonical filters', async () => {
    const only = (await request(gateway.url).get('/v1/sub-orgs?provider=acme&pageSize=100&status=inactive').expect(200)).body as { data: Array<{ id: string; provider: string; status: string }>; page: { totalItems: number } };
    expect(only.page.totalItems).toBe(40);
    expect(only.data.every((record) => record.provider === 'acme' && record.status === 'inactive' && record.id.startsWith('acme:t-'))).toBe(true);
    const one = (await request(gateway.url).get('/v1/sub-orgs/acme:t-7').expect(200)).body as { name: string; ownerEmail: string };
    expect(one).toMatchObject({ name: 'Acme Tenant 7', ownerEmail: 'admin7@acme.example' });
  });

  it('appears in the OpenAPI provider enum and in /v1/providers', async () => {
    const document = (await request(gateway.url).get('/docs-json').expect(200)).body as { components: { schemas: { ProviderKey: { enum: string[] } } } };
    expect(document.components.schemas.ProviderKey.enum).toEqual(['invent', 'bv', 'acme']);
    const providers = (await request(gateway.url).get('/v1/providers').expect(200)).body as { providers: Array<{ key: string; label: string }> };
    expect(providers.providers.map((provider) => [provider.key, provider.label])).toEqual([
      ['invent', 'Invent'],
      ['bv', 'BlendVision One'],
      ['acme', 'Acme Cloud'],
    ]);
  });
});

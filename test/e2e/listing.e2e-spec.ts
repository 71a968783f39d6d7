import request from 'supertest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

interface ListingBody {
  data: Array<Record<string, unknown> & { id: string; name: string; provider: string; status: string; type: string | null; plan: string | null; createdAt: string | null }>;
  page: { page: number; pageSize: number; totalItems: number; totalPages: number; nextCursor: string | null };
  sources: Array<{ provider: string; status: string; itemCount: number; skipped: number; fetchedAt: string | null; error?: { code: string; message: string } }>;
  partial: boolean;
}

let gateway: GatewayHarness;

async function list(query: string): Promise<ListingBody> {
  const response = await request(gateway.url).get(`/v1/sub-orgs${query}`).expect(200);
  return response.body as ListingBody;
}

async function walkAll(query: string, by: 'page' | 'cursor'): Promise<ListingBody['data']> {
  const all: ListingBody['data'] = [];
  let body = await list(query);
  all.push(...body.data);
  for (let page = 2; page <= 100; page++) {
    if (by === 'page' ? page > body.page.totalPages : body.page.nextCursor === null) break;
    const next = by === 'page' ? `${query}&page=${page}` : `${query}&cursor=${body.page.nextCursor}`;
    body = await list(next);
    all.push(...body.data);
  }
  return all;
}

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 250, bvCount: 230 });
});

afterAll(async () => {
  await gateway.close();
});

describe('GET /v1/sub-orgs against both simulators', () => {
  it('merges both providers and reports each source', async () => {
    const body = await list('?pageSize=5');
    expect(body.page).toMatchObject({ page: 1, pageSize: 5, totalItems: 480, totalPages: 96 });
    expect(body.partial).toBe(false);
    expect(body.sources).toEqual([
      expect.objectContaining({ provider: 'invent', status: 'ok', itemCount: 250, skipped: 0 }),
      expect.objectContaining({ provider: 'bv', status: 'ok', itemCount: 230, skipped: 0 }),
    ]);
    expect(body.data).toHaveLength(5);
  });

  it.each(['page', 'cursor'] as const)('returns every upstream record exactly once when walked by %s', async (by) => {
    const all = await walkAll('?pageSize=37&sort=-createdAt', by);
    const expected = [...gateway.invent.records.map((r) => `invent:${r.id}`), ...gateway.bv.records.map((r) => `bv:${r.id}`)];
    expect(all).toHaveLength(expected.length);
    expect(new Set(all.map((r) => r.id))).toEqual(new Set(expected));
  });

  it('sorts by name by default as Unicode collation does (case and accents ignored, Ł with L), ties by id', async () => {
    const all = await walkAll('?pageSize=100', 'page');
    const collator = new Intl.Collator('und', { sensitivity: 'base' });
    // The simulators' names are Latin, with a few in other scripts, whose order the collation defines differently.
    const latin = all.filter((r) => /^[\p{Script=Latin}\p{N}\p{P}\s]*$/u.test(r.name));
    expect(latin.length).toBeGreaterThan(all.length * 0.8);
    const sorted = [...latin].sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
    expect(latin.map((r) => r.id)).toEqual(sorted.map((r) => r.id));
  });

  it('sorts by createdAt ascending with records lacking it last', async () => {
    const all = await walkAll('?pageSize=100&sort=createdAt', 'cursor');
    const times = all.map((r) => r.createdAt).filter((t): t is string => t !== null);
    expect(times).toEqual([...times].sort());
  });

  it('restricts to one provider', async () => {
    const body = await list('?provider=bv&pageSize=100');
    expect(body.page.totalItems).toBe(230);
    expect(body.sources.map((s) => s.provider)).toEqual(['bv']);
    expect(body.data.every((r) => r.provider === 'bv')).toBe(true);
    expect((await list('?provider=invent,bv')).page.totalItems).toBe(480);
    expect((await list('?provider=invent&provider=bv')).page.totalItems).toBe(480);
  });

  it('filters by q case-insensitively across scripts and accents', async () => {
    const expected = [...gateway.invent.records, ...gateway.bv.records].filter((r) => r.name!.toLowerCase().includes('zürich')).length;
    expect(expected).toBeGreaterThan(0);
    const lower = await list('?q=z%C3%BCrich&pageSize=100');
    const upper = await list('?q=Z%C3%9CRICH&pageSize=100');
    expect(lower.page.totalItems).toBe(expected);
    expect(upper.page.totalItems).toBe(expected);
    expect(lower.data.every((r) => r.name.toLowerCase().includes('zürich'))).toBe(true);
    const tokyo = await list(`?q=${encodeURIComponent('東京')}&pageSize=100`);
    expect(tokyo.page.totalItems).toBeGreaterThan(0);
    expect(tokyo.data.every((r) => r.name.includes('東京'))).toBe(true);
  });

  it('filters by status, type and plan (any-of)', async () => {
    const statuses = await list('?status=pending,inactive&pageSize=100');
    expect(statuses.page.totalItems).toBe(gateway.bv.records.filter((r) => r.status === 'ORGANIZATION_STATUS_VERIFYING' || r.status === 'ORGANIZATION_STATUS_DEACTIVATED').length);
    expect(new Set(statuses.data.map((r) => r.status))).toEqual(new Set(['pending', 'inactive']));

    const active = await list('?status=active&pageSize=1');
    const bvActive = gateway.bv.records.filter((r) => r.status === 'ORGANIZATION_STATUS_ACTIVATED').length;
    expect(active.page.totalItems).toBe(250 + bvActive);

    const types = await list('?type=root&type=distributor&pageSize=100');
    expect(types.page.totalItems).toBe(gateway.bv.records.filter((r) => r.type === 'ORGANIZATION_TYPE_ROOT' || r.type === 'ORGANIZATION_TYPE_GENERAL_DISTRIBUTOR').length);
    expect(new Set(types.data.map((r) => r.type))).toEqual(new Set(['root', 'distributor']));

    const plans = await list('?plan=BUSINESS,cxm&pageSize=100');
    const expectedPlans =
      gateway.invent.records.filter((r) => r.plan === 'business').length + gateway.bv.records.filter((r) => r.plan_id === undefined && r.business_plan_type === 'CXM').length;
    expect(plans.page.totalItems).toBe(expectedPlans);
  });

  it('filters by an inclusive createdAt range', async () => {
    const from = '2024-01-01T00:00:00Z';
    const to = '2024-12-31T23:59:59.999Z';
    const body = await list(`?createdFrom=${from}&createdTo=${to}&sort=createdAt&pageSize=100`);
    const expected = [...gateway.invent.records, ...gateway.bv.records].filter((r) => {
      const t = Date.parse(r.created_at!);
      return t >= Date.parse(from) && t <= Date.parse(to);
    }).length;
    expect(body.page.totalItems).toBe(expected);
    expect(body.data.every((r) => r.createdAt! >= '2024-01-01' && r.createdAt! < '2025-01-01')).toBe(true);
    const exact = gateway.bv.records[0].created_at!;
    const pinned = await list(`?createdFrom=${exact}&createdTo=${exact}&provider=bv`);
    expect(pinned.data.map((r) => r.id)).toContain(`bv:${gateway.bv.records[0].id}`);
  });

  it('adds the upstream original with includeRaw, without credentials', async () => {
    const body = await list('?provider=bv&pageSize=3&includeRaw=true');
    for (const record of body.data) {
      const raw = record.raw as Record<string, unknown>;
      expect(raw.id).toBe(record.sourceId);
      expect(raw).not.toHaveProperty('license_key');
    }
    const plain = await list('?provider=bv&pageSize=3');
    expect(plain.data[0]).not.toHaveProperty('raw');
  });

  it('returns originals with non-ASCII text exactly as the upstream sent them', async () => {
    const upstream = gateway.bv.records.find((record) => /[^\x00-\x7f]/.test(record.name ?? ''))!;
    const { license_key: _credential, ...expected } = upstream;
    const one = await request(gateway.url).get(`/v1/sub-orgs/bv:${upstream.id}?includeRaw=true`).expect(200);
    expect(one.body.name).toBe(upstream.name);
    expect(one.body.raw).toEqual(JSON.parse(JSON.stringify(expected)));
    const inventUpstream = gateway.invent.records.find((record) => /[^\x00-\x7f]/.test(record.name ?? ''))!;
    const invent = await request(gateway.url).get(`/v1/sub-orgs/invent:${inventUpstream.id}?includeRaw=true`).expect(200);
    expect(invent.body.name).toBe(inventUpstream.name);
    expect(invent.body.raw).toEqual(JSON.parse(JSON.stringify(inventUpstream)));
  });

  it('answers an empty page past the end', async () => {
    const body = await list('?page=1000&pageSize=100');
    expect(body.data).toEqual([]);
    expect(body.page).toMatchObject({ page: 1000, totalItems: 480, totalPages: 5, nextCursor: null });
  });
});

describe('GET /v1/sub-orgs/{id}', () => {
  it('returns one canonical record of either provider', async () => {
    const bvRecord = gateway.bv.records[3];
    const response = await request(gateway.url).get(`/v1/sub-orgs/bv:${bvRecord.id}`).expect(200);
    expect(response.body).toMatchObject({ id: `bv:${bvRecord.id}`, name: bvRecord.name, provider: 'bv' });
    const inventRecord = gateway.invent.records[7];
    const invent = await request(gateway.url).get(`/v1/sub-orgs/invent:${inventRecord.id}?includeRaw=true`).expect(200);
    expect(invent.body.raw).toMatchObject({ id: inventRecord.id });
  });

  it.each(['bv:does-not-exist', 'invent:nope', 'other:1', 'no-prefix'])('answers 404 problem for %s', async (id) => {
    const response = await request(gateway.url).get(`/v1/sub-orgs/${encodeURIComponent(id)}`).expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, title: 'Not found' });
  });
});

describe('GET /v1/providers', () => {
  it('lists configured providers with health and cache age, without credentials or upstream URLs', async () => {
    await list('?pageSize=1');
    const response = await request(gateway.url).get('/v1/providers').expect(200);
    expect(response.body.providers).toEqual([
      expect.objectContaining({ key: 'invent', health: 'ok', itemCount: 250, lastError: null, refreshing: false, progress: null, circuit: 'closed' }),
      expect.objectContaining({ key: 'bv', health: 'ok', itemCount: 230 }),
    ]);
    expect(response.body.providers[0].cacheAgeSeconds).toBeGreaterThanOrEqual(0);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain('test-invent-key');
    expect(text).not.toContain(gateway.invent.url);
    expect(text).not.toContain(gateway.bv.url);
  });
});

describe('caching', () => {
  it('serves repeated listings from the snapshot without walking the upstream again', async () => {
    await list('?pageSize=1');
    gateway.invent.resetStats();
    gateway.bv.resetStats();
    await list('?pageSize=10&sort=-name');
    await list('?q=acme');
    expect(gateway.invent.stats.listRequests).toBe(0);
    expect(gateway.bv.stats.listRequests).toBe(0);
  });
});

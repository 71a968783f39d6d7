import request from 'supertest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 120, bvCount: 90 });
});

afterAll(async () => {
  await gateway.close();
});

async function problem(path: string, status = 400) {
  const response = await request(gateway.url).get(path).expect(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return response.body as { errors?: Array<{ field: string; message: string }>; detail: string };
}

describe('400 problems for bad listing parameters', () => {
  it.each([
    ['an unknown parameter', '?colour=red', 'colour', 'is not a known parameter'],
    ['page 0', '?page=0', 'page', 'at least 1'],
    ['a negative page', '?page=-1', 'page', 'whole number'],
    ['a fractional page', '?page=1.5', 'page', 'whole number'],
    ['a page that is not a number', '?page=two', 'page', 'whole number'],
    ['pageSize 0', '?pageSize=0', 'pageSize', 'at least 1'],
    ['pageSize over 100', '?pageSize=101', 'pageSize', 'at most 100'],
    ['a huge pageSize', '?pageSize=99999999999999999999', 'pageSize', 'whole number'],
    ['an unknown status', '?status=active,sleeping', 'status', 'may only contain'],
    ['an unknown type', '?type=agency', 'type', 'may only contain'],
    ['an unknown provider', '?provider=salesforce', 'provider', 'not configured on this gateway: salesforce'],
    ['an unknown sort', '?sort=ownerEmail', 'sort', 'must be one of'],
    ['an unknown facet', '?facets=status,color', 'facets', 'may only contain'],
    ['an unknown field', '?fields=name,secret', 'fields', 'may only contain'],
    ['raw as a field', '?fields=raw', 'fields', 'may only contain'],
    ['a non-boolean hasSubOrgs', '?hasSubOrgs=yes', 'hasSubOrgs', 'true or false'],
    ['an ownerEmail over 254 characters', `?ownerEmail=${'a'.repeat(255)}`, 'ownerEmail', '1 to 254 characters'],
    ['a reversed updated range', '?updatedFrom=2025-01-01T00:00:00Z&updatedTo=2024-01-01T00:00:00Z', 'updatedTo', 'not be before updatedFrom'],
    ['a contract end without a zone', '?contractEndsFrom=2025-01-01T00:00:00', 'contractEndsFrom', 'ISO 8601 date-time'],
    ['an empty list', '?status=', 'status', 'must not be empty'],
    ['a date without a time', '?createdFrom=2024-01-01', 'createdFrom', 'ISO 8601 date-time'],
    ['a date-time without a zone', '?createdTo=2024-01-01T00:00:00', 'createdTo', 'ISO 8601 date-time'],
    ['an impossible date', '?createdFrom=2024-02-31T00:00:00Z', 'createdFrom', 'ISO 8601 date-time'],
    ['a reversed range', '?createdFrom=2025-01-01T00:00:00Z&createdTo=2024-01-01T00:00:00Z', 'createdTo', 'not be before createdFrom'],
    ['an empty q', '?q=', 'q', '1 to 200 characters'],
    ['a q over 200 characters', `?q=${'a'.repeat(201)}`, 'q', '1 to 200 characters'],
    ['a repeated q', '?q=a&q=b', 'q', 'single string'],
    ['a repeated page', '?page=1&page=2', 'page', 'whole number'],
    ['a non-boolean includeRaw', '?includeRaw=maybe', 'includeRaw', 'true or false'],
    ['garbage as cursor', '?cursor=%3Cscript%3E', 'cursor', 'malformed'],
    ['a cursor that does not decode', '?cursor=abc.def', 'cursor', 'malformed or was altered'],
    ['too many plans', `?plan=${Array.from({ length: 51 }, (_, i) => `p${i}`).join(',')}`, 'plan', 'at most 50'],
  ])('refuses %s', async (_label, query, field, message) => {
    const body = await problem(`/v1/sub-orgs${query}`);
    expect(body.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringContaining(message) }]));
  });

  it('lists one entry per bad field', async () => {
    const body = await problem('/v1/sub-orgs?page=0&pageSize=1000&sort=x&bogus=1');
    expect(body.errors!.map((e) => e.field).sort()).toEqual(['bogus', 'page', 'pageSize', 'sort']);
  });

  it('refuses a provider that is known but not configured', async () => {
    const onlyInvent = await startGateway({ without: 'bv', inventCount: 5 });
    try {
      const response = await request(onlyInvent.url).get('/v1/sub-orgs?provider=bv').expect(400);
      expect(response.body.errors).toEqual([{ field: 'provider', message: expect.stringContaining('not configured on this gateway: bv') }]);
    } finally {
      await onlyInvent.close();
    }
  });

  describe('cursors', () => {
    async function cursorFor(query: string): Promise<string> {
      const response = await request(gateway.url).get(`/v1/sub-orgs${query}`).expect(200);
      return response.body.page.nextCursor as string;
    }

    it('refuses a cursor combined with page', async () => {
      const cursor = await cursorFor('?pageSize=5');
      const body = await problem(`/v1/sub-orgs?pageSize=5&page=2&cursor=${cursor}`);
      expect(body.errors).toEqual([{ field: 'cursor', message: expect.stringContaining('cannot be combined with page') }]);
    });

    it('refuses a tampered cursor', async () => {
      const cursor = await cursorFor('?pageSize=5');
      const [payload, sum] = cursor.split('.');
      const decoded = Buffer.from(payload, 'base64url').toString('utf8');
      const tampered = Buffer.from(decoded.replace(/"(invent|bv):/, '"$1:x')).toString('base64url');
      await problem(`/v1/sub-orgs?pageSize=5&cursor=${tampered}.${sum}`);
      await problem(`/v1/sub-orgs?pageSize=5&cursor=${payload}.${sum.slice(1)}x`);
    });

    it('refuses a cursor replayed against another filter or sort', async () => {
      const cursor = await cursorFor('?pageSize=5&sort=name');
      const resorted = await problem(`/v1/sub-orgs?pageSize=5&sort=-name&cursor=${cursor}`);
      expect(resorted.errors![0].message).toContain('different filter or sort');
      await problem(`/v1/sub-orgs?pageSize=5&q=acme&cursor=${cursor}`);
      // A different page size is fine: the cursor is a position, not a page.
      await request(gateway.url).get(`/v1/sub-orgs?pageSize=7&cursor=${cursor}`).expect(200);
    });
  });
});

describe('other problems', () => {
  it('answers 404 problem for an unknown route', async () => {
    const body = await problem('/v2/everything', 404);
    expect(body.detail).toContain('/v2/everything');
  });

  it('refuses an over-long id', async () => {
    await problem(`/v1/sub-orgs/bv:${'x'.repeat(400)}`, 400);
  });

  it('answers 404 for a path-traversal attempt in the id', async () => {
    await problem('/v1/sub-orgs/..%2F..%2Fetc%2Fpasswd', 404);
  });
});

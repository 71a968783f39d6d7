import { connect } from 'node:net';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { generateBvOrganizations } from '../../dev/simulators/seed-data.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { liveBytes } from '../support/live-memory.js';

/**
 * What dashboards build on the listing: facet counts (checked against a
 * brute-force count over every record), sparse fields, the hierarchy, email
 * and date filters, the new sorts with cursor walks, pagination headers, and
 * the streaming export.
 */

interface SubOrg {
  id: string;
  provider: string;
  name: string;
  parentId: string | null;
  type: string | null;
  status: string;
  plan: string | null;
  ownerEmail: string | null;
  hasSubOrgs: boolean | null;
  contract: { endsAt: string | null } | null;
  createdAt: string | null;
  updatedAt: string | null;
  [field: string]: unknown;
}
interface Bucket {
  value: string | null;
  count: number;
}
interface Listing {
  data: SubOrg[];
  page: { page: number; pageSize: number; totalItems: number; totalPages: number; nextCursor: string | null };
  facets?: Record<string, Bucket[]>;
  partial: boolean;
}

const STATUSES = ['active', 'pending', 'verification_failed', 'inactive', 'deleting', 'deleted', 'scheduled', 'unknown'];
const TYPES = ['root', 'distributor', 'reseller', 'business'];
const FORMULAS = ['=HYPERLINK("https://evil.example","click")', '+1 Media', '-5 Studios', '@home TV'];
// Names are trimmed when mapped; a description keeps its leading tab or carriage return.
const DESCRIPTIONS = ['\t=cmd|calc', '\r@SUM(A1)'];

// bv records with text a spreadsheet would run as formulas.
const bvRecords = generateBvOrganizations(230).map((record, i) =>
  i < FORMULAS.length ? { ...record, name: FORMULAS[i] } : i < FORMULAS.length + DESCRIPTIONS.length ? { ...record, description: DESCRIPTIONS[i - FORMULAS.length] } : record,
);

let gateway: GatewayHarness;
let everything: SubOrg[];

async function list(query: string): Promise<Listing> {
  return (await request(gateway.url).get(`/v1/sub-orgs${query}`).expect(200)).body as Listing;
}

async function walk(query: string): Promise<SubOrg[]> {
  const all: SubOrg[] = [];
  let body = await list(query);
  all.push(...body.data);
  while (body.page.nextCursor !== null) {
    body = await list(`${query}&cursor=${body.page.nextCursor}`);
    all.push(...body.data);
  }
  return all;
}

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 250, bvRecords });
  everything = await walk('?pageSize=100&sort=createdAt');
});

afterAll(() => gateway.close());

const time = (value: string | null | undefined): number | undefined => (value === null || value === undefined ? undefined : Date.parse(value));

/** The disjunctive facet rule, by brute force: a record counts for facet F when it passes every criterion except F's. */
function expectedFacet(field: string, criteria: Record<string, (record: SubOrg) => boolean>, valueOf: (record: SubOrg) => string | null, every?: Array<string | null>): Bucket[] {
  const counts = new Map<string | null, number>((every ?? []).map((value) => [value, 0]));
  for (const record of everything) {
    if (!Object.entries(criteria).every(([name, passes]) => name === field || passes(record))) continue;
    const value = valueOf(record);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value === b.value ? 0 : a.value === null ? 1 : b.value === null ? -1 : a.value < b.value ? -1 : 1))
    .slice(0, every === undefined ? 100 : undefined);
}

function expectedFacets(criteria: Record<string, (record: SubOrg) => boolean>): Record<string, Bucket[]> {
  return {
    provider: expectedFacet('provider', criteria, (r) => r.provider, ['invent', 'bv']),
    status: expectedFacet('status', criteria, (r) => r.status, STATUSES),
    type: expectedFacet('type', criteria, (r) => r.type, [...TYPES, null]),
    plan: expectedFacet('plan', criteria, (r) => r.plan?.toLowerCase() ?? null),
    parentId: expectedFacet('parentId', criteria, (r) => r.parentId),
  };
}

const lowerPlans = (facets: Record<string, Bucket[]>) => ({ ...facets, plan: facets.plan.map((bucket) => ({ ...bucket, value: bucket.value?.toLowerCase() ?? null })) });

describe('facets', () => {
  const ALL = '&facets=provider,status,type,plan,parentId';

  it.each([
    ['no filter', '', {}],
    [
      'status and type filters (each facet ignores its own)',
      '&status=active,pending&type=reseller,distributor',
      { status: (r: SubOrg) => ['active', 'pending'].includes(r.status), type: (r: SubOrg) => r.type === 'reseller' || r.type === 'distributor' },
    ],
    [
      'a provider filter, q and a plan (the provider facet still counts every provider)',
      '&provider=bv&q=a&plan=BVONE,business',
      { provider: (r: SubOrg) => r.provider === 'bv', q: (r: SubOrg) => r.name.toLowerCase().includes('a'), plan: (r: SubOrg) => ['bvone', 'business'].includes(r.plan?.toLowerCase() ?? '') },
    ],
    [
      'hierarchy and date filters',
      '&hasSubOrgs=true&createdFrom=2021-01-01T00:00:00Z&parentId=bv-root-0001',
      { hasSubOrgs: (r: SubOrg) => r.hasSubOrgs === true, createdFrom: (r: SubOrg) => (time(r.createdAt) ?? -Infinity) >= Date.parse('2021-01-01T00:00:00Z'), parentId: (r: SubOrg) => r.parentId === 'bv-root-0001' },
    ],
  ])('match a brute-force count over every record: %s', async (_label, query, criteria) => {
    const body = await list(`?pageSize=1${query}${ALL}`);
    expect(lowerPlans(body.facets!)).toEqual(expectedFacets(criteria as Record<string, (record: SubOrg) => boolean>));
    // And the page itself applies every filter.
    const matching = everything.filter((record) => Object.values(criteria as Record<string, (r: SubOrg) => boolean>).every((passes) => passes(record)));
    expect(body.page.totalItems).toBe(matching.length);
  });

  it('are absent unless asked for, and only those asked for', async () => {
    expect((await list('?pageSize=1')).facets).toBeUndefined();
    expect(Object.keys((await list('?pageSize=1&facets=status')).facets!)).toEqual(['status']);
  });
});

describe('sparse fields', () => {
  it('carry only the fields asked for and id; raw only with includeRaw', async () => {
    const body = await list('?pageSize=5&fields=name,status,contract');
    for (const record of body.data) expect(Object.keys(record).sort()).toEqual(['contract', 'id', 'name', 'status']);
    const withRaw = await list('?pageSize=5&fields=name&includeRaw=true&provider=bv');
    for (const record of withRaw.data) expect(Object.keys(record).sort()).toEqual(['id', 'name', 'raw']);
  });
});

describe('filters', () => {
  const cases: Array<[string, string, (record: SubOrg) => boolean]> = [
    ['parentId (any of)', '?parentId=bv-root-0001,nobody', (r) => r.parentId === 'bv-root-0001'],
    ['ownerEmail (case-insensitive substring)', '?ownerEmail=OWNER@', (r) => (r.ownerEmail ?? '').toLowerCase().includes('owner@')],
    ['updatedFrom and updatedTo (inclusive; no value never matches)', '?updatedFrom=2022-01-01T00:00:00Z&updatedTo=2024-01-01T00:00:00Z', (r) => time(r.updatedAt) !== undefined && time(r.updatedAt)! >= Date.parse('2022-01-01T00:00:00Z') && time(r.updatedAt)! <= Date.parse('2024-01-01T00:00:00Z')],
    ['contractEndsFrom and contractEndsTo', '?contractEndsFrom=2024-01-01T00:00:00Z&contractEndsTo=2025-06-30T00:00:00Z', (r) => time(r.contract?.endsAt) !== undefined && time(r.contract?.endsAt)! >= Date.parse('2024-01-01T00:00:00Z') && time(r.contract?.endsAt)! <= Date.parse('2025-06-30T00:00:00Z')],
    ['contractEndsTo alone', '?contractEndsTo=2024-06-30T00:00:00Z', (r) => time(r.contract?.endsAt) !== undefined && time(r.contract?.endsAt)! <= Date.parse('2024-06-30T00:00:00Z')],
    ['hasSubOrgs=true', '?hasSubOrgs=true', (r) => r.hasSubOrgs === true],
    ['hasSubOrgs=false (null never matches)', '?hasSubOrgs=false', (r) => r.hasSubOrgs === false],
  ];

  it.each(cases)('%s', async (_label, query, passes) => {
    const expected = everything.filter(passes).map((record) => record.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(everything.length);
    const ids = (await walk(`${query}&pageSize=100`)).map((record) => record.id).sort();
    expect(ids).toEqual(expected);
  });
});

describe('new sorts', () => {
  const valueOf = { updatedAt: (r: SubOrg) => time(r.updatedAt), contractEndsAt: (r: SubOrg) => time(r.contract?.endsAt) };

  it.each(['updatedAt', '-updatedAt', 'contractEndsAt', '-contractEndsAt'] as const)('%s: a full cursor walk is in order, records without the value last, ties by id, each record once', async (sort) => {
    const field = sort.replace('-', '') as keyof typeof valueOf;
    const descending = sort.startsWith('-');
    const walked = await walk(`?sort=${sort}&pageSize=37`);
    expect(walked.map((r) => r.id).sort()).toEqual(everything.map((r) => r.id).sort());
    const expected = [...everything].sort((a, b) => {
      const [x, y] = [valueOf[field](a), valueOf[field](b)];
      if (x !== y) {
        if (x === undefined) return 1;
        if (y === undefined) return -1;
        return descending ? y - x : x - y;
      }
      return a.id < b.id ? -1 : 1;
    });
    expect(walked.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(walked.some((r) => valueOf[field](r) === undefined)).toBe(true);
  });
});

describe('pagination headers', () => {
  it('carry X-Total-Count, and a Link to the next page that, followed to the end, reaches every record once', async () => {
    const query = '/v1/sub-orgs?status=active,pending&sort=-createdAt&pageSize=25';
    const expected = everything.filter((r) => ['active', 'pending'].includes(r.status)).length;
    const seen: string[] = [];
    let next: string | undefined = query;
    let pages = 0;
    while (next !== undefined) {
      const response = await request(gateway.url).get(next).expect(200);
      pages++;
      expect(response.headers['x-total-count']).toBe(String(expected));
      seen.push(...(response.body as Listing).data.map((record) => record.id));
      const link = response.headers.link as string | undefined;
      next = link === undefined ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)![1];
      if (next !== undefined) expect(next).toMatch(/^\/v1\/sub-orgs\?status=active%2Cpending&sort=-createdAt&pageSize=25&cursor=/);
    }
    expect(pages).toBe(Math.ceil(expected / 25));
    expect(seen).toHaveLength(expected);
    expect(new Set(seen).size).toBe(expected);
  });

  it('are exposed to cross-origin callers', async () => {
    const cors = await startGateway({ inventCount: 10, bvCount: 10, env: { CORS_ORIGINS: 'https://app.example' } });
    try {
      const response = await request(cors.url).get('/v1/sub-orgs?pageSize=2').set('origin', 'https://app.example').expect(200);
      expect(String(response.headers['access-control-expose-headers']).toLowerCase()).toEqual(expect.stringContaining('x-total-count'));
      expect(String(response.headers['access-control-expose-headers']).toLowerCase()).toEqual(expect.stringContaining('link'));
    } finally {
      await cors.close();
    }
  });
});

describe('export', () => {
  const COLUMNS = ['id', 'provider', 'sourceId', 'name', 'parentId', 'parentName', 'type', 'status', 'plan', 'description', 'logoUrl', 'ownerEmail', 'memberCount', 'balance.credit', 'balance.promoCredit', 'balance.spentThisMonth', 'contract.startsAt', 'contract.endsAt', 'contract.months', 'contract.days', 'timeZone', 'hasSubOrgs', 'createdAt', 'updatedAt'];

  it('streams CSV and NDJSON that agree with each other and with the paged listing', async () => {
    const filter = 'status=active,pending,deleted&sort=-updatedAt';
    const csv = await request(gateway.url).get(`/v1/sub-orgs/export?format=csv&${filter}`).buffer(true).parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="sub-orgs-\d{8}T\d{6}Z\.csv"$/);
    expect(csv.headers['x-partial']).toBe('false');
    const text = csv.body as string;
    expect(text.includes('\r\n')).toBe(true);
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0])).toEqual(COLUMNS);

    const ndjson = await request(gateway.url).get(`/v1/sub-orgs/export?format=ndjson&${filter}`).expect(200);
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const records = ndjson.text.trimEnd().split('\n').map((line) => JSON.parse(line) as SubOrg);

    const paged = await walk(`?${filter}&pageSize=100`);
    expect(records).toEqual(paged);
    expect(rows.map((row) => row.id)).toEqual(paged.map((record) => record.id));
    // Every cell is the record's value, flattened; null is an empty cell.
    const flat = (record: SubOrg): Record<string, string> =>
      Object.fromEntries(
        COLUMNS.map((column) => {
          const value = column.split('.').reduce<unknown>((node, key) => (node === null || node === undefined ? null : (node as Record<string, unknown>)[key]), record);
          const text = value === null || value === undefined ? '' : String(value);
          return [column, /^[=+\-@\t\r]/.test(text) ? `'${text}` : text];
        }),
      );
    expect(rows).toEqual(paged.map(flat));
  });

  it('neutralises spreadsheet formulas in text cells, and only there', async () => {
    const response = await request(gateway.url).get('/v1/sub-orgs/export?format=csv&provider=bv').buffer(true).parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
    const rows = parse(response.body as string, { columns: true, relax_quotes: true }) as Array<Record<string, string>>;
    const names = rows.map((row) => row.name);
    for (const formula of FORMULAS) expect(names).toContain(`'${formula}`);
    const descriptions = rows.map((row) => row.description);
    for (const formula of DESCRIPTIONS) expect(descriptions).toContain(`'${formula}`);
    expect(rows.some((row) => Object.values(row).some((cell) => /^[=+\-@\t\r]/.test(cell)))).toBe(false);
    // NDJSON carries the text as it is.
    const ndjson = await request(gateway.url).get('/v1/sub-orgs/export?format=ndjson&provider=bv').expect(200);
    for (const formula of [...FORMULAS, ...DESCRIPTIONS]) expect(ndjson.text).toContain(JSON.stringify(formula));
  });

  it('refuses listing-only parameters, and answers problems as a listing does', async () => {
    const refused = await request(gateway.url).get('/v1/sub-orgs/export?format=csv&page=2&facets=status').expect(400);
    expect(refused.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['facets', 'page']);
    await request(gateway.url).get('/v1/sub-orgs/export?format=xlsx').expect(400);
    await request(gateway.url).get('/v1/sub-orgs/export').expect(400);
  });

  it('streams to a slow reader without holding the export in memory', async () => {
    // 400 + 200 pages: within the default budgets, so the walks are quick.
    const large = await startGateway({ inventCount: 40_000, bvCount: 20_000, env: { LISTING_DEADLINE_MS: '20000' } });
    try {
      await request(large.url).get('/v1/sub-orgs?pageSize=1').expect(200);
      // One export read at full speed first, so the baseline holds whatever the first export builds and keeps.
      await request(large.url).get('/v1/sub-orgs/export?format=csv').expect(200);
      const port = Number(new URL(large.url).port);
      const baseline = await liveBytes();
      let received = 0;
      let atPause = 0;
      let liveAtPause = 0;
      const total = await new Promise<number>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', reject);
        socket.on('data', (chunk: Buffer) => {
          received += chunk.length;
          // Read the first 256 KB, then stop reading for a second: the gateway must wait, not buffer.
          if (atPause === 0 && received > 256 * 1024) {
            socket.pause();
            setTimeout(() => {
              atPause = received;
              void liveBytes().then((bytes) => {
                liveAtPause = bytes;
                socket.resume();
              });
            }, 1000);
          }
        });
        socket.on('end', () => resolve(received));
        socket.write(`GET /v1/sub-orgs/export?format=csv HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      });
      // About 60,000 rows of ~250 bytes: some 15 MB, of which the paused reader had taken a small part.
      expect(total).toBeGreaterThan(10 * 1024 * 1024);
      expect(atPause).toBeLessThan(total / 4);
      // A gateway ignoring backpressure would hold the unsent rest of the export here.
      expect(liveAtPause - baseline).toBeLessThan(total / 4);
    } finally {
      await large.close();
    }
  }, 60_000);
});

import request from 'supertest';
import { generateBvOrganizations } from '../../dev/simulators/seed-data.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

let gateway: GatewayHarness;

beforeAll(async () => {
  // A 1 s TTL: the first request after expiry starts a refresh (and is served the stale snapshot meanwhile).
  gateway = await startGateway({ inventCount: 90, bvCount: 80, env: { CACHE_TTL_SECONDS: '1', CACHE_STALE_SECONDS: '0' } });
});

afterAll(async () => {
  await gateway.close();
});

interface Page {
  data: Array<{ id: string }>;
  page: { nextCursor: string | null; totalItems: number };
  sources: Array<{ provider: string; fetchedAt: string | null }>;
}

const bvFetchedAt = (page: Page): string | null | undefined => page.sources.find((source) => source.provider === 'bv')?.fetchedAt;

const get = async (query: string): Promise<Page> => (await request(gateway.url).get(`/v1/sub-orgs${query}`).expect(200)).body as Page;

describe('cursor walks across an upstream refresh', () => {
  it('never repeats a record and misses none that still exists after the cursor', async () => {
    const seen: string[] = [];
    let page = await get('?pageSize=25&sort=name');
    seen.push(...page.data.map((r) => r.id));
    page = await get(`?pageSize=25&sort=name&cursor=${page.page.nextCursor}`);
    seen.push(...page.data.map((r) => r.id));
    const cursor = page.page.nextCursor!;
    const before = bvFetchedAt(page);

    // The upstream changes: some records vanish (seen and unseen), new ones appear.
    const lastBeforeChange = seen[seen.length - 1];
    const removedSeen = gateway.bv.records.find((r) => seen.includes(`bv:${r.id}`) && `bv:${r.id}` !== lastBeforeChange)!;
    const removedUnseen = gateway.bv.records.filter((r) => !seen.includes(`bv:${r.id}`)).slice(0, 5);
    const added = generateBvOrganizations(30, 99).map((r) => ({ ...r, id: `new-${r.id}` }));
    const gone = new Set([removedSeen.id, ...removedUnseen.map((r) => r.id)]);
    gateway.bv.records = [...gateway.bv.records.filter((r) => !gone.has(r.id)), ...added];
    await new Promise((resolve) => setTimeout(resolve, 1100));
    gateway.bv.resetStats();

    // The last record seen from the old snapshot: where the walk switched to the refreshed one.
    let lastBeforeSwitch = seen[seen.length - 1];
    const seenAfterSwitch: string[] = [];
    let next: string | null = cursor;
    while (next !== null) {
      page = await get(`?pageSize=25&sort=name&cursor=${next}`);
      seen.push(...page.data.map((r) => r.id));
      if (bvFetchedAt(page) === before) lastBeforeSwitch = seen[seen.length - 1];
      else seenAfterSwitch.push(...page.data.map((r) => r.id));
      next = page.page.nextCursor;
      // Refreshes run in the background: give this one time to land before the walk's end.
      if (bvFetchedAt(page) === before) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(gateway.bv.stats.walks).toBe(1);
    expect(new Set(seen).size).toBe(seen.length);

    // Every record that existed throughout was seen; a new record was missed only if it sorts before the switch.
    const full: string[] = [];
    let all = await get('?pageSize=100&sort=name');
    full.push(...all.data.map((r) => r.id));
    while (all.page.nextCursor !== null) {
      all = await get(`?pageSize=100&sort=name&cursor=${all.page.nextCursor}`);
      full.push(...all.data.map((r) => r.id));
    }
    const seenSet = new Set(seen);
    const unseen = full.filter((id) => !seenSet.has(id));
    expect(unseen.filter((id) => !id.startsWith('bv:new-'))).toEqual([]);
    // The switch point may itself have been removed upstream: take the last record before it that still exists.
    const switchAt = seen.slice(0, seen.indexOf(lastBeforeSwitch) + 1).reverse().find((id) => full.includes(id))!;
    expect(unseen.every((id) => full.indexOf(id) < full.indexOf(switchAt))).toBe(true);
    expect(bvFetchedAt(all)).not.toBe(before);
    // Records removed upstream may still be served from the stale snapshot, never from the refreshed one.
    expect(seenAfterSwitch.filter((id) => id.startsWith('bv:') && gone.has(id.slice(3)))).toEqual([]);
    expect(seen.filter((id) => id.startsWith('bv:new-')).length).toBeGreaterThan(0);
  });
});

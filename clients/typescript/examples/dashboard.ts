/**
 * What a dashboard does with the client: filter, walk every page by cursor,
 * fetch one record, and read a typed problem document. Run by the gateway's
 * tests against a live gateway, and type-checked under `tsc --strict`.
 */
import { type FacetBucket, SUB_ORG_STATUSES, type Problem, type SubOrg, type SubOrgStatus, createSubOrgClient, isProblem, walkSubOrgs } from '../src/index.js';

export interface DashboardRun {
  /** totalItems of the filtered listing. */
  readonly activeOrPending: number;
  /** Its X-Total-Count header. */
  readonly totalCountHeader: string | null;
  /** The status chips' counts (ignoring the status filter itself). */
  readonly statusChips: readonly FacetBucket[];
  /** Names only, for a picker. */
  readonly names: readonly string[];
  /** Every id, in `-createdAt` order, through every page. */
  readonly walked: readonly string[];
  readonly pages: number;
  readonly record: SubOrg;
  readonly problem: Problem;
  /** The statuses a select box would offer. */
  readonly statusOptions: readonly SubOrgStatus[];
}

export async function runDashboard(baseUrl: string, apiKey: string): Promise<DashboardRun> {
  const client = createSubOrgClient({ baseUrl, apiKey });

  const filtered = await client.GET('/v1/sub-orgs', { params: { query: { status: ['active', 'pending'], sort: 'name', pageSize: 10, facets: ['status'] } } });
  if (filtered.data === undefined) throw new Error(`listing failed: ${JSON.stringify(filtered.error)}`);
  const activeOrPending = filtered.data.page.totalItems;
  const totalCountHeader = filtered.response.headers.get('x-total-count');
  const statusChips = filtered.data.facets?.status ?? [];

  const picker = await client.GET('/v1/sub-orgs', { params: { query: { fields: ['name'], pageSize: 5 } } });
  const names = (picker.data?.data ?? []).map((record) => record.name ?? '');

  const walked: string[] = [];
  let pages = 0;
  for await (const page of walkSubOrgs(client, { sort: '-createdAt', pageSize: 100 })) {
    pages++;
    walked.push(...page.data.map((record) => record.id));
  }

  const first = walked[0];
  if (first === undefined) throw new Error('the listing was empty');
  const one = await client.GET('/v1/sub-orgs/{id}', { params: { path: { id: first }, query: { includeRaw: true } } });
  if (one.data === undefined) throw new Error(`record ${first} failed`);
  // Typed: `type` may be null (Invent has none), `balance` and `contract` may be null.
  const record: SubOrg = one.data;
  const label: string = record.type === null ? 'untyped' : record.type;
  void label;

  const bad = await client.GET('/v1/sub-orgs', { params: { query: { pageSize: 1000 } } });
  if (!isProblem(bad.error)) throw new Error('expected a problem document');
  const problem: Problem = bad.error;

  return { activeOrPending, totalCountHeader, statusChips, names, walked, pages, record, problem, statusOptions: SUB_ORG_STATUSES };
}

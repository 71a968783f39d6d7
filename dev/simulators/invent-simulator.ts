import type { InventOrg } from '../../src/upstreams/invent/invent.types.js';
import { INVENT_RATE_LIMIT, SlidingLog, type SlidingLimit } from './rate-limits.js';
import { generateInventOrgs } from './seed-data.js';
import { type ListRequest, type SimulatorResponse, SimulatorServer } from './simulator-server.js';

export interface InventSimulatorOptions {
  readonly apiKey: string;
  /** The org the API key belongs to; `c` and this id both list its sub-orgs. */
  readonly orgId?: string;
  readonly records?: InventOrg[];
  readonly count?: number;
  /** Invent's per-IP limit; `false` turns it off (a test may, when it needs to). */
  readonly rateLimit?: SlidingLimit | false;
}

const PATH = /^\/orgs\/([^/]+)\/orgs$/;

/** What the injectBadRecords fault adds to every non-empty page: three unmappable records. */
export const INVENT_BAD_RECORDS: readonly unknown[] = [{ name: 'No id' }, { id: 'inv-bad-name', name: 42 }, 'not an object'];

/**
 * Invent's `GET /orgs/{org_id}/orgs` as documented: Bearer API key, `page`
 * (1-based, default 1) and `take` (default and max 100), a bare JSON array,
 * `pagination-*` headers, plain HTTP error codes.
 */
export class InventSimulator extends SimulatorServer {
  protected readonly name = 'invent';
  records: InventOrg[];
  readonly apiKey: string;
  readonly orgId: string;
  rateLimit: SlidingLimit | false;
  private readonly sent = new SlidingLog();

  constructor(options: InventSimulatorOptions) {
    super();
    this.apiKey = options.apiKey;
    this.orgId = options.orgId ?? 'org_parent_0001';
    this.records = options.records ?? generateInventOrgs(options.count ?? 250);
    this.rateLimit = options.rateLimit ?? INVENT_RATE_LIMIT;
  }

  /** 500 requests in any rolling 60 s per client address, then 429 with Retry-After until the oldest leaves the window. */
  protected enforceLimits(request: ListRequest): SimulatorResponse | undefined {
    if (this.rateLimit === false) return undefined;
    const { limit, windowMs } = this.rateLimit;
    if (this.sent.count(request.clientAddress, windowMs) < limit) {
      this.sent.hit(request.clientAddress, windowMs);
      return undefined;
    }
    const retryAfter = Math.max(1, Math.ceil(this.sent.untilFree(request.clientAddress, windowMs) / 1000));
    return { status: 429, body: this.errorBody(429, 'Too Many Requests'), headers: { 'retry-after': String(retryAfter) } };
  }

  protected resetLimits(): void {
    this.sent.clear();
  }

  protected get dataSet(): object {
    return this.records;
  }

  protected isListPath(pathname: string): boolean {
    return PATH.test(pathname);
  }

  protected pageOf(url: URL): number {
    return Number(url.searchParams.get('page') ?? '1');
  }

  protected errorBody(status: number, message: string): unknown {
    return { statusCode: status, message };
  }

  protected endlessPage(url: URL): SimulatorResponse {
    const page = this.pageOf(url);
    const records = Array.from({ length: 100 }, (_, i) => ({ id: `endless_${page}_${i}`, name: `Endless ${page}.${i}` }));
    return { status: 200, body: records };
  }

  protected handleList(request: ListRequest): SimulatorResponse {
    if (request.authorization !== `Bearer ${this.apiKey}`) return { status: 401, body: this.errorBody(401, 'Unauthorized') };
    const orgId = decodeURIComponent(PATH.exec(request.url.pathname)![1]);
    if (orgId !== 'c' && orgId !== this.orgId) return { status: 404, body: this.errorBody(404, 'Org not found') };
    const page = parsePositiveInt(request.url.searchParams.get('page'), 1);
    const take = parsePositiveInt(request.url.searchParams.get('take'), 100);
    if (page === undefined || take === undefined || take > 100) {
      return { status: 400, body: this.errorBody(400, 'Invalid pagination parameters') };
    }
    const slice: unknown[] = this.records.slice((page - 1) * take, page * take);
    if (this.faults.duplicateAcrossPages && page > 1 && slice.length > 0) slice.unshift(this.records[(page - 1) * take - 1]);
    if (this.faults.injectBadRecords && slice.length > 0) slice.push(...INVENT_BAD_RECORDS);
    return {
      status: 200,
      body: slice,
      headers: { 'pagination-count': String(this.records.length), 'pagination-page': String(page), 'pagination-take': String(take) },
    };
  }
}

function parsePositiveInt(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  if (!/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return number >= 1 ? number : undefined;
}

import type { BvOrganization } from '../../src/upstreams/bv/bv.types.js';
import { BV_ORGANIZATION_STATUSES, BV_ORGANIZATION_TYPES } from '../../src/upstreams/bv/bv.types.js';
import { BV_PEAK_RULE, type PeakRule, SlidingLog } from './rate-limits.js';
import { generateBvOrganizations } from './seed-data.js';
import { type ListRequest, type SimulatorResponse, SimulatorServer } from './simulator-server.js';

export interface BvSimulatorOptions {
  readonly accessToken: string;
  readonly records?: BvOrganization[];
  readonly count?: number;
  /** bv's abnormal-peak rule; `false` turns it off (a test may, when it needs to). */
  readonly peakRule?: PeakRule | false;
}

const PATH = '/bv/org/v1/sub-orgs';

/** What the injectBadRecords fault adds to every non-empty page: two unmappable records and one with an unknown status. */
export const BV_BAD_RECORDS: readonly unknown[] = [
  { id: '', name: 'Empty id' },
  { id: 'bv-bad-name' },
];
export const bvUnknownStatusRecord = (page: number): BvOrganization =>
  ({ id: `bv-unknown-status-${page}`, name: `Future Status ${page}`, status: 'ORGANIZATION_STATUS_SUSPENDED' }) as unknown as BvOrganization;

/** google.rpc.Code for each HTTP status the API documents. */
const GRPC_CODES: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 429: 8, 500: 13, 502: 14, 503: 14, 504: 4 };

/**
 * BlendVision One's `GET /bv/org/v1/sub-orgs` as documented: Bearer token,
 * `current_page` (default 1), `items_per_page` (DEFAULT 1, max 100),
 * server-side `name`/`types`/`statuses` filters with repeated keys,
 * `{ organizations, pagination }` bodies, google.rpc.Status errors.
 */
export class BvSimulator extends SimulatorServer {
  protected readonly name = 'bv';
  records: BvOrganization[];
  readonly accessToken: string;
  peakRule: PeakRule | false;
  private readonly sent = new SlidingLog();
  private readonly suspendedUntil = new Map<string, number>();

  constructor(options: BvSimulatorOptions) {
    super();
    this.accessToken = options.accessToken;
    this.records = options.records ?? generateBvOrganizations(options.count ?? 230);
    this.peakRule = options.peakRule ?? BV_PEAK_RULE;
  }

  /** Whether a credential is suspended right now, after an abnormal request peak. */
  isSuspended(authorization = `Bearer ${this.accessToken}`): boolean {
    return (this.suspendedUntil.get(authorization) ?? 0) > Date.now();
  }

  /** A credential sending more than `maxRequests` within `windowMs` is suspended: 403 on every request for `suspendMs`. */
  protected enforceLimits(request: ListRequest): SimulatorResponse | undefined {
    if (this.peakRule === false) return undefined;
    const credential = request.authorization ?? '';
    const suspended = { status: 403, body: { code: 7, message: 'account suspended after abnormal request peaks', details: [] } };
    if ((this.suspendedUntil.get(credential) ?? 0) > Date.now()) return suspended;
    const { maxRequests, windowMs, suspendMs } = this.peakRule;
    if (this.sent.hit(credential, windowMs) <= maxRequests) return undefined;
    this.suspendedUntil.set(credential, Date.now() + suspendMs);
    return suspended;
  }

  protected resetLimits(): void {
    this.sent.clear();
    this.suspendedUntil.clear();
  }

  protected get dataSet(): object {
    return this.records;
  }

  protected isListPath(pathname: string): boolean {
    return pathname === PATH;
  }

  protected pageOf(url: URL): number {
    return Number(url.searchParams.get('current_page') ?? '1');
  }

  protected errorBody(status: number, message: string): unknown {
    return { code: GRPC_CODES[status] ?? 2, message, details: [] };
  }

  protected endlessPage(url: URL): SimulatorResponse {
    const page = this.pageOf(url);
    const organizations = Array.from({ length: 100 }, (_, i) => ({ id: `endless-${page}-${i}`, name: `Endless ${page}.${i}` }));
    return { status: 200, body: { organizations, pagination: { total_items: 1_000_000_000, items_per_page: 100, current_page: page } } };
  }

  protected handleList(request: ListRequest): SimulatorResponse {
    if (request.authorization !== `Bearer ${this.accessToken}`) return { status: 401, body: this.errorBody(401, 'invalid access token') };
    const params = request.url.searchParams;
    const page = parseInt32(params.get('current_page'), 1);
    const perPage = parseInt32(params.get('items_per_page'), 1);
    if (page === undefined || perPage === undefined || page < 1 || perPage < 1 || perPage > 100) {
      return { status: 400, body: this.errorBody(400, 'invalid pagination') };
    }
    const types = params.getAll('types');
    const statuses = params.getAll('statuses');
    const badEnum = types.find((t) => !(BV_ORGANIZATION_TYPES as readonly string[]).includes(t)) ?? statuses.find((s) => !(BV_ORGANIZATION_STATUSES as readonly string[]).includes(s));
    if (badEnum !== undefined) return { status: 400, body: this.errorBody(400, `invalid enum value ${badEnum}`) };
    const name = params.get('name')?.toLowerCase();
    const matching = this.records.filter(
      (org) =>
        (name === undefined || (org.name ?? '').toLowerCase().includes(name)) &&
        (types.length === 0 || (org.type !== undefined && types.includes(org.type))) &&
        (statuses.length === 0 || (org.status !== undefined && statuses.includes(org.status))),
    );
    const organizations: unknown[] = matching.slice((page - 1) * perPage, page * perPage);
    const faults = this.faults;
    if (faults.shortPages && organizations.length > 0) organizations.pop();
    if (faults.duplicateAcrossPages && page > 1 && organizations.length > 0) organizations.unshift(matching[(page - 1) * perPage - 1]);
    if (faults.injectBadRecords && organizations.length > 0) organizations.push(...BV_BAD_RECORDS, bvUnknownStatusRecord(page));
    const totalItems = matching.length + (page - 1) * (faults.driftTotal ?? 0);
    return { status: 200, body: { organizations, pagination: { total_items: totalItems, items_per_page: perPage, current_page: page } } };
  }
}

function parseInt32(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  if (!/^-?\d{1,10}$/.test(value)) return undefined;
  return Number(value);
}

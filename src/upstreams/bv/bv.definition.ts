import { ConfigError } from '../../config/config-error.js';
import { isRecord } from '../mapping.js';
import { defineUpstream } from '../upstream-definition.js';
import { mapBvOrganization } from './bv.mapper.js';
import { BV_MAX_ITEMS_PER_PAGE } from './bv.types.js';

interface BvSettings {
  readonly accessToken: string;
  readonly baseUrl: string;
  /** Sent as `x-bv-org-id` when set. */
  readonly orgId: string | undefined;
  readonly requestsPerMinute: number;
}

/**
 * BlendVision One's `GET /bv/org/v1/sub-orgs`: `{ organizations, pagination }`;
 * page 1's `pagination.total_items` says how many pages the walk has.
 * `items_per_page` defaults to 1 upstream, so it is always sent.
 */
export const bvUpstream = defineUpstream<BvSettings>({
  key: 'bv',
  label: 'BlendVision One',
  credentialVariable: 'BV_ACCESS_TOKEN',
  readSettings(env) {
    const accessToken = env.optionalString('BV_ACCESS_TOKEN');
    if (accessToken === undefined) return undefined;
    if (!/^[\x21-\x7e]+$/.test(accessToken)) throw new ConfigError('BV_ACCESS_TOKEN', 'must be visible ASCII without spaces');
    const orgId = env.optionalString('BV_ORG_ID');
    if (orgId !== undefined && !/^[A-Za-z0-9_-]{1,128}$/.test(orgId)) throw new ConfigError('BV_ORG_ID', 'must be 1 to 128 letters, digits, "-" or "_"');
    return {
      accessToken,
      baseUrl: env.upstreamUrl('BV_BASE_URL', 'https://api.one.blendvision.com'),
      orgId,
      // bv suspends an account on abnormal request peaks; see README "Upstream assumptions" for why 240.
      requestsPerMinute: env.int('BV_REQUESTS_PER_MINUTE', { default: 240, min: 1, max: 100_000 }),
    };
  },
  connection: (settings) => ({ baseUrl: settings.baseUrl, secrets: [settings.accessToken], requestsPerMinute: settings.requestsPerMinute }),
  pageSize: BV_MAX_ITEMS_PER_PAGE,
  paging: 'total-items',
  pageRequest: (settings, page) => ({
    path: '/bv/org/v1/sub-orgs',
    query: { current_page: page, items_per_page: BV_MAX_ITEMS_PER_PAGE },
    headers: { authorization: `Bearer ${settings.accessToken}`, ...(settings.orgId === undefined ? {} : { 'x-bv-org-id': settings.orgId }) },
  }),
  readPage(body) {
    if (!isRecord(body) || !Array.isArray(body.organizations)) return { problem: 'has no organizations array' };
    const pagination = isRecord(body.pagination) ? body.pagination : {};
    const total = pagination.total_items;
    const records = body.organizations as readonly unknown[];
    return typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 ? { records, totalItems: total } : { records };
  },
  mapRecord: (record, _settings, provider) => mapBvOrganization(record, { provider }),
});

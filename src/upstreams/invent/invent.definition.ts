import { ConfigError } from '../../config/config-error.js';
import { defineUpstream } from '../upstream-definition.js';
import { mapInventOrg } from './invent.mapper.js';
import { INVENT_MAX_TAKE } from './invent.types.js';

interface InventSettings {
  readonly apiKey: string;
  readonly baseUrl: string;
  /** Parent org whose sub-orgs are listed; `c` is the API key's own org. */
  readonly orgId: string;
  readonly requestsPerMinute: number;
}

/** `pagination-count` is undocumented: a hint for progress reports, never what ends a walk. */
function countHint(header: string | undefined): number | undefined {
  return header !== undefined && /^\d{1,9}$/.test(header) ? Number(header) : undefined;
}

/**
 * Invent's `GET /orgs/{org_id}/orgs`: a bare JSON array per page, no total,
 * so the first page shorter than `take` is the last.
 */
export const inventUpstream = defineUpstream<InventSettings>({
  key: 'invent',
  label: 'Invent',
  credentialVariable: 'INVENT_API_KEY',
  readSettings(env) {
    const apiKey = env.optionalString('INVENT_API_KEY');
    if (apiKey === undefined) return undefined;
    if (!/^[\x21-\x7e]+$/.test(apiKey)) throw new ConfigError('INVENT_API_KEY', 'must be visible ASCII without spaces');
    return {
      apiKey,
      baseUrl: env.upstreamUrl('INVENT_BASE_URL', 'https://api.useinvent.com'),
      orgId: env.string('INVENT_ORG_ID', 'c', /^[A-Za-z0-9_-]{1,128}$/),
      // Invent allows 500 requests per minute per IP; the default keeps 10 % headroom.
      requestsPerMinute: env.int('INVENT_REQUESTS_PER_MINUTE', { default: 450, min: 1, max: 100_000 }),
    };
  },
  connection: (settings) => ({ baseUrl: settings.baseUrl, secrets: [settings.apiKey], requestsPerMinute: settings.requestsPerMinute }),
  pageSize: INVENT_MAX_TAKE,
  paging: 'short-page-ends',
  pageRequest: (settings, page) => ({
    path: `/orgs/${encodeURIComponent(settings.orgId)}/orgs`,
    query: { page, take: INVENT_MAX_TAKE },
    headers: { authorization: `Bearer ${settings.apiKey}` },
  }),
  readPage(body, headers) {
    if (!Array.isArray(body)) return { problem: 'is not a JSON array' };
    const hint = countHint(headers['pagination-count']);
    return hint === undefined ? { records: body } : { records: body, totalItems: hint };
  },
  mapRecord: (record, settings, provider) => mapInventOrg(record, { provider, parentOrgId: settings.orgId }),
});

import { parseJsonBytes } from '../../http/json-bytes.js';
import { isRecord } from '../mapping.js';
import { type PageReadOutcome, upstreamIds } from '../page-reading.js';
import { mapBvOrganization } from './bv.mapper.js';
import { BV_SECRET_FIELDS } from './bv.types.js';

/**
 * The originals worth keeping: the page's records, never their credentials
 * (not in memory, not in Redis). Clearing the fields in place, rather than
 * copying each record without them, costs no allocation; JSON leaves
 * undefined fields out, and the mapper never reads them.
 */
function originalsOf(body: unknown): unknown {
  if (!isRecord(body) || !Array.isArray(body.organizations)) return [];
  for (const record of body.organizations as unknown[]) {
    if (!isRecord(record)) continue;
    for (const field of BV_SECRET_FIELDS) if (field in record) record[field] = undefined;
  }
  return body.organizations;
}

/** A page of `GET /bv/org/v1/sub-orgs`: `organizations` plus `pagination.total_items`. */
export function readBvPage(body: Buffer): PageReadOutcome {
  const { value, selected } = parseJsonBytes(body, originalsOf);
  if (!isRecord(value) || !Array.isArray(value.organizations)) return { problem: 'has no organizations array' };
  const pagination = isRecord(value.pagination) ? value.pagination : {};
  const total = pagination.total_items;
  const totalItems = typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 ? total : undefined;
  const records = value.organizations as readonly unknown[];
  return { mapped: records.map(mapBvOrganization), ids: upstreamIds(records), original: selected!, ...(totalItems === undefined ? {} : { totalItems }) };
}

import { parseJsonBytes } from '../../http/json-bytes.js';
import { type PageReadOutcome, upstreamIds } from '../page-reading.js';
import { mapInventOrg } from './invent.mapper.js';

/** A page of `GET /orgs/{org_id}/orgs`: the body is the records array itself, so its bytes are the originals. */
export function readInventPage(body: Buffer, options: Readonly<Record<string, string>>): PageReadOutcome {
  const { value } = parseJsonBytes(body);
  if (!Array.isArray(value)) return { problem: 'is not a JSON array' };
  const records = value as readonly unknown[];
  const context = { parentOrgId: options.parentOrgId ?? 'c' };
  return { mapped: records.map((record) => mapInventOrg(record, context)), ids: upstreamIds(records), original: body };
}

import type { Snapshot } from '../../src/domain/snapshot.js';
import type { SubOrg } from '../../src/domain/sub-org.js';
import { originalsOf } from '../../src/upstreams/originals.js';

/** A canonical record with every field present, for listing tests; override what the test is about. */
export function subOrg(provider: string, sourceId: string, fields: Partial<SubOrg> = {}): SubOrg {
  return {
    id: `${provider}:${sourceId}`,
    provider,
    sourceId,
    name: sourceId,
    parentId: null,
    parentName: null,
    type: null,
    status: 'active',
    plan: null,
    description: null,
    logoUrl: null,
    ownerEmail: null,
    memberCount: null,
    balance: null,
    contract: null,
    timeZone: null,
    hasSubOrgs: null,
    createdAt: null,
    updatedAt: null,
    ...fields,
  };
}

export function snapshotOf(provider: string, records: readonly SubOrg[], fetchedAt = Date.now()): Snapshot {
  return { provider, records, originals: originalsOf(records.map((record) => ({ id: record.sourceId }))), skipped: 0, pages: 1, fetchedAt, walkMs: 1 };
}

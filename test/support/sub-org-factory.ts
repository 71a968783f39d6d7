import type { ProviderSnapshot } from '../../src/cache/provider-snapshot.js';
import { encodeRawRecords } from '../../src/cache/raw-records.js';
import type { SubOrg } from '../../src/sub-orgs/sub-org.model.js';

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

export function snapshotOf(provider: string, items: readonly SubOrg[], fetchedAt = Date.now()): ProviderSnapshot {
  return { provider, items, raw: encodeRawRecords(items.map((item) => ({ id: item.sourceId }))), skipped: 0, pages: 1, fetchedAt, latencyMs: 1 };
}

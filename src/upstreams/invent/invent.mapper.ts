import type { SubOrg, SubOrgBalance } from '../../domain/sub-org.js';
import {
  type MappingContext,
  type MappingResult,
  isRecord,
  optionalNumber,
  optionalSharedString,
  optionalString,
  optionalTimestamp,
  identify,
  skip,
} from '../mapping.js';

export interface InventMappingContext extends MappingContext {
  /** The configured parent org id; `c` means "the key's own org", which Invent does not name. */
  readonly parentOrgId: string;
}

function firstAdminEmail(members: unknown): string | null {
  if (!Array.isArray(members)) return null;
  for (const member of members) {
    if (isRecord(member) && member.role === 'ADMIN') {
      const email = optionalString(member.email);
      if (email) return email;
    }
  }
  return null;
}

function balanceOf(record: Record<string, unknown>): SubOrgBalance | null {
  const balance: SubOrgBalance = {
    credit: optionalNumber(record.balance),
    promoCredit: optionalNumber(record.promo_balance),
    spentThisMonth: optionalNumber(record.spending_cap_used),
  };
  return balance.credit === null && balance.promoCredit === null && balance.spentThisMonth === null ? null : balance;
}

/** Maps one Invent org to the canonical record. Pure; never throws on bad data. */
export function mapInventOrg(input: unknown, context: InventMappingContext): MappingResult {
  const identified = identify(input);
  if (!identified.ok) return skip(identified.reason);
  const { record, sourceId, name } = identified;

  const subOrg: SubOrg = {
    id: `${context.provider}:${sourceId}`,
    provider: context.provider,
    sourceId,
    name,
    parentId: context.parentOrgId === 'c' ? null : context.parentOrgId,
    parentName: null,
    type: null,
    // Invent lists live orgs only.
    status: 'active',
    plan: optionalSharedString(record.plan),
    description: null,
    logoUrl: optionalString(record.logo_url),
    ownerEmail: firstAdminEmail(record.members),
    memberCount: Array.isArray(record.members) ? record.members.length : null,
    balance: balanceOf(record),
    contract: null,
    timeZone: null,
    hasSubOrgs: null,
    createdAt: optionalTimestamp(record.created_at),
    updatedAt: null,
  };
  return { ok: true, record: subOrg };
}

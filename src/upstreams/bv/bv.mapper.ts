import type { SubOrg, SubOrgContract, SubOrgStatus, SubOrgType } from '../../domain/sub-org.js';
import {
  type MappingContext,
  type MappingResult,
  isRecord,
  optionalBoolean,
  optionalInteger,
  optionalSharedString,
  optionalString,
  optionalTimestamp,
  identify,
  skip,
} from '../mapping.js';
import type { BvOrganizationStatus, BvOrganizationType } from './bv.types.js';

export const BV_TYPE_MAP = {
  ORGANIZATION_TYPE_ROOT: 'root',
  ORGANIZATION_TYPE_GENERAL_DISTRIBUTOR: 'distributor',
  ORGANIZATION_TYPE_RESELLER: 'reseller',
  ORGANIZATION_TYPE_BUSINESS: 'business',
} as const satisfies Record<BvOrganizationType, SubOrgType>;

export const BV_STATUS_MAP = {
  ORGANIZATION_STATUS_ACTIVATED: 'active',
  ORGANIZATION_STATUS_VERIFYING: 'pending',
  ORGANIZATION_STATUS_FAIL_TO_VERIFY: 'verification_failed',
  ORGANIZATION_STATUS_DEACTIVATED: 'inactive',
  ORGANIZATION_STATUS_DELETING: 'deleting',
  ORGANIZATION_STATUS_DELETED: 'deleted',
  ORGANIZATION_STATUS_ACTIVATION_SCHEDULED: 'scheduled',
} as const satisfies Record<BvOrganizationStatus, SubOrgStatus>;

function lookup<T>(map: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : undefined;
}

function contractOf(record: Record<string, unknown>): SubOrgContract | null {
  const contract: SubOrgContract = {
    startsAt: optionalTimestamp(record.contract_valid_start_time),
    endsAt: optionalTimestamp(record.contract_valid_end_time),
    months: optionalInteger(record.contract_months),
    days: optionalInteger(record.contract_days),
  };
  const empty = contract.startsAt === null && contract.endsAt === null && contract.months === null && contract.days === null;
  return empty ? null : contract;
}

function ownerEmailOf(record: Record<string, unknown>): string | null {
  const owner = isRecord(record.owner) ? optionalString(record.owner.email) : null;
  return owner ?? optionalString(record.owner_email);
}

/** Maps one BlendVision One organization to the canonical record. Pure; never throws on bad data. */
export function mapBvOrganization(input: unknown, context: MappingContext): MappingResult {
  const identified = identify(input);
  if (!identified.ok) return skip(identified.reason);
  const { record, sourceId, name } = identified;

  const subOrg: SubOrg = {
    id: `${context.provider}:${sourceId}`,
    provider: context.provider,
    sourceId,
    name,
    parentId: optionalSharedString(record.parent_id),
    parentName: optionalSharedString(record.parent_name),
    type: lookup(BV_TYPE_MAP, record.type) ?? null,
    status: lookup(BV_STATUS_MAP, record.status) ?? 'unknown',
    plan: optionalSharedString(record.plan_id) ?? optionalSharedString(record.business_plan_type),
    description: optionalString(record.description),
    logoUrl: null,
    ownerEmail: ownerEmailOf(record),
    memberCount: null,
    balance: null,
    contract: contractOf(record),
    timeZone: optionalSharedString(record.time_zone),
    hasSubOrgs: optionalBoolean(record.has_sub_orgs),
    createdAt: optionalTimestamp(record.created_at),
    updatedAt: optionalTimestamp(record.updated_at),
  };
  return { ok: true, record: subOrg };
}

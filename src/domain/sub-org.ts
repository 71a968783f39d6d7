/**
 * The canonical sub-organization: one shape for every upstream.
 * `unknown` is the documented fallback for an upstream status this gateway
 * does not know yet: the record stays visible instead of being dropped.
 */
export const SUB_ORG_STATUSES = ['active', 'pending', 'verification_failed', 'inactive', 'deleting', 'deleted', 'scheduled', 'unknown'] as const;
export type SubOrgStatus = (typeof SUB_ORG_STATUSES)[number];

export const SUB_ORG_TYPES = ['root', 'distributor', 'reseller', 'business'] as const;
export type SubOrgType = (typeof SUB_ORG_TYPES)[number];

export interface SubOrgBalance {
  readonly credit: number | null;
  readonly promoCredit: number | null;
  readonly spentThisMonth: number | null;
}

export interface SubOrgContract {
  readonly startsAt: string | null;
  readonly endsAt: string | null;
  readonly months: number | null;
  readonly days: number | null;
}

export interface SubOrg {
  readonly id: string;
  readonly provider: string;
  readonly sourceId: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly parentName: string | null;
  readonly type: SubOrgType | null;
  readonly status: SubOrgStatus;
  readonly plan: string | null;
  readonly description: string | null;
  readonly logoUrl: string | null;
  readonly ownerEmail: string | null;
  readonly memberCount: number | null;
  readonly balance: SubOrgBalance | null;
  readonly contract: SubOrgContract | null;
  readonly timeZone: string | null;
  readonly hasSubOrgs: boolean | null;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
}

/** The canonical fields in the order records are written. */
export const SUB_ORG_FIELDS = [
  'id',
  'provider',
  'sourceId',
  'name',
  'parentId',
  'parentName',
  'type',
  'status',
  'plan',
  'description',
  'logoUrl',
  'ownerEmail',
  'memberCount',
  'balance',
  'contract',
  'timeZone',
  'hasSubOrgs',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof SubOrg)[];
export type SubOrgField = (typeof SUB_ORG_FIELDS)[number];

// Fails to compile when a field is added to SubOrg but not to SUB_ORG_FIELDS.
const everyFieldListed: Record<Exclude<keyof SubOrg, SubOrgField>, never> = {};
void everyFieldListed;

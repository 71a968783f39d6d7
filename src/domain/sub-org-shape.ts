import { SUB_ORG_STATUSES, SUB_ORG_TYPES, type SubOrg } from './sub-org.js';

const STATUSES: ReadonlySet<string> = new Set(SUB_ORG_STATUSES);
const TYPES: ReadonlySet<string> = new Set(SUB_ORG_TYPES);
// The mappers' own bounds: ids up to 256 characters, names up to 1024; other text as long as one upstream page allows.
const MAX_ID = 256;
const MAX_NAME = 1024;
const MAX_TEXT = 16 * 1024 * 1024;

const isText = (value: unknown, max = MAX_TEXT): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;
const isTextOrNull = (value: unknown): boolean => value === null || isText(value);
const isNumberOrNull = (value: unknown): boolean => value === null || (typeof value === 'number' && Number.isFinite(value));
const isIntegerOrNull = (value: unknown): boolean => value === null || (typeof value === 'number' && Number.isSafeInteger(value));
const isTimestampOrNull = (value: unknown): boolean => value === null || (typeof value === 'string' && value.length <= 64 && !Number.isNaN(Date.parse(value)));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBalanceOrNull(value: unknown): boolean {
  return value === null || (isObject(value) && isNumberOrNull(value.credit) && isNumberOrNull(value.promoCredit) && isNumberOrNull(value.spentThisMonth));
}

function isContractOrNull(value: unknown): boolean {
  return (
    value === null ||
    (isObject(value) && isTimestampOrNull(value.startsAt) && isTimestampOrNull(value.endsAt) && isIntegerOrNull(value.months) && isIntegerOrNull(value.days))
  );
}

/**
 * Whether a value read back from outside the process (the shared cache) is a
 * canonical record of `provider`, field by field. Anything else must never
 * reach the listing.
 */
export function isSubOrgOf(provider: string, value: unknown): value is SubOrg {
  if (!isObject(value)) return false;
  return (
    value.provider === provider &&
    isText(value.sourceId, MAX_ID) &&
    value.id === `${provider}:${value.sourceId}` &&
    isText(value.name, MAX_NAME) &&
    isTextOrNull(value.parentId) &&
    isTextOrNull(value.parentName) &&
    (value.type === null || (typeof value.type === 'string' && TYPES.has(value.type))) &&
    typeof value.status === 'string' &&
    STATUSES.has(value.status) &&
    isTextOrNull(value.plan) &&
    isTextOrNull(value.description) &&
    isTextOrNull(value.logoUrl) &&
    isTextOrNull(value.ownerEmail) &&
    isIntegerOrNull(value.memberCount) &&
    isBalanceOrNull(value.balance) &&
    isContractOrNull(value.contract) &&
    isTextOrNull(value.timeZone) &&
    (value.hasSubOrgs === null || typeof value.hasSubOrgs === 'boolean') &&
    isTimestampOrNull(value.createdAt) &&
    isTimestampOrNull(value.updatedAt)
  );
}

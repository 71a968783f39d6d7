import type { SubOrg } from '../domain/sub-org.js';

/** The export's columns: the canonical fields, nested ones flattened, in the canonical order. */
export const EXPORT_COLUMNS = [
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
  'balance.credit',
  'balance.promoCredit',
  'balance.spentThisMonth',
  'contract.startsAt',
  'contract.endsAt',
  'contract.months',
  'contract.days',
  'timeZone',
  'hasSubOrgs',
  'createdAt',
  'updatedAt',
] as const;

export type ExportCell = string | number;

/**
 * A text cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab,
 * carriage return first) gets a leading `'`, the OWASP-recommended guard:
 * "=HYPERLINK(…)" in an org name must not run when an account manager opens
 * the export.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const cell = (value: string | number | boolean | null): ExportCell => (value === null ? '' : typeof value === 'string' ? neutraliseFormula(value) : typeof value === 'boolean' ? String(value) : value);

/** One record as export cells, in EXPORT_COLUMNS order; null is an empty cell. */
export function exportRow(record: SubOrg): ExportCell[] {
  const { balance, contract } = record;
  return [
    cell(record.id),
    cell(record.provider),
    cell(record.sourceId),
    cell(record.name),
    cell(record.parentId),
    cell(record.parentName),
    cell(record.type),
    cell(record.status),
    cell(record.plan),
    cell(record.description),
    cell(record.logoUrl),
    cell(record.ownerEmail),
    cell(record.memberCount),
    cell(balance?.credit ?? null),
    cell(balance?.promoCredit ?? null),
    cell(balance?.spentThisMonth ?? null),
    cell(contract?.startsAt ?? null),
    cell(contract?.endsAt ?? null),
    cell(contract?.months ?? null),
    cell(contract?.days ?? null),
    cell(record.timeZone),
    cell(record.hasSubOrgs),
    cell(record.createdAt),
    cell(record.updatedAt),
  ];
}

import { SUB_ORG_FIELDS, type SubOrg, type SubOrgBalance, type SubOrgContract } from '../domain/sub-org.js';

const BALANCE_FIELDS = ['credit', 'promoCredit', 'spentThisMonth'] as const satisfies readonly (keyof SubOrgBalance)[];
const CONTRACT_FIELDS = ['startsAt', 'endsAt', 'months', 'days'] as const satisfies readonly (keyof SubOrgContract)[];
// Fail to compile when a field is added to SubOrgBalance or SubOrgContract but not listed here.
const everyBalanceField: Record<Exclude<keyof SubOrgBalance, (typeof BALANCE_FIELDS)[number]>, never> = {};
const everyContractField: Record<Exclude<keyof SubOrgContract, (typeof CONTRACT_FIELDS)[number]>, never> = {};
void everyBalanceField;
void everyContractField;

type CellValue = string | number | boolean | null;

/** A column: its header, and the record's value in it. */
type Column = readonly [name: string, valueOf: (record: SubOrg) => CellValue];

/** The canonical fields in their order, nested ones flattened (`balance.credit`, …). */
const COLUMNS: readonly Column[] = SUB_ORG_FIELDS.flatMap((field): Column[] => {
  if (field === 'balance') return BALANCE_FIELDS.map((key): Column => [`balance.${key}`, (record) => record.balance?.[key] ?? null]);
  if (field === 'contract') return CONTRACT_FIELDS.map((key): Column => [`contract.${key}`, (record) => record.contract?.[key] ?? null]);
  return [[field, (record) => record[field]]];
});

/** The export's header row. */
export const EXPORT_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

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

const cell = (value: CellValue): ExportCell => (value === null ? '' : typeof value === 'string' ? neutraliseFormula(value) : typeof value === 'boolean' ? String(value) : value);

/** One record as export cells, in EXPORT_COLUMNS order; null is an empty cell. */
export function exportRow(record: SubOrg): ExportCell[] {
  return COLUMNS.map(([, valueOf]) => cell(valueOf(record)));
}

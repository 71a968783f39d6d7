import { describe, expect, it } from '@jest/globals';
import { subOrg } from '../../test/support/sub-org-factory.js';
import { EXPORT_COLUMNS, exportRow, neutraliseFormula } from './export-rows.js';

describe('export rows', () => {
  it('prefix a text cell a spreadsheet would read as a formula with a quote', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(text)).toBe(`'${text}`);
    for (const text of ['Acme', '1-2', 'a=b', ' =x', "'quoted"]) expect(neutraliseFormula(text)).toBe(text);
  });

  it('flatten a record in column order: nested fields, empty cells for null, numbers and booleans as themselves', () => {
    const record = subOrg('bv', 'x1', {
      name: '=evil()',
      balance: { credit: -12.5, promoCredit: null, spentThisMonth: 3 },
      contract: { startsAt: '2024-01-01T00:00:00.000Z', endsAt: null, months: 12, days: 0 },
      hasSubOrgs: false,
      memberCount: 4,
    });
    const row = Object.fromEntries(EXPORT_COLUMNS.map((column, i) => [column, exportRow(record)[i]]));
    expect(row).toMatchObject({ id: 'bv:x1', name: "'=evil()", 'balance.credit': -12.5, 'balance.promoCredit': '', 'balance.spentThisMonth': 3, 'contract.startsAt': '2024-01-01T00:00:00.000Z', 'contract.endsAt': '', 'contract.months': 12, hasSubOrgs: 'false', memberCount: 4, type: '' });
    expect(exportRow(record)).toHaveLength(EXPORT_COLUMNS.length);
  });
});

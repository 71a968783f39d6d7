import { readFileSync } from 'node:fs';
import { mapInventOrg } from './invent.mapper.js';

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/invent-org.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const context = { provider: 'invent', parentOrgId: 'c' };

function mapped(record: unknown, parentOrgId = 'c') {
  const result = mapInventOrg(record, { provider: 'invent', parentOrgId });
  if (!result.ok) throw new Error(`expected a record, got skip: ${result.reason}`);
  return result.record;
}

describe('mapInventOrg', () => {
  it('maps a documented record field by field', () => {
    expect(mapped(fixture)).toEqual({
      id: 'invent:org_7f3a',
      provider: 'invent',
      sourceId: 'org_7f3a',
      name: 'Zürich Ärzte',
      parentId: null,
      parentName: null,
      type: null,
      status: 'active',
      plan: 'business',
      description: null,
      logoUrl: 'https://cdn.example/logo.png',
      ownerEmail: 'admin@zuerich.example',
      memberCount: 3,
      balance: { credit: 123.5, promoCredit: 10, spentThisMonth: 42.25 },
      contract: null,
      timeZone: null,
      hasSubOrgs: null,
      createdAt: '2023-11-07T05:31:56.000Z',
      updatedAt: null,
    });
  });

  it('uses the configured parent org id unless it is "c"', () => {
    expect(mapped(fixture, 'org_parent').parentId).toBe('org_parent');
    expect(mapped(fixture, 'c').parentId).toBeNull();
  });

  it('turns missing optional fields into null', () => {
    const subOrg = mapped({ id: 'o1', name: 'Bare' });
    expect(subOrg).toMatchObject({ plan: null, logoUrl: null, ownerEmail: null, memberCount: null, balance: null, createdAt: null });
  });

  it('turns optional fields of the wrong type into null instead of failing', () => {
    const subOrg = mapped({ ...fixture, plan: 7, logo_url: false, balance: 'lots', promo_balance: null, spending_cap_used: Number.NaN, members: 'x', created_at: 'not a date' });
    expect(subOrg).toMatchObject({ plan: null, logoUrl: null, balance: null, memberCount: null, ownerEmail: null, createdAt: null });
  });

  it('keeps a partial balance and leaves missing parts null', () => {
    expect(mapped({ id: 'o1', name: 'x', balance: 5 }).balance).toEqual({ credit: 5, promoCredit: null, spentThisMonth: null });
  });

  it('has no owner email when no member is an ADMIN with an email', () => {
    const members = [{ role: 'MEMBER', email: 'a@x.example' }, { role: 'ADMIN' }, null];
    expect(mapped({ id: 'o1', name: 'x', members }).ownerEmail).toBeNull();
    expect(mapped({ id: 'o1', name: 'x', members }).memberCount).toBe(3);
  });

  it('accepts a numeric id as a string', () => {
    expect(mapped({ id: 42, name: 'Numbered' }).id).toBe('invent:42');
  });

  it.each([
    ['not an object', 'text', 'record is not an object'],
    ['an array', [fixture], 'record is not an object'],
    ['null', null, 'record is not an object'],
    ['no id', { name: 'x' }, 'missing or invalid id'],
    ['an empty id', { id: '  ', name: 'x' }, 'missing or invalid id'],
    ['an object id', { id: { value: 1 }, name: 'x' }, 'missing or invalid id'],
    ['no name', { id: 'o1' }, 'record o1: missing or invalid name'],
    ['a blank name', { id: 'o1', name: '   ' }, 'record o1: missing or invalid name'],
    ['a numeric name', { id: 'o1', name: 12 }, 'record o1: missing or invalid name'],
  ])('skips a record with %s', (_label, record, reason) => {
    expect(mapInventOrg(record, context)).toEqual({ ok: false, reason });
  });
});

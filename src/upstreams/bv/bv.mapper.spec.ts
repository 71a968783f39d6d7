import { readFileSync } from 'node:fs';
import { mapBvOrganization } from './bv.mapper.js';

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/bv-organization.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function mapped(record: unknown) {
  const result = mapBvOrganization(record, { provider: 'bv' });
  if (!result.ok) throw new Error(`expected a record, got skip: ${result.reason}`);
  return result.record;
}

describe('mapBvOrganization', () => {
  it('maps a documented record field by field', () => {
    expect(mapped(fixture)).toEqual({
      id: 'bv:0b7e5f0e-9c1d-4c55-9a43-5f3c2a1d0e11',
      provider: 'bv',
      sourceId: '0b7e5f0e-9c1d-4c55-9a43-5f3c2a1d0e11',
      name: 'São Paulo Estúdios',
      parentId: 'bv-root-0001',
      parentName: 'BV Root Distributor',
      type: 'reseller',
      status: 'active',
      plan: 'plan-pro',
      description: 'Reseller for LATAM',
      logoUrl: null,
      ownerEmail: 'owner@sp.example',
      memberCount: null,
      balance: null,
      contract: { startsAt: '2025-01-01T00:00:00.000Z', endsAt: '2025-12-31T23:59:59.000Z', months: 12, days: 0 },
      timeZone: 'America/Sao_Paulo',
      hasSubOrgs: true,
      createdAt: '2024-12-01T10:00:00.000Z',
      updatedAt: '2025-06-01T08:00:00.000Z',
    });
  });

  it.each([
    ['ORGANIZATION_TYPE_ROOT', 'root'],
    ['ORGANIZATION_TYPE_GENERAL_DISTRIBUTOR', 'distributor'],
    ['ORGANIZATION_TYPE_RESELLER', 'reseller'],
    ['ORGANIZATION_TYPE_BUSINESS', 'business'],
    ['ORGANIZATION_TYPE_UNSPECIFIED', null],
    ['SOMETHING_NEW', null],
    [undefined, null],
    [3, null],
    ['toString', null],
  ])('maps type %p to %p', (type, expected) => {
    expect(mapped({ ...fixture, type }).type).toBe(expected);
  });

  it.each([
    ['ORGANIZATION_STATUS_ACTIVATED', 'active'],
    ['ORGANIZATION_STATUS_VERIFYING', 'pending'],
    ['ORGANIZATION_STATUS_FAIL_TO_VERIFY', 'verification_failed'],
    ['ORGANIZATION_STATUS_DEACTIVATED', 'inactive'],
    ['ORGANIZATION_STATUS_DELETING', 'deleting'],
    ['ORGANIZATION_STATUS_DELETED', 'deleted'],
    ['ORGANIZATION_STATUS_ACTIVATION_SCHEDULED', 'scheduled'],
    ['ORGANIZATION_STATUS_SUSPENDED', 'unknown'],
    [undefined, 'unknown'],
    [null, 'unknown'],
  ])('maps status %p to %p', (status, expected) => {
    expect(mapped({ ...fixture, status }).status).toBe(expected);
  });

  it('falls back to business_plan_type when plan_id is absent', () => {
    const { plan_id: _omitted, ...rest } = fixture;
    expect(mapped({ ...rest, business_plan_type: 'CXM' }).plan).toBe('CXM');
    expect(mapped({ ...fixture, business_plan_type: 'CXM' }).plan).toBe('plan-pro');
    expect(mapped({ ...rest }).plan).toBeNull();
  });

  it('takes the owner email from owner.email, else owner_email', () => {
    expect(mapped({ ...fixture, owner: undefined }).ownerEmail).toBe('legacy-owner@sp.example');
    expect(mapped({ ...fixture, owner: { id: 'u' } }).ownerEmail).toBe('legacy-owner@sp.example');
    expect(mapped({ ...fixture, owner: 'nobody', owner_email: undefined }).ownerEmail).toBeNull();
  });

  it('has no contract when no contract field is present, and keeps partial ones', () => {
    expect(mapped({ id: 'x', name: 'y' }).contract).toBeNull();
    expect(mapped({ id: 'x', name: 'y', contract_days: 30 }).contract).toEqual({ startsAt: null, endsAt: null, months: null, days: 30 });
  });

  it('turns fields of the wrong type into null', () => {
    const subOrg = mapped({ ...fixture, has_sub_orgs: 'yes', time_zone: 5, contract_months: 1.5, created_at: '31/12/2024', parent_id: {} });
    expect(subOrg).toMatchObject({ hasSubOrgs: null, timeZone: null, createdAt: null, parentId: null });
    expect(subOrg.contract?.months).toBeNull();
  });

  it.each([
    ['not an object', 42, 'record is not an object'],
    ['no id', { name: 'x' }, 'missing or invalid id'],
    ['no name', { id: 'b1' }, 'record b1: missing or invalid name'],
    ['an empty name', { id: 'b1', name: '' }, 'record b1: missing or invalid name'],
  ])('skips a record with %s', (_label, record, reason) => {
    expect(mapBvOrganization(record, { provider: 'bv' })).toEqual({ ok: false, reason });
  });
});

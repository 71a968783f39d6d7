import type { BvOrganization, BvOrganizationStatus, BvOrganizationType } from '../../src/upstreams/bv/bv.types.js';
import { BV_ORGANIZATION_STATUSES, BV_ORGANIZATION_TYPES } from '../../src/upstreams/bv/bv.types.js';
import type { InventMember, InventOrg } from '../../src/upstreams/invent/invent.types.js';

/** mulberry32: a tiny seeded PRNG, so every run of the simulators serves the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PREFIXES = [
  'Acme', 'Zürich', 'São Paulo', 'Ørsted', 'Åkers', 'Crème', 'Δέλτα', 'Ωmega', 'İstanbul', 'Kraków', 'Москва', '東京', 'Seoul',
  'Nordic', 'blue', 'GREEN', 'Red', 'delta', 'Sunrise', 'Café', 'Straße', 'Łódź', 'Mañana', 'Über', 'Ärzte', 'Fjord', 'Harbor',
  'Pixel', 'quantum', 'Lumen', 'Atlas', 'Kite', 'Maple', 'Cedar', 'Nova', 'Orbit', 'Polar', 'Echo', 'Zenith', 'alpha', 'Beta',
];
const SUFFIXES = [
  'Ärzte', 'Media', 'Studios', 'Labs', 'TV', 'Broadcasting', 'Estúdios', 'Group', 'Holdings', 'Networks', 'Partners', 'Stream',
  'Films', 'Sports', 'News', 'Radio', 'Academy', 'Clinic', 'Ventures', 'Systems', 'テレビ', 'Yayın', 'Digital', 'Live', 'Events',
];
const TIME_ZONES = ['Asia/Taipei', 'Europe/Zurich', 'America/Sao_Paulo', 'Asia/Tokyo', 'Europe/Istanbul', 'UTC', 'America/New_York'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function hex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
}

function isoBetween(random: () => number, from: number, to: number): string {
  return new Date(Math.floor(from + random() * (to - from))).toISOString();
}

const START = Date.parse('2020-01-01T00:00:00Z');
const END = Date.parse('2026-10-31T00:00:00Z');

function orgName(random: () => number, index: number): string {
  const name = `${pick(random, PREFIXES)} ${pick(random, SUFFIXES)}`;
  // Some collide on purpose (ties are broken by id); most carry a number.
  return random() < 0.15 ? name : `${name} ${index + 1}`;
}

function slug(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '') || 'org';
}

export function generateInventOrgs(count: number, seed = 1): InventOrg[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const name = orgName(random, index);
    const id = `org_${hex(random, 12)}${index.toString(36)}`;
    const createdAt = isoBetween(random, START, END);
    const memberCount = 1 + Math.floor(random() * 4);
    const members: InventMember[] = Array.from({ length: memberCount }, (_, m) => ({
      id: `mem_${hex(random, 10)}`,
      name: `Member ${m + 1}`,
      email: `${m === 0 ? 'admin' : `user${m}`}@${slug(name)}.example`,
      role: m === 0 && random() < 0.85 ? 'ADMIN' : m === 1 ? 'ADMIN' : 'MEMBER',
      status: 'ACTIVE',
      org_id: id,
      user_id: `usr_${hex(random, 10)}`,
      created_at: createdAt,
      updated_at: createdAt,
    }));
    return {
      id,
      name,
      logo_url: random() < 0.6 ? `https://cdn.invent.example/logos/${id}.png` : undefined,
      plan: random() < 0.55 ? 'free' : 'business',
      balance: Math.round(random() * 100_000) / 100,
      promo_balance: Math.round(random() * 5_000) / 100,
      billing: {
        auto_recharge: { enabled: random() < 0.3, recharge_threshold: 50, recharge_amount: 200 },
        spending_cap: { enabled: random() < 0.5, amount: 50_000, reset_at: '2026-12-01T00:00:00Z' },
        use_parent_balance: random() < 0.2,
      },
      members,
      spending_cap_used: Math.round(random() * 20_000) / 100,
      created_at: createdAt,
      features: { enterprise: random() < 0.2, allow_overdraft: false, workflows: true, broadcasts: random() < 0.5, enable_japifon: false, slack_access: random() < 0.5 },
      config: { locale: pick(random, ['en', 'de', 'pt-BR', 'ja']) },
    };
  });
}

export function generateBvOrganizations(count: number, seed = 2): BvOrganization[] {
  const random = seededRandom(seed);
  const parentId = 'bv-root-0001';
  return Array.from({ length: count }, (_, index) => {
    const name = orgName(random, index);
    const id = `${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${index.toString(16).padStart(12, '0')}`;
    // Every type and status appears, cycling so even small data sets hold each one.
    const type: BvOrganizationType = BV_ORGANIZATION_TYPES[index % BV_ORGANIZATION_TYPES.length];
    const status: BvOrganizationStatus = BV_ORGANIZATION_STATUSES[index % BV_ORGANIZATION_STATUSES.length];
    const createdAt = isoBetween(random, START, END);
    const startsAt = isoBetween(random, Date.parse(createdAt), END);
    const months = 1 + Math.floor(random() * 24);
    const ownerEmail = `owner@${slug(name)}.example`;
    const newer = random() < 0.3;
    return {
      id,
      name,
      parent_id: parentId,
      parent_name: 'BV Root Distributor',
      type,
      status,
      description: random() < 0.7 ? `${name} on BlendVision One` : undefined,
      owner_email: ownerEmail,
      billing_cycle: 1,
      contract_valid_start_time: startsAt,
      contract_months: months,
      contract_days: 0,
      contract_valid_end_time: new Date(Date.parse(startsAt) + months * 30 * 86_400_000).toISOString(),
      plan_id: newer ? undefined : `plan-${pick(random, ['basic', 'pro', 'enterprise'])}`,
      business_plan_type: newer ? pick(random, ['BVONE', 'CXM']) : undefined,
      has_sub_orgs: type !== 'ORGANIZATION_TYPE_BUSINESS' && random() < 0.5,
      license_key: `lk_${hex(random, 24)}`,
      time_zone: pick(random, TIME_ZONES),
      owner: random() < 0.8 ? { id: `u-${hex(random, 8)}`, email: ownerEmail, status: 'ACCOUNT_STATUS_ACTIVATED', role_type: 'ROLE_TYPE_OWNER', created_at: createdAt } : undefined,
      created_at: createdAt,
      updated_at: isoBetween(random, Date.parse(createdAt), END),
    };
  });
}

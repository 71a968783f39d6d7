/**
 * Records the simulators serve (default seeds: `npm run demo`), as the
 * gateway returns them; the OpenAPI e2e test checks they still are.
 */
export const EXAMPLE_BV_RECORD = {
  id: 'bv:6ee5f8b3-f1ac-9c77-00000000008d',
  provider: 'bv',
  sourceId: '6ee5f8b3-f1ac-9c77-00000000008d',
  name: 'Mañana TV',
  parentId: 'bv-root-0001',
  parentName: 'BV Root Distributor',
  type: 'distributor',
  status: 'pending',
  plan: 'BVONE',
  description: 'Mañana TV on BlendVision One',
  logoUrl: null,
  ownerEmail: 'owner@manana.tv.example',
  memberCount: null,
  balance: null,
  contract: { startsAt: '2022-09-14T02:02:12.656Z', endsAt: '2024-07-05T02:02:12.656Z', months: 22, days: 0 },
  timeZone: 'Europe/Istanbul',
  hasSubOrgs: false,
  createdAt: '2020-01-15T02:44:33.998Z',
  updatedAt: '2022-07-02T04:14:57.762Z',
} as const;

export const EXAMPLE_INVENT_RECORD = {
  id: 'invent:org_f0fc76f82f5b2s',
  provider: 'invent',
  sourceId: 'org_f0fc76f82f5b2s',
  name: 'Łódź Group 101',
  parentId: null,
  parentName: null,
  type: null,
  status: 'active',
  plan: 'business',
  description: null,
  logoUrl: 'https://cdn.invent.example/logos/org_f0fc76f82f5b2s.png',
  ownerEmail: 'admin@odz.group.101.example',
  memberCount: 3,
  balance: { credit: 699.8, promoCredit: 37.18, spentThisMonth: 188.15 },
  contract: null,
  timeZone: null,
  hasSubOrgs: null,
  createdAt: '2020-01-11T09:58:40.538Z',
  updatedAt: null,
} as const;

const source = (provider: string, itemCount: number) => ({ provider, status: 'ok', itemCount, skipped: 0, fetchedAt: '2026-11-29T10:00:00.000Z', latencyMs: 41, progress: null });

/** A page of two records (`?pageSize=2`), one of each provider, as the demo's simulators serve them. */
export const EXAMPLE_LISTING = {
  data: [EXAMPLE_INVENT_RECORD, EXAMPLE_BV_RECORD],
  page: { page: 1, pageSize: 2, totalItems: 480, totalPages: 240, nextCursor: 'WzEsImNyZWF0ZWRBdCIsMTU3OTA1NjI3Mzk5OCwiYnY6NmVlNWY4YjMtZjFhYy05Yzc3LTAwMDAwMDAwMDA4ZCIsIjREbEp3aWRPWHRpZG9BSm8iXQ.cJ1aWJLEZM5uxejx' },
  sources: [source('invent', 250), source('bv', 230)],
  partial: false,
} as const;

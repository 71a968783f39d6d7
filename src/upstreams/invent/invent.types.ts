/**
 * Invent's wire shapes, mirroring the vendor's documentation of
 * `GET /orgs/{org_id}/orgs` (seeds/invent-list-sub-organizations.txt).
 * Everything is optional: the vendor's docs already drift from the seed.
 */
export type InventMemberRole = 'ADMIN' | 'MEMBER' | (string & {});

export interface InventMember {
  readonly id?: string;
  readonly name?: string;
  readonly email?: string;
  readonly avatar?: string;
  readonly role?: InventMemberRole;
  readonly status?: string;
  readonly org_id?: string;
  readonly user_id?: string;
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly seen_at?: string;
}

export interface InventBilling {
  readonly auto_recharge?: { readonly enabled?: boolean; readonly recharge_threshold?: number; readonly recharge_amount?: number };
  readonly spending_cap?: { readonly enabled?: boolean; readonly amount?: number; readonly reset_at?: string };
  readonly payment_method?: Record<string, unknown>;
  readonly use_parent_balance?: boolean;
}

export interface InventOrg {
  readonly id?: string;
  readonly name?: string;
  readonly logo_url?: string;
  readonly plan?: 'free' | 'business' | (string & {});
  readonly balance?: number;
  readonly promo_balance?: number;
  readonly billing?: InventBilling;
  readonly members?: readonly InventMember[];
  readonly spending_cap_used?: number;
  readonly created_at?: string;
  readonly features?: Record<string, boolean>;
  /** Added in the vendor docs after the seed was taken. */
  readonly config?: Record<string, unknown>;
}

/** `page` is 1-based; `take` defaults to 100 and may not exceed it. */
export const INVENT_MAX_TAKE = 100;

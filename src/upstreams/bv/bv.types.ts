/**
 * BlendVision One's wire shapes for `GET /bv/org/v1/sub-orgs`
 * (seeds/bv-list-sub-orgs.txt). All fields optional: "Output only" is not "always present".
 */
export const BV_ORGANIZATION_TYPES = [
  'ORGANIZATION_TYPE_ROOT',
  'ORGANIZATION_TYPE_GENERAL_DISTRIBUTOR',
  'ORGANIZATION_TYPE_RESELLER',
  'ORGANIZATION_TYPE_BUSINESS',
] as const;
export type BvOrganizationType = (typeof BV_ORGANIZATION_TYPES)[number];

export const BV_ORGANIZATION_STATUSES = [
  'ORGANIZATION_STATUS_ACTIVATED',
  'ORGANIZATION_STATUS_VERIFYING',
  'ORGANIZATION_STATUS_FAIL_TO_VERIFY',
  'ORGANIZATION_STATUS_DEACTIVATED',
  'ORGANIZATION_STATUS_DELETING',
  'ORGANIZATION_STATUS_DELETED',
  'ORGANIZATION_STATUS_ACTIVATION_SCHEDULED',
] as const;
export type BvOrganizationStatus = (typeof BV_ORGANIZATION_STATUSES)[number];

export interface BvUser {
  readonly id?: string;
  readonly email?: string;
  readonly status?: 'ACCOUNT_STATUS_ACTIVATED' | 'ACCOUNT_STATUS_DEACTIVATED';
  readonly role_type?: string;
  readonly created_at?: string;
  readonly first_name?: string;
  readonly last_name?: string;
}

export interface BvContract {
  readonly start_time?: string;
  readonly months?: number;
  readonly days?: number;
  readonly end_time?: string;
  readonly parent_id?: string;
  readonly plan_id?: string;
}

export interface BvOrganization {
  readonly id?: string;
  readonly name?: string;
  readonly parent_id?: string;
  readonly type?: BvOrganizationType;
  readonly status?: BvOrganizationStatus;
  readonly description?: string;
  readonly owner_email?: string;
  readonly billing_cycle?: number;
  readonly contract_valid_start_time?: string;
  readonly contract_months?: number;
  readonly contract_days?: number;
  readonly contract_valid_end_time?: string;
  readonly next_contract?: BvContract;
  readonly plan_id?: string;
  /** Newer records only: `BVONE` or `CXM`; stands in for `plan_id` when that is absent. */
  readonly business_plan_type?: string;
  readonly has_sub_orgs?: boolean;
  readonly parent_name?: string;
  /** A credential: removed from the originals the gateway keeps (see domain/credential-names). */
  readonly license_key?: string;
  readonly time_zone?: string;
  readonly owner?: BvUser;
  readonly created_at?: string;
  readonly updated_at?: string;
}

export interface BvPagination {
  readonly total_items?: number;
  readonly items_per_page?: number;
  readonly current_page?: number;
}

export interface BvListSubOrgsResponse {
  readonly organizations?: readonly BvOrganization[];
  readonly pagination?: BvPagination;
}

/** `items_per_page` defaults to 1 upstream, so it is always sent; 100 is the documented maximum. */
export const BV_MAX_ITEMS_PER_PAGE = 100;

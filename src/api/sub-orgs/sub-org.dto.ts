import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { SUB_ORG_STATUSES, SUB_ORG_TYPES, type SubOrg, type SubOrgBalance, type SubOrgContract, type SubOrgStatus, type SubOrgType } from '../../domain/sub-org.js';

export class SubOrgBalanceDto implements SubOrgBalance {
  @ApiProperty({ type: Number, nullable: true, description: 'Current credit balance (Invent `balance`).' })
  credit!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Promotional credit (Invent `promo_balance`).' })
  promoCredit!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Spent in the current month (Invent `spending_cap_used`).' })
  spentThisMonth!: number | null;
}

export class SubOrgContractDto implements SubOrgContract {
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startsAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endsAt!: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  months!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  days!: number | null;
}

export class SubOrgDto implements SubOrg {
  @ApiProperty({ description: 'Gateway-wide id: `<provider>:<sourceId>`.', example: 'bv:6ee5f8b3-f1ac-9c77-00000000008d' })
  id!: string;

  @ApiProperty({ enum: [], enumName: 'ProviderKey' })
  provider!: string;

  @ApiProperty({ description: "The upstream's own id.", example: '6ee5f8b3-f1ac-9c77-00000000008d' })
  sourceId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Parent org id (Invent: the configured org, null for `c`).' })
  parentId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  parentName!: string | null;

  @ApiProperty({ enum: SUB_ORG_TYPES, enumName: 'SubOrgType', nullable: true, description: 'Null when the upstream has no type or an unknown one (all Invent records).' })
  type!: SubOrgType | null;

  @ApiProperty({ enum: SUB_ORG_STATUSES, enumName: 'SubOrgStatus', description: '`unknown` when the upstream sent a status this gateway does not know.' })
  status!: SubOrgStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Invent `plan`; bv `plan_id`, else `business_plan_type`.' })
  plan!: string | null;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: String, nullable: true })
  logoUrl!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "Invent: the first ADMIN member's email; bv: the owner's email." })
  ownerEmail!: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  memberCount!: number | null;

  @ApiProperty({ type: SubOrgBalanceDto, nullable: true })
  balance!: SubOrgBalanceDto | null;

  @ApiProperty({ type: SubOrgContractDto, nullable: true })
  contract!: SubOrgContractDto | null;

  @ApiProperty({ type: String, nullable: true, example: 'Europe/Istanbul' })
  timeZone!: string | null;

  @ApiProperty({ type: Boolean, nullable: true })
  hasSubOrgs!: boolean | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  createdAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: string | null;

  @ApiProperty({ required: false, type: Object, additionalProperties: true, description: 'The upstream original; only with `includeRaw=true`.' })
  raw?: unknown;
}

/** A listed record with `fields`: those fields and `id` only. */
export class SparseSubOrgDto extends PartialType(OmitType(SubOrgDto, ['id'] as const)) {
  @ApiProperty({ description: 'Gateway-wide id: `<provider>:<sourceId>`.', example: 'bv:6ee5f8b3-f1ac-9c77-00000000008d' })
  id!: string;
}

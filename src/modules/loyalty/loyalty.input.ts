import { Field, ID, InputType, Int } from 'type-graphql';
import { LoyaltyTier } from '../../generated/prisma/enums';
import { DateTimeScalar } from '../../graphql/scalars';

@InputType({ description: 'Points to earn or redeem.' })
export class LoyaltyPointsInput {
  @Field(() => Int, { description: 'A positive whole number, at most 1,000,000.' }) points!: number;
  @Field(() => String, { description: 'Why (1 to 500 characters); kept on the ledger entry.' }) reason!: string;
  @Field(() => String, {
    description:
      'Unique per intended change: sending the same key again returns the first result; the same key with a different request is IDEMPOTENCY_CONFLICT.',
  })
  idempotencyKey!: string;
}

@InputType({ description: 'A signed correction of the balance (MANAGER/ADMIN).' })
export class LoyaltyPointsAdjustInput {
  @Field(() => Int, {
    description:
      'Non-zero, between -1,000,000 and 1,000,000: positive adds points (expiring in 12 months), negative removes them.',
  })
  points!: number;
  @Field(() => String, { description: 'Why (required, 1 to 500 characters).' }) reason!: string;
  @Field(() => String, { description: 'See LoyaltyPointsInput.idempotencyKey.' }) idempotencyKey!: string;
}

@InputType({ description: 'An explicit tier (MANAGER/ADMIN).' })
export class LoyaltyTierSetInput {
  @Field(() => LoyaltyTier) tier!: LoyaltyTier;
  @Field(() => String, { description: 'Why (required, 1 to 500 characters); kept in the tier history.' })
  reason!: string;
}

@InputType({ description: 'A reward to redeem.' })
export class LoyaltyRewardRedeemInput {
  @Field(() => ID) rewardId!: string;
  @Field(() => String, { description: 'Key of the REDEEM ledger entry; see LoyaltyPointsInput.idempotencyKey.' })
  idempotencyKey!: string;
}

@InputType({ description: 'Scope and time of an expiry run or a tier review.' })
export class LoyaltyBatchInput {
  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Process as if it were this time (default now). For MANAGER/ADMIN testing ("time travel") and catching up; entries written are dated at it.',
  })
  asOf?: Date | null;
  @Field(() => ID, { nullable: true, description: 'Only this customer (default: every account).' }) customerId?:
    | string
    | null;
}

@InputType({ description: 'A new reward of the catalogue.' })
export class RewardCreateInput {
  @Field(() => String, { description: 'Unique, 1 to 100 characters.' }) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Int, { description: '1 to 1,000,000.' }) pointsCost!: number;
  @Field(() => Boolean, { nullable: true, description: 'Default true.' }) active?: boolean | null;
  @Field(() => Int, { nullable: true, description: 'Units available; omit or null for unlimited.' }) stock?:
    | number
    | null;
}

@InputType({ description: 'Changes to a reward; omitted fields stay as they are.' })
export class RewardUpdateInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Int, { nullable: true }) pointsCost?: number | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean | null;
  @Field(() => Int, { nullable: true, description: 'null makes the stock unlimited.' }) stock?: number | null;
}

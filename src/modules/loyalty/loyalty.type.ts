import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LedgerEntryType, LoyaltyTier, LoyaltyTierChangeKind } from '../../generated/prisma/enums';
import { Node } from '../../graphql/relay';
import { DateTimeScalar } from '../../graphql/scalars';

registerEnumType(LoyaltyTier, {
  name: 'LoyaltyTier',
  description: 'BRONZE 0, SILVER 500, GOLD 1,000, PLATINUM 5,000 qualifying points.',
});
registerEnumType(LedgerEntryType, {
  name: 'LedgerEntryType',
  description:
    'EARN adds points (expiring 12 months later); REDEEM spends them; EXPIRE removes unspent points past their expiry; ADJUST is a signed correction by a MANAGER/ADMIN; CLAWBACK takes back the points of a refunded order, as far as the balance allows (the rest is its shortfall).',
});
registerEnumType(LoyaltyTierChangeKind, {
  name: 'LoyaltyTierChangeKind',
  description:
    'UPGRADE: automatic, when qualifying points crossed a threshold; SET: by a MANAGER/ADMIN with a reason; REVIEW: by a tier review (may go down).',
});

@ObjectType({ implements: Node, description: "A customer's loyalty programme account." })
export class LoyaltyAccount extends Node {
  @Field(() => LoyaltyTier, {
    description: 'Never lowered by redeeming; only a tier review or a MANAGER/ADMIN lowers it.',
  })
  tier!: LoyaltyTier;
  @Field(() => Int, { description: 'Spendable points; always the sum of the ledger, never negative.' })
  pointsBalance!: number;
  @Field(() => Int, { description: 'All points ever earned, less those of refunded orders.' }) lifetimePoints!: number;
  @Field(() => DateTimeScalar) joinedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When a tier review last looked at this account.' })
  tierReviewedAt!: Date | null;
}

@ObjectType({
  implements: Node,
  description: 'One change of a loyalty balance. The ledger is append-only; the balance is its sum.',
})
export class LedgerEntry extends Node {
  @Field(() => LedgerEntryType) type!: LedgerEntryType;
  @Field(() => Int, {
    description: 'Signed: positive for EARN and positive ADJUST, negative for REDEEM, EXPIRE and negative ADJUST.',
  })
  points!: number;
  @Field(() => Int, { description: 'The balance right after this entry.' }) balanceAfter!: number;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'For added points: when the unspent ones expire (12 months after they were earned).',
  })
  expiresAt!: Date | null;
  @Field(() => Int, {
    nullable: true,
    description: 'For added points: how many are neither spent nor expired yet (spending uses the oldest first).',
  })
  remaining!: number | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'For EXPIRE: the instant the expiry ran as of (points due by then expired); createdAt is when it ran. Null otherwise.',
  })
  asOf!: Date | null;
  @Field(() => Int, {
    nullable: true,
    description:
      'For CLAWBACK: points of the refunded order the balance no longer covered (already spent), so not taken back. Null otherwise.',
  })
  shortfall!: number | null;
}

@ObjectType({ description: 'A change of loyalty tier, with why it happened.' })
export class LoyaltyTierChange {
  @Field(() => LoyaltyTierChangeKind) kind!: LoyaltyTierChangeKind;
  @Field(() => LoyaltyTier) fromTier!: LoyaltyTier;
  @Field(() => LoyaltyTier) toTier!: LoyaltyTier;
  @Field(() => Int, { nullable: true, description: 'Qualifying points at the time of the change.' }) qualifyingPoints!:
    | number
    | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@ObjectType({ implements: Node, description: 'A reward of the catalogue that customers redeem points for.' })
export class Reward extends Node {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Int, { description: 'Points a redemption spends.' }) pointsCost!: number;
  @Field(() => Boolean, { description: 'Inactive rewards cannot be redeemed.' }) active!: boolean;
  @Field(() => Int, { nullable: true, description: 'Units left; null means unlimited.' }) stock!: number | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType({ description: 'A redemption of a reward: the points spent and the ledger entry that spent them.' })
export class RewardRedemption {
  @Field(() => Int) pointsSpent!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { SUPERVISOR_ROLES, WRITER_ROLES } from '../../auth/actor';
import type {
  Customer as CustomerRow,
  LedgerEntry as LedgerEntryRow,
  LoyaltyAccount as AccountRow,
  LoyaltyTierChange as TierChangeRow,
  Reward as RewardRow,
  RewardRedemption as RedemptionRow,
} from '../../generated/prisma/client';
import { LoyaltyTier } from '../../generated/prisma/enums';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, decodeId, toConnection, toGlobalId } from '../../graphql/relay';
import { DateTimeScalar } from '../../graphql/scalars';
import { DomainError } from '../../shared/domain-error';
import { pageSize } from '../../shared/pagination';
import { Customer } from '../customer/customer.type';
import { Order } from '../order/order.type';
import { StaffUser } from '../staff/staff.type';
import {
  LoyaltyBatchInput,
  LoyaltyPointsAdjustInput,
  LoyaltyPointsInput,
  LoyaltyRewardRedeemInput,
  LoyaltyTierSetInput,
  RewardCreateInput,
  RewardUpdateInput,
} from './loyalty.input';
import { nextTier, pointsToNextTier } from './loyalty.tiers';
import { LedgerEntry, LoyaltyAccount, LoyaltyTierChange, Reward, RewardRedemption } from './loyalty.type';

export const LedgerEntryConnection = connectionOf(LedgerEntry, 'LedgerEntry');
export const RewardConnection = connectionOf(Reward, 'Reward');

const MAX_EXPIRING_DAYS = 3660;

@ObjectType({
  description:
    'Result of a points change. On an idempotent replay, `entry` is the first result and nothing was applied again.',
})
class LoyaltyPointsPayload extends Payload {
  @Field(() => LedgerEntry, { nullable: true, description: 'The ledger entry of the change.' }) entry?: unknown;
  @Field(() => LoyaltyAccount, { nullable: true, description: 'The account as it is now.' }) account?: unknown;
  @Field(() => Boolean, {
    nullable: true,
    description: 'True when this idempotency key had already been applied by the same request.',
  })
  replayed?: boolean;
}

@ObjectType({ description: 'Result of loyaltyRewardRedeem.' })
class LoyaltyRewardRedeemPayload extends LoyaltyPointsPayload {
  @Field(() => RewardRedemption, { nullable: true }) redemption?: unknown;
}

@ObjectType({ description: 'Result of loyaltyTierSet.' })
class LoyaltyAccountPayload extends Payload {
  @Field(() => LoyaltyAccount, { nullable: true }) account?: unknown;
}

@ObjectType({ description: 'Result of an expiry run.' })
class LoyaltyPointsExpirePayload extends Payload {
  @Field(() => DateTimeScalar, { nullable: true, description: 'The time the run expired points as of.' }) asOf?: Date;
  @Field(() => Int, { nullable: true, description: 'Accounts that had points expire.' }) accountsAffected?: number;
  @Field(() => Int, { nullable: true, description: 'Points expired in total.' }) pointsExpired?: number;
}

@ObjectType({ description: 'Result of a tier review.' })
class LoyaltyTierReviewPayload extends Payload {
  @Field(() => DateTimeScalar, { nullable: true }) asOf?: Date;
  @Field(() => Int, { nullable: true }) accountsReviewed?: number;
  @Field(() => Int, { nullable: true }) upgraded?: number;
  @Field(() => Int, { nullable: true }) downgraded?: number;
}

@ObjectType({ description: 'Result of rewardCreate and rewardUpdate.' })
class RewardPayload extends Payload {
  @Field(() => Reward, { nullable: true }) reward?: unknown;
}

const customerIdOf = (id: string) => decodeId(id, 'Customer', ['customerId']);

@Resolver(() => LoyaltyAccount)
export class LoyaltyAccountResolver {
  @FieldResolver(() => ID)
  id(@Root() account: AccountRow): string {
    return toGlobalId('LoyaltyAccount', account.id);
  }

  @FieldResolver(() => Customer, { description: 'The account holder.' })
  customer(@Root() account: AccountRow, @Ctx() ctx: Context) {
    return ctx.loaders.customerById.load(account.customerId);
  }

  @FieldResolver(() => Int, {
    description: 'Points earned (EARN) in the last 12 months; they decide the tier. Redeeming does not lower them.',
  })
  qualifyingPoints(@Root() account: AccountRow, @Ctx() ctx: Context) {
    return ctx.loaders.qualifyingPointsByAccountId.load(account.id);
  }

  @FieldResolver(() => LoyaltyTier, {
    nullable: true,
    description: 'The tier above the current one; null at PLATINUM.',
  })
  nextTier(@Root() account: AccountRow) {
    return nextTier(account.tier)?.tier ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Qualifying points still needed for nextTier; null at PLATINUM.',
  })
  async pointsToNextTier(@Root() account: AccountRow, @Ctx() ctx: Context) {
    if (!nextTier(account.tier)) return null;
    return pointsToNextTier(account.tier, await ctx.loaders.qualifyingPointsByAccountId.load(account.id));
  }

  @FieldResolver(() => Int, {
    description: 'Unspent points that expire within the given number of days (0 to 3660), including any already due.',
  })
  pointsExpiring(
    @Root() account: AccountRow,
    @Arg('withinDays', () => Int, { defaultValue: 30 }) withinDays: number,
    @Ctx() ctx: Context,
  ) {
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > MAX_EXPIRING_DAYS) {
      throw new DomainError('VALIDATION', `withinDays must be between 0 and ${MAX_EXPIRING_DAYS}`, ['withinDays']);
    }
    return ctx.loaders.pointsExpiring.load({ accountId: account.id, withinDays });
  }

  @FieldResolver(() => LedgerEntryConnection, { description: 'The ledger, newest first.' })
  async transactions(
    @Root() account: AccountRow,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ) {
    const page = await ctx.loaders.ledgerPage.load({
      accountId: account.id,
      first: pageSize(args),
      after: args.after ?? null,
    });
    return toConnection({
      ...page,
      hasPreviousPage: Boolean(args.after),
      totalCount: () => ctx.loaders.ledgerCountByAccountId.load(account.id),
    });
  }

  @FieldResolver(() => [LoyaltyTierChange], { description: 'Every tier change, newest first.' })
  tierHistory(@Root() account: AccountRow, @Ctx() ctx: Context) {
    return ctx.loaders.tierChangesByAccountId.load(account.id);
  }
}

@Resolver(() => LedgerEntry)
export class LedgerEntryResolver {
  @FieldResolver(() => ID)
  id(@Root() entry: LedgerEntryRow): string {
    return toGlobalId('LedgerEntry', entry.id);
  }

  @FieldResolver(() => LoyaltyAccount, { description: 'The account this entry belongs to.' })
  account(@Root() entry: LedgerEntryRow, @Ctx() ctx: Context) {
    return ctx.loaders.loyaltyById.load(entry.accountId);
  }

  @FieldResolver(() => Order, {
    nullable: true,
    description: 'The order the entry is about: the completed order of an EARN, the refunded one of a CLAWBACK.',
  })
  order(@Root() entry: LedgerEntryRow, @Ctx() ctx: Context) {
    return entry.orderId ? ctx.loaders.orderById.load(entry.orderId) : null;
  }
}

@Resolver(() => LoyaltyTierChange)
export class LoyaltyTierChangeResolver {
  @FieldResolver(() => StaffUser, {
    nullable: true,
    description: 'Who made the change (null when automatic without a staff member, or when they were removed).',
  })
  changedBy(@Root() change: TierChangeRow, @Ctx() ctx: Context) {
    return change.actorId ? ctx.loaders.staffById.load(change.actorId) : null;
  }
}

@Resolver(() => Reward)
export class RewardResolver {
  @FieldResolver(() => ID)
  id(@Root() reward: RewardRow): string {
    return toGlobalId('Reward', reward.id);
  }

  @Query(() => RewardConnection, { description: 'The rewards catalogue, cheapest first.' })
  async rewards(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('activeOnly', () => Boolean, {
      defaultValue: true,
      description: 'Only rewards that can be redeemed now (default true).',
    })
    activeOnly: boolean,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await ctx.services.rewards.list(page, activeOnly));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => RewardPayload, { description: 'Adds a reward to the catalogue (MANAGER/ADMIN).' })
  rewardCreate(
    @Arg('input', () => RewardCreateInput) input: RewardCreateInput,
    @Ctx() ctx: Context,
  ): Promise<RewardPayload> {
    return payload(async () => ({ reward: await ctx.services.rewards.create(actorOf(ctx), input) }));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => RewardPayload, {
    description: 'Changes a reward, e.g. deactivates it or restocks it (MANAGER/ADMIN).',
  })
  rewardUpdate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => RewardUpdateInput) input: RewardUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<RewardPayload> {
    return payload(async () => ({
      reward: await ctx.services.rewards.update(actorOf(ctx), decodeId(id, 'Reward', ['id']), input),
    }));
  }
}

@Resolver(() => RewardRedemption)
export class RewardRedemptionResolver {
  @FieldResolver(() => Reward)
  reward(@Root() redemption: RedemptionRow, @Ctx() ctx: Context) {
    return ctx.loaders.rewardById.load(redemption.rewardId);
  }

  @FieldResolver(() => LedgerEntry, { description: 'The REDEEM entry that spent the points.' })
  entry(@Root() redemption: RedemptionRow, @Ctx() ctx: Context) {
    return ctx.loaders.ledgerEntryById.load(redemption.ledgerEntryId);
  }
}

@Resolver()
export class LoyaltyMutationResolver {
  @Authorized(WRITER_ROLES)
  @Mutation(() => LoyaltyPointsPayload, {
    description:
      'Awards points (they expire 12 months later); upgrades the tier when a threshold is crossed. Idempotent per key.',
  })
  loyaltyPointsEarn(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => LoyaltyPointsInput) input: LoyaltyPointsInput,
    @Ctx() ctx: Context,
  ): Promise<LoyaltyPointsPayload> {
    return payload(() => ctx.services.loyalty.earn(actorOf(ctx), customerIdOf(customerId), input));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => LoyaltyPointsPayload, {
    description:
      'Spends points, oldest first; INSUFFICIENT_POINTS when the balance is too small. Never lowers the tier. Idempotent per key.',
  })
  loyaltyPointsRedeem(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => LoyaltyPointsInput) input: LoyaltyPointsInput,
    @Ctx() ctx: Context,
  ): Promise<LoyaltyPointsPayload> {
    return payload(() => ctx.services.loyalty.redeem(actorOf(ctx), customerIdOf(customerId), input));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => LoyaltyPointsPayload, {
    description: 'Corrects the balance by signed points with a reason (MANAGER/ADMIN). Idempotent per key.',
  })
  loyaltyPointsAdjust(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => LoyaltyPointsAdjustInput) input: LoyaltyPointsAdjustInput,
    @Ctx() ctx: Context,
  ): Promise<LoyaltyPointsPayload> {
    return payload(() => ctx.services.loyalty.adjust(actorOf(ctx), customerIdOf(customerId), input));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => LoyaltyAccountPayload, {
    description: 'Sets the tier explicitly, up or down, with a reason kept in the tier history (MANAGER/ADMIN).',
  })
  loyaltyTierSet(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => LoyaltyTierSetInput) input: LoyaltyTierSetInput,
    @Ctx() ctx: Context,
  ): Promise<LoyaltyAccountPayload> {
    return payload(async () => ({
      account: await ctx.services.loyalty.setTier(actorOf(ctx), customerIdOf(customerId), input),
    }));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => LoyaltyRewardRedeemPayload, {
    description:
      'Redeems a reward: spends its points cost and records the redemption in one transaction (INSUFFICIENT_POINTS, OUT_OF_STOCK, VALIDATION when inactive). Idempotent per key.',
  })
  loyaltyRewardRedeem(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => LoyaltyRewardRedeemInput) input: LoyaltyRewardRedeemInput,
    @Ctx() ctx: Context,
  ): Promise<LoyaltyRewardRedeemPayload> {
    return payload(async () => {
      const id = customerIdOf(customerId);
      const rewardId = decodeId(input.rewardId, 'Reward', ['input', 'rewardId']);
      return ctx.services.loyalty.redeemReward(actorOf(ctx), id, { rewardId, idempotencyKey: input.idempotencyKey });
    });
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => LoyaltyPointsExpirePayload, {
    description:
      'Expires points earned 12 months or more ago that are still unspent (MANAGER/ADMIN). Safe to run repeatedly and concurrently; a second run finds nothing.',
  })
  loyaltyPointsExpire(
    @Arg('input', () => LoyaltyBatchInput, { nullable: true }) input: LoyaltyBatchInput | null,
    @Ctx() ctx: Context,
  ): Promise<LoyaltyPointsExpirePayload> {
    return payload(async () => {
      const customerId = input?.customerId ? decodeId(input.customerId, 'Customer', ['input', 'customerId']) : null;
      const result = await ctx.services.loyalty.expire(actorOf(ctx), { asOf: input?.asOf ?? null, customerId });
      return { asOf: result.asOf, accountsAffected: result.accounts, pointsExpired: result.points };
    });
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => LoyaltyTierReviewPayload, {
    description:
      'Tier review (MANAGER/ADMIN): sets each tier to what the qualifying points earn, the only automatic way down.',
  })
  loyaltyTierReview(
    @Arg('input', () => LoyaltyBatchInput, { nullable: true }) input: LoyaltyBatchInput | null,
    @Ctx() ctx: Context,
  ): Promise<LoyaltyTierReviewPayload> {
    return payload(async () => {
      const customerId = input?.customerId ? decodeId(input.customerId, 'Customer', ['input', 'customerId']) : null;
      const result = await ctx.services.loyalty.reviewTiers(actorOf(ctx), { asOf: input?.asOf ?? null, customerId });
      return {
        asOf: result.asOf,
        accountsReviewed: result.reviewed,
        upgraded: result.upgraded,
        downgraded: result.downgraded,
      };
    });
  }
}

@Resolver(() => Customer)
export class CustomerLoyaltyResolver {
  @FieldResolver(() => LoyaltyAccount, { nullable: true, description: 'The loyalty account opened with the customer.' })
  loyalty(@Root() c: CustomerRow, @Ctx() ctx: Context) {
    return ctx.loaders.loyaltyByCustomerId.load(c.id);
  }
}

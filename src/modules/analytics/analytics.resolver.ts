import {
  Arg,
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
import type { Customer as CustomerRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { decodeId } from '../../graphql/relay';
import { Customer } from '../customer/customer.type';
import { CustomerAnalyticsType } from './analytics.type';
import { DateTimeScalar } from '../../graphql/scalars';
import type { Granularity } from './analytics.overview';
import { AnalyticsOverview, CohortRow, GranularityEnum } from './analytics.overview.type';

@ObjectType({ description: 'Result of analyticsRecalculate.' })
class AnalyticsRecalculatePayload extends Payload {
  @Field(() => Int, { nullable: true, description: 'Customers whose snapshot was written.' }) customers?: number | null;
}

@ObjectType({ description: 'Result of customerAnalyticsRecalculate.' })
class CustomerAnalyticsRecalculatePayload extends Payload {
  @Field(() => CustomerAnalyticsType, { nullable: true }) analytics?: unknown;
}

@Resolver(() => Customer)
export class CustomerAnalyticsResolver {
  @FieldResolver(() => CustomerAnalyticsType, {
    nullable: true,
    description: 'Purchase and engagement figures from the stored snapshot (computed live when none is stored yet).',
  })
  analytics(@Root() c: CustomerRow, @Ctx() ctx: Context) {
    return ctx.loaders.analyticsByCustomerId.load(c.id);
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => AnalyticsRecalculatePayload, {
    description: 'Recomputes the analytics snapshot of every customer in one set-based statement (MANAGER/ADMIN).',
  })
  analyticsRecalculate(@Ctx() ctx: Context): Promise<AnalyticsRecalculatePayload> {
    return payload(async () => ({ customers: await ctx.services.analytics.recalculateAll(actorOf(ctx)) }));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => CustomerAnalyticsRecalculatePayload, {
    description: "Recomputes one customer's analytics now and stores them.",
  })
  customerAnalyticsRecalculate(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() ctx: Context,
  ): Promise<CustomerAnalyticsRecalculatePayload> {
    return payload(async () => ({
      analytics: await ctx.services.analytics.recalculateOne(
        actorOf(ctx),
        decodeId(customerId, 'Customer', ['customerId']),
      ),
    }));
  }
}

@Resolver()
export class AnalyticsOverviewResolver {
  @Query(() => AnalyticsOverview, {
    description:
      'Counts by status, type, tier, segment and lifecycle stage; new customers, revenue and loyalty points per period over a range (at most 400 periods).',
  })
  analyticsOverview(
    @Arg('from', () => DateTimeScalar) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @Arg('granularity', () => GranularityEnum, { defaultValue: 'MONTH' }) granularity: Granularity,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.overview.overview(actorOf(ctx), from, to, granularity);
  }

  @Query(() => [CohortRow], {
    description:
      'Retention matrix: customers by signup month (from `from`, for `months` months, at most 36) and the share active in each later month.',
  })
  cohortRetention(
    @Arg('from', () => DateTimeScalar) from: Date,
    @Arg('months', () => Int, { defaultValue: 12 }) months: number,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.overview.cohorts(actorOf(ctx), from, months);
  }
}

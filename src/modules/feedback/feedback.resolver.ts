import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { WRITER_ROLES } from '../../auth/actor';
import type { Feedback as FeedbackRow, Order as OrderRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, decodeId, fromGlobalId, toConnection, toGlobalId } from '../../graphql/relay';
import { DateTimeScalar } from '../../graphql/scalars';
import { Customer } from '../customer/customer.type';
import { Order } from '../order/order.type';
import { FeedbackFilter, FeedbackStatusChangeInput, FeedbackSubmitInput } from './feedback.input';
import { feedbackWindowClosesAt } from './feedback.rules';
import type { FeedbackListFilter } from './feedback.service';
import { Feedback } from './feedback.type';

export const FeedbackConnection = connectionOf(Feedback, 'Feedback');

@ObjectType({ description: 'Result of a mutation on one feedback.' })
class FeedbackPayload extends Payload {
  @Field(() => Feedback, { nullable: true }) feedback?: unknown;
}

const NO_MATCH = '00000000-0000-0000-0000-000000000000';

function listFilter(filter: FeedbackFilter | null): FeedbackListFilter | null {
  if (!filter) return null;
  // An unknown or malformed customer ID matches nothing, as in the customer list.
  const customerId = filter.customerId == null ? null : (fromGlobalId(filter.customerId, 'Customer')?.id ?? NO_MATCH);
  return { ...filter, customerId };
}

@Resolver(() => Feedback)
export class FeedbackResolver {
  @FieldResolver(() => ID)
  id(@Root() f: FeedbackRow): string {
    return toGlobalId('Feedback', f.id);
  }

  @FieldResolver(() => Order, { description: 'The order rated.' })
  order(@Root() f: FeedbackRow, @Ctx() ctx: Context) {
    return ctx.loaders.orderById.load(f.orderId);
  }

  @FieldResolver(() => Customer, { description: 'The customer who gave the feedback.' })
  customer(@Root() f: FeedbackRow, @Ctx() ctx: Context) {
    return ctx.loaders.customerById.load(f.customerId);
  }

  @Query(() => FeedbackConnection, {
    description:
      'Feedback, newest first, filtered by status, rating, time given and customer (agents see their own customers only).',
  })
  async feedback(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => FeedbackFilter, { nullable: true }) filter: FeedbackFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await ctx.services.feedback.list(actorOf(ctx), listFilter(filter), page));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => FeedbackPayload, {
    description:
      "Records a customer's feedback on their order: rating 1–5, one per order, within 7 days of delivery (or of the order when not delivered). Staff are notified.",
  })
  feedbackSubmit(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('input', () => FeedbackSubmitInput) input: FeedbackSubmitInput,
    @Ctx() ctx: Context,
  ): Promise<FeedbackPayload> {
    return payload(async () => {
      const order = decodeId(orderId, 'Order', ['orderId']);
      const customerId = decodeId(input.customerId, 'Customer', ['input', 'customerId']);
      return { feedback: await ctx.services.feedback.submit(actorOf(ctx), order, { ...input, customerId }) };
    });
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => FeedbackPayload, {
    description: 'Moves a feedback along PENDING → REVIEWED → RESOLVED, or to REJECTED from PENDING or REVIEWED.',
  })
  feedbackChangeStatus(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => FeedbackStatusChangeInput) input: FeedbackStatusChangeInput,
    @Ctx() ctx: Context,
  ): Promise<FeedbackPayload> {
    return payload(async () => ({
      feedback: await ctx.services.feedback.changeStatus(actorOf(ctx), decodeId(id, 'Feedback', ['id']), input.status),
    }));
  }
}

/** Order.feedback and its window, batched per request. */
@Resolver(() => Order)
export class OrderFeedbackResolver {
  @FieldResolver(() => Feedback, { nullable: true, description: 'The feedback given on this order, if any.' })
  feedback(@Root() o: OrderRow, @Ctx() ctx: Context) {
    return ctx.loaders.feedbackByOrderId.load(o.id);
  }

  @FieldResolver(() => DateTimeScalar, {
    description: 'Feedback is accepted until this time: 7 days after delivery, or after placement when not delivered.',
  })
  feedbackWindowClosesAt(@Root() o: OrderRow): Date {
    return feedbackWindowClosesAt(o);
  }
}

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
import { ownerScope, WRITER_ROLES } from '../../auth/actor';
import type { Customer as CustomerRow, Order as OrderRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, decodeId, fromGlobalId, toConnection, toGlobalId } from '../../graphql/relay';
import { pageSize } from '../../shared/pagination';
import { Customer } from '../customer/customer.type';
import { OrderRecordInput, OrderStatusChangeInput } from './order.input';
import { parseOrderCursor } from './order.loaders';
import { Order } from './order.type';

export const OrderConnection = connectionOf(Order, 'Order');

@ObjectType({ description: 'Result of a mutation on one order.' })
class OrderPayload extends Payload {
  @Field(() => Order, { nullable: true }) order?: unknown;
}

/** An order the actor may see (its customer is visible), or null. */
export async function visibleOrder(ctx: Context, id: string): Promise<OrderRow | null> {
  const order = await ctx.loaders.orderById.load(id);
  if (!order) return null;
  const customer = await ctx.loaders.customerById.load(order.customerId);
  const scope = ownerScope(actorOf(ctx));
  return customer && (!scope || customer.ownerId === scope) ? order : null;
}

@Resolver(() => Order)
export class OrderResolver {
  @FieldResolver(() => ID)
  id(@Root() o: OrderRow): string {
    return toGlobalId('Order', o.id);
  }

  @FieldResolver(() => Customer, { description: 'The customer who placed the order.' })
  customer(@Root() o: OrderRow, @Ctx() ctx: Context) {
    return ctx.loaders.customerById.load(o.customerId);
  }

  @Query(() => Order, {
    nullable: true,
    description: 'An order by global ID; null when unknown or its customer is not visible to you.',
  })
  order(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const decoded = fromGlobalId(id, 'Order');
    return decoded ? visibleOrder(ctx, decoded.id) : null;
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => OrderPayload, {
    description:
      'Records an order of a customer (number unique). One recorded as COMPLETED earns its points and counts as spend at once.',
  })
  orderRecord(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => OrderRecordInput) input: OrderRecordInput,
    @Ctx() ctx: Context,
  ): Promise<OrderPayload> {
    return payload(async () => ({
      order: await ctx.services.orders.record(actorOf(ctx), decodeId(customerId, 'Customer', ['customerId']), input),
    }));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => OrderPayload, {
    description:
      "Moves an order along PENDING → PAID → SHIPPED → DELIVERED → COMPLETED (or CANCELLED / REFUNDED). Completion earns the points (1 per whole currency unit) and updates the customer's spend exactly once.",
  })
  orderChangeStatus(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => OrderStatusChangeInput) input: OrderStatusChangeInput,
    @Ctx() ctx: Context,
  ): Promise<OrderPayload> {
    return payload(async () => ({
      order: await ctx.services.orders.changeStatus(actorOf(ctx), decodeId(id, 'Order', ['id']), input),
    }));
  }
}

/** Customer.orders, batched per request for all customers of a list. */
@Resolver(() => Customer)
export class CustomerOrdersResolver {
  @FieldResolver(() => OrderConnection, { description: "The customer's orders, newest (by placedAt) first." })
  async orders(@Root() c: CustomerRow, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: Context) {
    const first = pageSize(page);
    const after = page.after ? parseOrderCursor(page.after) : null;
    return toConnection(await ctx.loaders.ordersPageByCustomer.load({ customerId: c.id, first, after }));
  }
}

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
import type {
  Customer as CustomerRow,
  Notification as NotificationRow,
  WebhookDeliveryAttempt,
  WebhookSubscription as WebhookSubscriptionRow,
} from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, decodeId, fromGlobalId, toConnection, toGlobalId } from '../../graphql/relay';
import { DateTimeScalar, JSONScalar } from '../../graphql/scalars';
import { pageSize } from '../../shared/pagination';
import { Customer } from '../customer/customer.type';
import {
  NotificationFilter,
  WebhookDeliveryFilter,
  WebhookSubscriptionCreateInput,
  WebhookSubscriptionUpdateInput,
} from './notification.input';
import { parseNotificationCursor } from './notification.loaders';
import { Notification, WebhookDelivery, WebhookSubscription } from './notification.type';

export const NotificationConnection = connectionOf(Notification, 'Notification');
export const WebhookSubscriptionConnection = connectionOf(WebhookSubscription, 'WebhookSubscription');
export const WebhookDeliveryConnection = connectionOf(WebhookDelivery, 'WebhookDelivery');

const ADMIN = ['ADMIN'];
/** An unknown or malformed ID in a filter matches nothing, as in the other lists. */
const NO_MATCH = '00000000-0000-0000-0000-000000000000';
const filterId = (id: string | null | undefined, type: 'Customer' | 'Notification' | 'WebhookSubscription') =>
  id == null ? null : (fromGlobalId(id, type)?.id ?? NO_MATCH);

@ObjectType({ description: 'Result of webhookSubscriptionCreate and webhookSubscriptionUpdate.' })
class WebhookSubscriptionPayload extends Payload {
  @Field(() => WebhookSubscription, { nullable: true }) subscription?: unknown;
  @Field(() => String, {
    nullable: true,
    description:
      'The signing secret: returned only when it is made (creation, rotateSecret). Store it; it is never shown again.',
  })
  secret?: string | null;
}

@ObjectType({ description: 'Result of webhookSubscriptionDelete.' })
class WebhookSubscriptionDeletePayload extends Payload {
  @Field(() => ID, { nullable: true }) deletedSubscriptionId?: string;
}

@Resolver(() => Notification)
export class NotificationResolver {
  @FieldResolver(() => ID)
  id(@Root() n: NotificationRow): string {
    return toGlobalId('Notification', n.id);
  }

  @FieldResolver(() => Customer, {
    nullable: true,
    description: 'The customer addressed; null for staff notifications.',
  })
  customer(@Root() n: NotificationRow, @Ctx() ctx: Context) {
    return n.customerId ? ctx.loaders.customerById.load(n.customerId) : null;
  }

  @FieldResolver(() => JSONScalar, {
    description: 'What the notification says (numbers, statuses…); analysts see only its non-personal keys.',
  })
  payload(@Root() n: NotificationRow): unknown {
    return n.payload;
  }

  @FieldResolver(() => DateTimeScalar, {
    nullable: true,
    description: 'When the next delivery attempt is due; null when final.',
  })
  nextAttemptAt(@Root() n: NotificationRow): Date | null {
    return n.status === 'PENDING' || n.status === 'FAILED' ? n.nextAttemptAt : null;
  }

  @Query(() => NotificationConnection, {
    description:
      'The notification outbox, newest first, filtered by status, type, channel, customer and time written (agents: their own customers only; analysts: payloads masked).',
  })
  async notifications(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => NotificationFilter, { nullable: true }) filter: NotificationFilter | null,
    @Ctx() ctx: Context,
  ) {
    const f = filter ? { ...filter, customerId: filterId(filter.customerId, 'Customer') } : null;
    return toConnection(await ctx.services.notifications.list(actorOf(ctx), f, page));
  }
}

@Resolver(() => WebhookSubscription)
export class WebhookSubscriptionResolver {
  @FieldResolver(() => ID)
  id(@Root() s: WebhookSubscriptionRow): string {
    return toGlobalId('WebhookSubscription', s.id);
  }

  @Authorized(ADMIN)
  @Query(() => WebhookSubscriptionConnection, { description: 'Webhook subscriptions, newest first (ADMIN).' })
  async webhookSubscriptions(@Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: Context) {
    return toConnection(await ctx.services.webhooks.list(page));
  }

  @Authorized(ADMIN)
  @Query(() => WebhookDeliveryConnection, {
    description: 'The webhook delivery log: every POST with its outcome, newest first (ADMIN).',
  })
  async webhookDeliveries(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => WebhookDeliveryFilter, { nullable: true }) filter: WebhookDeliveryFilter | null,
    @Ctx() ctx: Context,
  ) {
    const f = filter
      ? {
          outcome: filter.outcome,
          subscriptionId: filterId(filter.subscriptionId, 'WebhookSubscription'),
          notificationId: filterId(filter.notificationId, 'Notification'),
        }
      : null;
    return toConnection(await ctx.services.notifications.deliveries(f, page));
  }

  @Authorized(ADMIN)
  @Mutation(() => WebhookSubscriptionPayload, {
    description:
      'Subscribes a URL to notification types. Each delivery is a signed JSON POST (docs/notifications.md); the secret is returned once.',
  })
  webhookSubscriptionCreate(
    @Arg('input', () => WebhookSubscriptionCreateInput) input: WebhookSubscriptionCreateInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookSubscriptionPayload> {
    return payload(() => ctx.services.webhooks.create(actorOf(ctx), input));
  }

  @Authorized(ADMIN)
  @Mutation(() => WebhookSubscriptionPayload, {
    description: 'Changes a webhook subscription: URL, types, description, active; rotateSecret makes a new secret.',
  })
  webhookSubscriptionUpdate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => WebhookSubscriptionUpdateInput) input: WebhookSubscriptionUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookSubscriptionPayload> {
    return payload(() =>
      ctx.services.webhooks.update(actorOf(ctx), decodeId(id, 'WebhookSubscription', ['id']), input),
    );
  }

  @Authorized(ADMIN)
  @Mutation(() => WebhookSubscriptionDeletePayload, {
    description: 'Removes a webhook subscription with its queued deliveries and its delivery log.',
  })
  webhookSubscriptionDelete(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
  ): Promise<WebhookSubscriptionDeletePayload> {
    return payload(async () => {
      await ctx.services.webhooks.delete(actorOf(ctx), decodeId(id, 'WebhookSubscription', ['id']));
      return { deletedSubscriptionId: id };
    });
  }
}

type DeliveryRow = WebhookDeliveryAttempt & { delivery: { notificationId: string } };

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => WebhookSubscription, { description: 'The subscription POSTed to.' })
  subscription(@Root() d: DeliveryRow, @Ctx() ctx: Context) {
    return ctx.loaders.webhookSubscriptionById.load(d.subscriptionId);
  }

  @FieldResolver(() => Notification, { description: 'The notification delivered.' })
  notification(@Root() d: DeliveryRow, @Ctx() ctx: Context) {
    return ctx.loaders.notificationById.load(d.delivery.notificationId);
  }
}

/** Customer.notifications, batched per request for all customers of a list. */
@Resolver(() => Customer)
export class CustomerNotificationsResolver {
  @FieldResolver(() => NotificationConnection, { description: 'Notifications to the customer, newest first.' })
  async notifications(@Root() c: CustomerRow, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: Context) {
    const first = pageSize(page);
    const after = page.after ? parseNotificationCursor(page.after) : null;
    return toConnection(await ctx.loaders.notificationsPageByCustomer.load({ customerId: c.id, first, after }));
  }
}

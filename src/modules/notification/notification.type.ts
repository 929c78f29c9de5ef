import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ContactChannel, NotificationStatus, NotificationType } from '../../generated/prisma/enums';
import { Node } from '../../graphql/relay';
import { DateTimeScalar } from '../../graphql/scalars';

registerEnumType(NotificationType, { name: 'NotificationType', description: 'What a notification is about.' });
registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  description:
    'PENDING (due at nextAttemptAt) → SENDING (claimed by a dispatcher) → SENT; FAILED: an attempt failed and it is retried at nextAttemptAt; DEAD: dead-lettered after the last attempt; SKIPPED: nothing to send by the rules (no consent, no address, a channel not sent electronically, an inactive webhook).',
});

/** Fields read from the row; id, customer and payload (masked for analysts) live in notification.resolver.ts. */
@ObjectType({
  implements: Node,
  description:
    'A notification of the outbox: written with the change that caused it, delivered to the customer (e-mail/SMS) and to webhook subscriptions.',
})
export class Notification extends Node {
  @Field(() => NotificationType) type!: NotificationType;
  @Field(() => ContactChannel, {
    nullable: true,
    description: "The channel chosen when it was written; null: the customer's preferred channel at delivery.",
  })
  channel!: ContactChannel | null;
  @Field(() => NotificationStatus) status!: NotificationStatus;
  @Field(() => Int, { description: 'Delivery attempts of the message so far.' }) attempts!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the message was delivered.' }) sentAt!: Date | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why the last attempt failed, or why nothing was sent (SKIPPED).',
  })
  lastError!: string | null;
}

@ObjectType({
  implements: Node,
  description:
    'An HTTPS endpoint that receives notifications of the chosen types as signed JSON POSTs (docs/notifications.md).',
})
export class WebhookSubscription extends Node {
  @Field(() => String, { description: 'Where deliveries are POSTed.' }) url!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [NotificationType], { description: 'Notification types delivered to it.' })
  eventTypes!: NotificationType[];
  @Field(() => Boolean, { description: 'Inactive subscriptions receive nothing; their queued deliveries are skipped.' })
  active!: boolean;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType({ description: 'One POST of a notification to a webhook subscription (the delivery log).' })
export class WebhookDelivery {
  @Field(() => Int, { description: 'Attempt number of this notification to this subscription, from 1.' })
  attempt!: number;
  @Field(() => NotificationStatus, {
    description: 'SENT; FAILED (will be retried); DEAD (failed, and it was the last attempt).',
  })
  outcome!: NotificationStatus;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the answer; null when none came.' })
  statusCode!: number | null;
  @Field(() => String, { nullable: true, description: 'Why it failed (HTTP status, timeout, connection error).' })
  error!: string | null;
  @Field(() => Int, { description: 'Time from sending to the answer (or the failure), in milliseconds.' })
  durationMs!: number;
  @Field(() => DateTimeScalar) attemptedAt!: Date;
}

import { Field, ID, InputType } from 'type-graphql';
import { ContactChannel, NotificationStatus, NotificationType } from '../../generated/prisma/enums';
import { DateTimeScalar } from '../../graphql/scalars';

@InputType({ description: 'Filters of the notification outbox; all given conditions must hold.' })
export class NotificationFilter {
  @Field(() => [NotificationStatus], { nullable: true }) status?: NotificationStatus[] | null;
  @Field(() => [NotificationType], { nullable: true }) type?: NotificationType[] | null;
  @Field(() => [ContactChannel], { nullable: true, description: 'The channel stored on the notification.' })
  channel?: ContactChannel[] | null;
  @Field(() => ID, { nullable: true, description: 'Global ID of a customer.' }) customerId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Written at or after this time.' })
  createdAfter?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Written before this time.' })
  createdBefore?: Date | null;
}

@InputType({ description: 'A new webhook subscription.' })
export class WebhookSubscriptionCreateInput {
  @Field(() => String, { description: 'Absolute http(s) URL without credentials, up to 2,000 characters.' })
  url!: string;
  @Field(() => [NotificationType], { description: 'The notification types to deliver (at least one).' })
  eventTypes!: NotificationType[];
  @Field(() => String, { nullable: true, description: 'Up to 200 characters.' }) description?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Default true.' }) active?: boolean | null;
}

@InputType({ description: 'Changes to a webhook subscription; fields left out stay as they are.' })
export class WebhookSubscriptionUpdateInput {
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => [NotificationType], { nullable: true }) eventTypes?: NotificationType[] | null;
  @Field(() => String, { nullable: true, description: 'Up to 200 characters; empty clears it.' })
  description?: string | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Replace the signing secret; the new one is returned once in the payload.',
  })
  rotateSecret?: boolean | null;
}

@InputType({ description: 'Filters of the webhook delivery log; all given conditions must hold.' })
export class WebhookDeliveryFilter {
  @Field(() => ID, { nullable: true, description: 'Global ID of a webhook subscription.' })
  subscriptionId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Global ID of a notification.' }) notificationId?: string | null;
  @Field(() => [NotificationStatus], { nullable: true, description: 'Outcomes: SENT, FAILED, DEAD.' })
  outcome?: NotificationStatus[] | null;
}

import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar, JSONScalar } from '../../graphql/scalars';

@ObjectType({ description: 'Something a customer did (page view, purchase step, app login…), as tracked.' })
export class CustomerEvent {
  @Field(() => String, {
    description: 'Server id of the stored event (empty for a duplicate that was not stored again).',
  })
  id!: string;
  @Field(() => String, { nullable: true, description: 'The client-supplied event id that makes retries idempotent.' })
  eventId!: string | null;
  @Field(() => String, { description: 'Event type, e.g. "product_view".' }) type!: string;
  @Field(() => JSONScalar, { nullable: true, description: 'Event properties as sent.' }) properties!: unknown;
  @Field(() => DateTimeScalar) occurredAt!: Date;
  @Field(() => String, { nullable: true }) sessionId!: string | null;
  @Field(() => JSONScalar, { nullable: true, description: 'Device information as sent.' }) device!: unknown;
}

import { Field, ID, InputType } from 'type-graphql';
import { DateTimeScalar, JSONScalar } from '../../graphql/scalars';

@InputType({ description: 'The customer an event belongs to: exactly one of id, customerNumber, email.' })
export class EventCustomerInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field(() => String, { nullable: true, description: 'E.g. "C-000123".' }) customerNumber?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
}

@InputType({ description: 'The device an event came from (each part at most 500 characters).' })
export class EventDeviceInput {
  @Field(() => String, { nullable: true, description: 'E.g. "mobile", "desktop", "pos".' }) kind?: string | null;
  @Field(() => String, { nullable: true }) os?: string | null;
  @Field(() => String, { nullable: true }) browser?: string | null;
  @Field(() => String, { nullable: true }) model?: string | null;
  @Field(() => String, { nullable: true }) appVersion?: string | null;
  @Field(() => String, { nullable: true }) userAgent?: string | null;
}

@InputType({ description: 'One customer event to track.' })
export class EventTrackInput {
  @Field(() => String, {
    nullable: true,
    description: 'Client-chosen unique id (1–100 characters): sending it again is a no-op reported as duplicate.',
  })
  eventId?: string | null;
  @Field(() => String, { description: '1–64 letters, digits or _ . : -' }) type!: string;
  @Field(() => EventCustomerInput) customer!: EventCustomerInput;
  @Field(() => JSONScalar, { nullable: true, description: 'A JSON object, at most 8 KB and 5 levels deep.' })
  properties?: unknown;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it happened (default: now); at most 5 minutes in the future.',
  })
  occurredAt?: Date | null;
  @Field(() => String, { nullable: true }) sessionId?: string | null;
  @Field(() => EventDeviceInput, { nullable: true }) device?: EventDeviceInput | null;
}

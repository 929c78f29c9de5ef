import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ConsentKind } from '../../generated/prisma/enums';
import { connectionOf } from '../../graphql/relay';
import { DateTimeScalar } from '../../graphql/scalars';
import { StaffUser } from '../staff/staff.type';

registerEnumType(ConsentKind, {
  name: 'ConsentKind',
  description: 'DATA_PROCESSING (required to be processed at all) or MARKETING (optional).',
});

/** A consent_changes row as the loaders read it. */
export interface ConsentChangeRow {
  id: string;
  customerId: string;
  kind: ConsentKind;
  granted: boolean;
  actorId: string | null;
  source: string | null;
  reason: string | null;
  changedAt: Date;
}

@ObjectType({
  description: 'One change of one consent flag of a customer: who changed it, when, from what to what, and why.',
})
export class ConsentChange {
  @Field(() => ID, { description: 'Identifies the change (not a Node: refetch it through its customer).' })
  id!: string;
  @Field(() => ConsentKind) kind!: ConsentKind;
  @Field(() => Boolean, {
    description: 'The flag before the change (a change is recorded only when the flag changes).',
  })
  from!: boolean;
  @Field(() => Boolean, { description: 'The flag after the change.' }) to!: boolean;
  @Field(() => StaffUser, {
    nullable: true,
    description: 'The staff member who recorded it (null: unknown or removed).',
  })
  changedBy!: unknown;
  @Field(() => DateTimeScalar) changedAt!: Date;
  @Field(() => String, {
    nullable: true,
    description: 'Where the customer expressed it, e.g. "customerCreate", "phone call", "web form".',
  })
  source!: string | null;
  @Field(() => String, { nullable: true, description: 'Why, as recorded; masked for analysts.' }) reason!:
    | string
    | null;
}

export const ConsentChangeConnection = connectionOf(ConsentChange, 'ConsentChange');

import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar, LocalDateScalar } from '../../graphql/scalars';

@ObjectType({
  description:
    "One premium instalment of a policy: when it was due, how much (in the policy's currency) and when it was paid. " +
    'Late when paid after its due date, or unpaid past it; late instalments lower the risk score.',
})
export class PolicyPremiumPayment {
  @Field(() => LocalDateScalar, { description: 'When the instalment was due.' }) dueOn!: string;
  @Field(() => DecimalScalar, { description: "The amount due, in the policy's currency." }) amount!: unknown;
  @Field(() => LocalDateScalar, { nullable: true, description: 'When it was paid; null while unpaid.' })
  paidOn!: string | null;
  @Field(() => Boolean, { description: 'Paid after the due date, or unpaid and past it (as of today, UTC).' })
  late!: boolean;
  @Field(() => Int, {
    description: 'Days after the due date it was paid (or, unpaid, that have passed); 0 when on time.',
  })
  daysLate!: number;
  @Field(() => DateTimeScalar, { description: 'When the instalment was first recorded.' }) createdAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When it last changed (e.g. the payment was recorded).' })
  updatedAt!: Date;
}

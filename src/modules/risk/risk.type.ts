import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars';

@ObjectType({ description: 'The inputs a risk score was computed from, as they were at that time.' })
export class RiskFactors {
  @Field(() => Int, {
    nullable: true,
    description: 'Age in whole years; null when the birth date is unknown (no age adjustment).',
  })
  age!: number | null;
  @Field(() => Int, { description: "Claims on the customer's policies, except REJECTED ones." }) claims!: number;
  @Field(() => Int, {
    description:
      "Premium instalments of the customer's policies paid after their due date, or unpaid past it (Policy.premiumPayments).",
  })
  latePayments!: number;
  @Field(() => Int, { description: 'Full years since the customer was created.' }) yearsAsCustomer!: number;
}

@ObjectType({
  description:
    'Risk score 300–850: base 700; age < 25: −50; age > 50: +30; −25 per claim; −15 per late payment; +10 per full year as a customer (up to +50); clamped. Stored when recomputed.',
})
export class RiskScore {
  @Field(() => Int) score!: number;
  @Field(() => DateTimeScalar, { description: 'When it was computed.' }) computedAt!: Date;
  @Field(() => RiskFactors) factors!: RiskFactors;
}

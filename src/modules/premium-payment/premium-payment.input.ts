import { Field, InputType } from 'type-graphql';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { DecimalScalar, LocalDateScalar } from '../../graphql/scalars';

@InputType({
  description:
    'An instalment due on `dueOn` (within the policy term) and, when given, the date it was paid. Recording the same due date again records its payment.',
})
export class PolicyPremiumPaymentRecordInput {
  @Field(() => LocalDateScalar, { description: "Due date, within the policy's term." }) dueOn!: string;
  @Field(() => DecimalScalar, {
    description: "Amount due in the policy's currency: > 0, 2 decimals; must match an instalment already recorded.",
  })
  amount!: Decimal;
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'When it was paid (not in the future); omit while unpaid.',
  })
  paidOn?: string | null;
}

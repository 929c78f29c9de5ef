import { Field, InputType } from 'type-graphql';
import { ClaimStatus } from '../../generated/prisma/enums';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { DecimalScalar, LocalDateScalar } from '../../graphql/scalars';

@InputType({ description: 'A new claim against an ACTIVE policy.' })
export class ClaimFileInput {
  @Field(() => DecimalScalar, { description: "Greater than 0 and at most the policy's coverage amount, 2 decimals." })
  amount!: Decimal;
  @Field(() => String, { nullable: true, description: 'Up to 2000 characters.' }) description?: string | null;
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: "When the insured event happened: within the policy's term and not in the future.",
  })
  incidentDate?: string | null;
}

@InputType({
  description: 'A status change of a claim, following FILED → IN_REVIEW → APPROVED/REJECTED, APPROVED → PAID.',
})
export class ClaimTransitionInput {
  @Field(() => ClaimStatus) status!: ClaimStatus;
  @Field(() => String, {
    nullable: true,
    description: 'Why (up to 2000 characters); kept as the claim\u2019s statusNote.',
  })
  note?: string | null;
}

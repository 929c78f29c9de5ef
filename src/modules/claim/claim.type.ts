import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ClaimStatus } from '../../generated/prisma/enums';
import { Node } from '../../graphql/relay';
import { DateTimeScalar, DecimalScalar, LocalDateScalar } from '../../graphql/scalars';

registerEnumType(ClaimStatus, {
  name: 'ClaimStatus',
  description: 'FILED → IN_REVIEW → APPROVED or REJECTED; APPROVED → PAID. REJECTED and PAID are final.',
});

/** Row fields as they are; id, claimNumber, incidentDate, currency and policy are resolved in claim.resolver.ts. */
@ObjectType({ implements: Node, description: "A claim against a policy; its amount is in the policy's currency." })
export class Claim extends Node {
  @Field(() => String, { description: 'Unique, e.g. "CLM-000001".' }) claimNumber!: string;
  @Field(() => DecimalScalar, {
    description: "Amount claimed, in the policy's currency; at most the policy's coverage amount.",
  })
  amount!: unknown;
  @Field(() => ClaimStatus) status!: ClaimStatus;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'When the insured event happened, if known.' })
  incidentDate!: string | null;
  @Field(() => String, { nullable: true, description: 'Note given with the latest status change.' }) statusNote!:
    | string
    | null;
  @Field(() => DateTimeScalar, { description: 'When the claim was filed.' }) filedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was APPROVED or REJECTED.' })
  decidedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was PAID.' }) paidAt!: Date | null;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

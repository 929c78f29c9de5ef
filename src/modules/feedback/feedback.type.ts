import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FeedbackStatus } from '../../generated/prisma/enums';
import { Node } from '../../graphql/relay';
import { DateTimeScalar } from '../../graphql/scalars';

registerEnumType(FeedbackStatus, {
  name: 'FeedbackStatus',
  description: 'PENDING → REVIEWED → RESOLVED; REJECTED from PENDING or REVIEWED. RESOLVED and REJECTED are final.',
});

/** Fields read from the row; id, order and customer live in feedback.resolver.ts. */
@ObjectType({ implements: Node, description: "A customer's rating of one order, reviewed by staff." })
export class Feedback extends Node {
  @Field(() => Int, { description: '1 (worst) to 5 (best).' }) rating!: number;
  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => FeedbackStatus) status!: FeedbackStatus;
  @Field(() => DateTimeScalar, { description: 'When the feedback was given.' }) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

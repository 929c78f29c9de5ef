import { Field, ID, InputType, Int } from 'type-graphql';
import { FeedbackStatus } from '../../generated/prisma/enums';
import { DateTimeScalar } from '../../graphql/scalars';

@InputType({ description: "A customer's feedback on one of their orders." })
export class FeedbackSubmitInput {
  @Field(() => ID, { description: 'Global ID of the customer giving it; must be the customer of the order.' })
  customerId!: string;
  @Field(() => Int, { description: '1 (worst) to 5 (best).' }) rating!: number;
  @Field(() => String, { nullable: true, description: 'Up to 2,000 characters.' }) comment?: string | null;
}

@InputType({ description: 'A review step of a feedback.' })
export class FeedbackStatusChangeInput {
  @Field(() => FeedbackStatus, { description: 'The new status; setting the current status again changes nothing.' })
  status!: FeedbackStatus;
}

@InputType({ description: 'Filters of the feedback list; all given conditions must hold.' })
export class FeedbackFilter {
  @Field(() => [FeedbackStatus], { nullable: true }) status?: FeedbackStatus[] | null;
  @Field(() => Int, { nullable: true, description: 'Lowest rating, 1–5.' }) ratingMin?: number | null;
  @Field(() => Int, { nullable: true, description: 'Highest rating, 1–5.' }) ratingMax?: number | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Given at or after this time.' }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Given before this time.' }) to?: Date | null;
  @Field(() => ID, { nullable: true, description: 'Global ID of a customer.' }) customerId?: string | null;
}

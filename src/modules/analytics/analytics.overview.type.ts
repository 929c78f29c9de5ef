import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../../graphql/scalars';

export const GranularityEnum = { DAY: 'DAY', WEEK: 'WEEK', MONTH: 'MONTH' } as const;
registerEnumType(GranularityEnum, {
  name: 'AnalyticsGranularity',
  description: 'Length of the periods of a series (UTC calendar days, ISO weeks, months).',
});

@ObjectType({ description: 'How many visible customers have one value of a dimension.' })
export class AnalyticsCount {
  @Field(() => String, { description: 'STATUS, TYPE, TIER, SEGMENT (by name) or LIFECYCLE_STAGE.' }) dimension!: string;
  @Field(() => String) key!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Figures of one period.' })
export class AnalyticsPeriod {
  @Field(() => DateTimeScalar, { description: 'Start of the period (UTC).' }) start!: Date;
  @Field(() => Int) newCustomers!: number;
  @Field(() => Int, { description: 'Completed orders placed in the period.' }) orders!: number;
  @Field(() => DecimalScalar, { description: 'Total of those orders.' }) revenue!: unknown;
  @Field(() => Int) pointsEarned!: number;
  @Field(() => Int) pointsRedeemed!: number;
  @Field(() => Int) pointsExpired!: number;
}

@ObjectType({ description: 'Counts and series over the customers you may see (agents: their own).' })
export class AnalyticsOverview {
  @Field(() => [AnalyticsCount], {
    description: 'Counts by status, type, loyalty tier (the tier distribution), segment and lifecycle stage.',
  })
  counts!: AnalyticsCount[];
  @Field(() => [AnalyticsPeriod], { description: 'One entry per period of the range, oldest first.' })
  periods!: AnalyticsPeriod[];
  @Field(() => Int, { description: 'Loyalty accounts.' }) loyaltyMembers!: number;
  @Field(() => Int, { description: 'Loyalty accounts with a points movement in the range.' })
  activeLoyaltyMembers!: number;
}

@ObjectType({ description: 'One signup-month cohort and its activity in each month since.' })
export class CohortRow {
  @Field(() => String, { description: 'Signup month, YYYY-MM.' }) cohort!: string;
  @Field(() => Int, { description: 'Customers who signed up that month.' }) size!: number;
  @Field(() => [Int], {
    description: 'Active customers (a completed order or an event) in month 0, 1, 2… after signup, up to now.',
  })
  active!: number[];
  @Field(() => [Float], { description: 'active / size, per month.' }) retention!: number[];
}

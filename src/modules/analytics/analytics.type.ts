import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../../graphql/scalars';

@ObjectType({ description: 'Churn risk with the inputs that produced it (docs/analytics.md).' })
export class ChurnRiskType {
  @Field(() => Float, { description: '0 (none) to 1: 0.6 × recency + 0.25 × frequency + 0.15 × spend-trend parts.' })
  score!: number;
  @Field(() => String, { description: 'LOW (< 0.34), MEDIUM, HIGH (≥ 0.67).' }) level!: string;
  @Field(() => Int) daysSinceLastOrder!: number;
  @Field(() => Int, { description: "The customer's own average days between orders (90 with fewer than two orders)." })
  expectedIntervalDays!: number;
  @Field(() => Float, { description: 'daysSinceLastOrder / expectedIntervalDays.' }) recencyRatio!: number;
  @Field(() => Int) ordersLastYear!: number;
  @Field(() => Float, {
    description: 'Relative change of spend: last 90 days against the 90 days before (0 when nothing to compare).',
  })
  spendTrend!: number;
  @Field(() => String, { description: 'The figures above in words.' }) explanation!: string;
}

@ObjectType({
  description: "A customer's purchase and engagement figures (completed orders; events of the last 90 days).",
})
export class CustomerAnalyticsType {
  @Field(() => DecimalScalar) totalSpent!: unknown;
  @Field(() => Int) orderCount!: number;
  @Field(() => DecimalScalar, { nullable: true }) averageOrderValue!: unknown;
  @Field(() => DateTimeScalar, { nullable: true }) firstOrderAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastOrderAt!: Date | null;
  @Field(() => Float, { nullable: true, description: 'Average days between consecutive orders (two orders or more).' })
  averageDaysBetweenOrders!: number | null;
  @Field(() => Float, { nullable: true, description: 'Purchase frequency: orders per month since the first order.' })
  ordersPerMonth!: number | null;
  @Field(() => DecimalScalar, { description: 'Historical lifetime value: everything spent so far.' })
  historicalLifetimeValue!: unknown;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Predicted value of the next 3 years: average order × orders a year × 3 × (1 − churn risk).',
  })
  predictedLifetimeValue!: unknown;
  @Field(() => Int, {
    description: '0–100: 70 for events in the last 30 days (full at 20) + 30 for the recency of the last event.',
  })
  engagementScore!: number;
  @Field(() => ChurnRiskType, { nullable: true, description: 'Null before the first order.' })
  churnRisk!: ChurnRiskType | null;
  @Field(() => DateTimeScalar, { description: 'When these figures were computed (snapshot or on demand).' })
  computedAt!: Date;
}

// Customer analytics as pure functions of a few aggregates (docs/analytics.md has the formulas
// and the worked examples that test/analytics/analytics.rules.test.ts checks).
import { Decimal } from '../../generated/prisma/internal/prismaNamespace';

const DAY_MS = 86_400_000;
const DAYS_PER_MONTH = 30.4375;

export interface AnalyticsInputs {
  totalSpent: Decimal;
  orderCount: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** Orders placed in the 365 days before `computedAt`. */
  ordersLastYear: number;
  /** Spend in the last 90 days and in the 90 days before those. */
  spendLast90: Decimal;
  spendPrior90: Decimal;
  eventsLast30: number;
  lastEventAt: Date | null;
  computedAt: Date;
}

export const ANALYTICS_RULES = {
  /** Predicted lifetime value looks this many years ahead. */
  horizonYears: 3,
  /** Purchase interval assumed for customers with fewer than two orders. */
  defaultIntervalDays: 90,
  /** Orders a year at which the frequency part of churn risk is 0. */
  healthyOrdersPerYear: 4,
  weights: { recency: 0.6, frequency: 0.25, trend: 0.15 },
  /** Events in 30 days that make the activity part of engagement full. */
  engagedEventsPer30Days: 20,
  levels: { medium: 0.34, high: 0.67 },
} as const;

export interface ChurnRisk {
  score: number;
  level: 'LOW' | 'MEDIUM' | 'HIGH';
  daysSinceLastOrder: number;
  expectedIntervalDays: number;
  recencyRatio: number;
  ordersLastYear: number;
  spendTrend: number;
  explanation: string;
}

export interface CustomerAnalyticsFigures {
  totalSpent: Decimal;
  orderCount: number;
  averageOrderValue: Decimal | null;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  averageDaysBetweenOrders: number | null;
  ordersPerMonth: number | null;
  historicalLifetimeValue: Decimal;
  predictedLifetimeValue: Decimal | null;
  engagementScore: number;
  churnRisk: ChurnRisk | null;
  computedAt: Date;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const days = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / DAY_MS);

/** Engagement 0–100: 70 for activity (events in 30 days, full at 20) + 30 for recency of the last event (0 after 30 days). */
export function engagementScore(i: Pick<AnalyticsInputs, 'eventsLast30' | 'lastEventAt' | 'computedAt'>): number {
  const activity = clamp01(i.eventsLast30 / ANALYTICS_RULES.engagedEventsPer30Days);
  const recency = i.lastEventAt ? clamp01(1 - days(i.lastEventAt, i.computedAt) / 30) : 0;
  return Math.round(70 * activity + 30 * recency);
}

/** Churn risk 0–1 from recency against the customer's own purchase interval, frequency and spend trend; null without orders. */
export function churnRisk(i: AnalyticsInputs): ChurnRisk | null {
  if (i.orderCount === 0 || !i.lastOrderAt) return null;
  const r = ANALYTICS_RULES;
  const sinceLast = days(i.lastOrderAt, i.computedAt);
  const interval =
    i.orderCount >= 2 && i.firstOrderAt
      ? Math.max(1, days(i.firstOrderAt, i.lastOrderAt) / (i.orderCount - 1))
      : r.defaultIntervalDays;
  const ratio = sinceLast / interval;
  const recencyPart = clamp01((ratio - 1) / 2); // 0 within the usual interval, 1 at three times it
  const frequencyPart = clamp01((r.healthyOrdersPerYear - i.ordersLastYear) / r.healthyOrdersPerYear);
  const prior = Number(i.spendPrior90);
  const trend = prior > 0 ? (Number(i.spendLast90) - prior) / prior : 0;
  const trendPart = clamp01(-trend);
  const score = round(
    r.weights.recency * recencyPart + r.weights.frequency * frequencyPart + r.weights.trend * trendPart,
    2,
  );
  const level = score >= r.levels.high ? 'HIGH' : score >= r.levels.medium ? 'MEDIUM' : 'LOW';
  const reasons = [
    `last order ${Math.round(sinceLast)} days ago, ${round(ratio, 2)}× the usual ${Math.round(interval)} days between orders`,
    `${i.ordersLastYear} order(s) in the last year (healthy: ${r.healthyOrdersPerYear})`,
    prior > 0
      ? `spend in the last 90 days ${trend >= 0 ? 'up' : 'down'} ${Math.abs(Math.round(trend * 100))}% on the 90 days before`
      : 'no spend in the 90 days before the last 90 to compare',
  ];
  return {
    score,
    level,
    daysSinceLastOrder: Math.round(sinceLast),
    expectedIntervalDays: Math.round(interval),
    recencyRatio: round(ratio, 2),
    ordersLastYear: i.ordersLastYear,
    spendTrend: round(trend, 2),
    explanation: `${level} risk (${score}): ${reasons.join('; ')}.`,
  };
}

/** Every figure of Customer.analytics from its inputs. */
export function customerAnalytics(i: AnalyticsInputs): CustomerAnalyticsFigures {
  const aov = i.orderCount > 0 ? i.totalSpent.div(i.orderCount).toDecimalPlaces(2) : null;
  const spanDays = i.firstOrderAt ? Math.max(DAYS_PER_MONTH, days(i.firstOrderAt, i.computedAt)) : null;
  const ordersPerMonth = spanDays != null ? round(i.orderCount / (spanDays / DAYS_PER_MONTH), 2) : null;
  const risk = churnRisk(i);
  const predicted =
    aov && ordersPerMonth != null
      ? aov
          .mul(ordersPerMonth * 12 * ANALYTICS_RULES.horizonYears)
          .mul(1 - (risk?.score ?? 0))
          .toDecimalPlaces(2)
      : null;
  return {
    totalSpent: i.totalSpent,
    orderCount: i.orderCount,
    averageOrderValue: aov,
    firstOrderAt: i.firstOrderAt,
    lastOrderAt: i.lastOrderAt,
    averageDaysBetweenOrders:
      i.orderCount >= 2 && i.firstOrderAt && i.lastOrderAt
        ? round(days(i.firstOrderAt, i.lastOrderAt) / (i.orderCount - 1), 1)
        : null,
    ordersPerMonth,
    historicalLifetimeValue: i.totalSpent,
    predictedLifetimeValue: predicted,
    engagementScore: engagementScore(i),
    churnRisk: risk,
    computedAt: i.computedAt,
  };
}

export { Decimal };

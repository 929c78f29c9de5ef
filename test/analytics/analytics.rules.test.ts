import {
  churnRisk,
  customerAnalytics,
  engagementScore,
  type AnalyticsInputs,
} from '../../src/modules/analytics/analytics.rules';
import { Decimal } from '../../src/generated/prisma/internal/prismaNamespace';

// The worked examples of docs/analytics.md, evaluated at 2026-07-01T00:00Z.
const AT = new Date('2026-07-01T00:00:00Z');
const daysBefore = (d: number) => new Date(AT.getTime() - d * 86_400_000);
const inputs = (over: Partial<AnalyticsInputs>): AnalyticsInputs => ({
  totalSpent: new Decimal(0),
  orderCount: 0,
  firstOrderAt: null,
  lastOrderAt: null,
  ordersLastYear: 0,
  spendLast90: new Decimal(0),
  spendPrior90: new Decimal(0),
  eventsLast30: 0,
  lastEventAt: null,
  computedAt: AT,
  ...over,
});

// Ana: 6 orders, 1,200 spent, first 300 days ago, last 10 days ago, 5 in the last year; 300 in the
// last 90 days vs 400 before; 12 events in 30 days, the last 2 days ago.
const ana = inputs({
  totalSpent: new Decimal('1200'),
  orderCount: 6,
  firstOrderAt: daysBefore(300),
  lastOrderAt: daysBefore(10),
  ordersLastYear: 5,
  spendLast90: new Decimal('300'),
  spendPrior90: new Decimal('400'),
  eventsLast30: 12,
  lastEventAt: daysBefore(2),
});
// Ben: 3 orders, 150 spent, first 400 days ago, last 200 days ago (interval 100 days), 1 in the last year, nothing lately.
const ben = inputs({
  totalSpent: new Decimal('150'),
  orderCount: 3,
  firstOrderAt: daysBefore(400),
  lastOrderAt: daysBefore(200),
  ordersLastYear: 1,
});
// Cleo: one order of 80, 30 days ago.
const cleo = inputs({
  totalSpent: new Decimal('80'),
  orderCount: 1,
  firstOrderAt: daysBefore(30),
  lastOrderAt: daysBefore(30),
  ordersLastYear: 1,
  spendLast90: new Decimal('80'),
});

describe('customer analytics formulas (docs/analytics.md worked examples)', () => {
  it.each([
    ['Ana', ana, { score: 0.04, level: 'LOW', expectedIntervalDays: 58, recencyRatio: 0.17, spendTrend: -0.25 }],
    ['Ben', ben, { score: 0.49, level: 'MEDIUM', expectedIntervalDays: 100, recencyRatio: 2, spendTrend: 0 }],
    ['Cleo', cleo, { score: 0.19, level: 'LOW', expectedIntervalDays: 90, recencyRatio: 0.33, spendTrend: 0 }],
  ])('churn risk of %s', (_name, i, expected) => {
    expect(churnRisk(i)).toMatchObject(expected);
  });

  it('has no churn risk before the first order', () => {
    expect(churnRisk(inputs({}))).toBeNull();
  });

  it.each([
    ['Ana', ana, 70],
    ['Ben', ben, 0],
    ['20 events today', inputs({ eventsLast30: 20, lastEventAt: AT }), 100],
    ['5 events, the last 15 days ago', inputs({ eventsLast30: 5, lastEventAt: daysBefore(15) }), 33],
  ])('engagement score of %s', (_name, i, expected) => {
    expect(engagementScore(i)).toBe(expected);
  });

  it('derives value and frequency figures', () => {
    const a = customerAnalytics(ana);
    expect(a.averageOrderValue!.toFixed(2)).toBe('200.00');
    expect(a.averageDaysBetweenOrders).toBe(58);
    expect(a.ordersPerMonth).toBe(0.61);
    expect(a.historicalLifetimeValue.toFixed(2)).toBe('1200.00');
    // 200 × 0.61 × 12 × 3 × (1 − 0.04)
    expect(a.predictedLifetimeValue!.toFixed(2)).toBe('4216.32');
    const none = customerAnalytics(inputs({}));
    expect([none.averageOrderValue, none.predictedLifetimeValue, none.ordersPerMonth, none.churnRisk]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});

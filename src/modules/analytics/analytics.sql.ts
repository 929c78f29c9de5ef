// The one aggregate statement behind customer analytics, for all customers (snapshot) or for
// some (on demand). $1 is the evaluation time; $2 (optional) the customer ids.
import { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import type { AnalyticsInputs } from './analytics.rules';

export function analyticsInputsSql(forIds: boolean): string {
  const only = (column: string) => (forIds ? ` AND ${column} = ANY($2::uuid[])` : '');
  return `
    SELECT c.id AS customer_id,
           coalesce(o.total_spent, 0) AS total_spent, coalesce(o.order_count, 0)::int AS order_count,
           o.first_order_at, o.last_order_at, coalesce(o.orders_last_year, 0)::int AS orders_last_year,
           coalesce(o.spend_last_90, 0) AS spend_last_90, coalesce(o.spend_prior_90, 0) AS spend_prior_90,
           coalesce(e.events_last_30, 0)::int AS events_last_30, e.last_event_at, $1::timestamptz AS computed_at
    FROM customers c
    LEFT JOIN (
      SELECT customer_id, sum(total) AS total_spent, count(*) AS order_count, min(placed_at) AS first_order_at, max(placed_at) AS last_order_at,
             count(*) FILTER (WHERE placed_at > $1::timestamptz - interval '365 days') AS orders_last_year,
             coalesce(sum(total) FILTER (WHERE placed_at > $1::timestamptz - interval '90 days'), 0) AS spend_last_90,
             coalesce(sum(total) FILTER (WHERE placed_at <= $1::timestamptz - interval '90 days' AND placed_at > $1::timestamptz - interval '180 days'), 0) AS spend_prior_90
      FROM orders WHERE status = 'COMPLETED' AND placed_at <= $1::timestamptz${only('customer_id')}
      GROUP BY customer_id) o ON o.customer_id = c.id
    LEFT JOIN (
      SELECT customer_id, count(*) FILTER (WHERE occurred_at > $1::timestamptz - interval '30 days') AS events_last_30, max(occurred_at) AS last_event_at
      FROM customer_events WHERE occurred_at > $1::timestamptz - interval '90 days' AND occurred_at <= $1::timestamptz${only('customer_id')}
      GROUP BY customer_id) e ON e.customer_id = c.id
    WHERE c.status <> 'DELETED' AND c.data_processing_consent_at IS NOT NULL${only('c.id')}`; // docs/privacy.md
}

export interface AnalyticsRow {
  customer_id: string;
  total_spent: Decimal | string | number;
  order_count: number;
  first_order_at: Date | string | null;
  last_order_at: Date | string | null;
  orders_last_year: number;
  spend_last_90: Decimal | string | number;
  spend_prior_90: Decimal | string | number;
  events_last_30: number;
  last_event_at: Date | string | null;
  computed_at: Date | string;
}

const dec = (v: Decimal | string | number) => (v instanceof Decimal ? v : new Decimal(String(v)));
const date = (v: Date | string | null) => (v == null ? null : v instanceof Date ? v : new Date(v));

export function inputsFromRow(r: AnalyticsRow): AnalyticsInputs {
  return {
    totalSpent: dec(r.total_spent),
    orderCount: Number(r.order_count),
    firstOrderAt: date(r.first_order_at),
    lastOrderAt: date(r.last_order_at),
    ordersLastYear: Number(r.orders_last_year),
    spendLast90: dec(r.spend_last_90),
    spendPrior90: dec(r.spend_prior_90),
    eventsLast30: Number(r.events_last_30),
    lastEventAt: date(r.last_event_at),
    computedAt: date(r.computed_at)!,
  };
}

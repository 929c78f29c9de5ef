// Aggregates over many customers (analyticsOverview, cohortRetention): a few set-based
// statements, scoped to the caller's customers for agents.
import { ownerScope, type Actor } from '../../auth/actor';
import type { PrismaClient } from '../../db/client';
import { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { DomainError, Validator } from '../../shared/domain-error';

export type Granularity = 'DAY' | 'WEEK' | 'MONTH';
const MAX_BUCKETS = 400;
const MAX_COHORT_MONTHS = 36;

export interface CountRow {
  dimension: string;
  key: string;
  count: number;
}
export interface PeriodRow {
  start: Date;
  newCustomers: number;
  orders: number;
  revenue: Decimal;
  pointsEarned: number;
  pointsRedeemed: number;
  pointsExpired: number;
}
export interface Overview {
  counts: CountRow[];
  periods: PeriodRow[];
  loyaltyMembers: number;
  activeLoyaltyMembers: number;
}
export interface CohortRow {
  cohort: string;
  size: number;
  active: number[];
  retention: number[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const bucketMs: Record<Granularity, number> = { DAY: 86_400_000, WEEK: 7 * 86_400_000, MONTH: 28 * 86_400_000 };

export class OverviewService {
  constructor(private readonly prisma: PrismaClient) {}

  async overview(actor: Actor, from: Date, to: Date, granularity: Granularity): Promise<Overview> {
    new Validator()
      .check(from < to, ['to'], 'must be after from')
      .check(
        (to.getTime() - from.getTime()) / bucketMs[granularity] <= MAX_BUCKETS,
        ['granularity'],
        `the range has more than ${MAX_BUCKETS} periods; choose a coarser granularity`,
      )
      .throwIfInvalid();
    const owner = ownerScope(actor) ?? null;
    const scope = (alias: string) => (owner ? ` AND ${alias}.owner_id = $1::uuid` : ' AND $1::uuid IS NULL');
    // Whether the customer in `column` counts: over all customers only the (few) deleted ones are
    // left out, as an anti-join, so each count is one pass over its own table with no join of a
    // million customers; for an agent, their own customers only.
    const visible = (column: string) =>
      owner
        ? `EXISTS (SELECT 1 FROM customers v WHERE v.id = ${column} AND v.status <> 'DELETED' AND v.owner_id = $1::uuid)`
        : `$1::uuid IS NULL AND NOT EXISTS (SELECT 1 FROM customers v WHERE v.id = ${column} AND v.status = 'DELETED')`;
    // The three statements are independent: run side by side on the pool.
    const countsQuery = this.prisma.$queryRawUnsafe<{ dimension: string; key: string; count: number }[]>(
      `SELECT CASE WHEN grouping(c.status) = 0 THEN 'STATUS' ELSE 'TYPE' END AS dimension, coalesce(c.status::text, c.type::text) AS key, count(*)::int AS count
       FROM customers c WHERE c.status <> 'DELETED'${scope('c')} GROUP BY GROUPING SETS ((c.status), (c.type))
       UNION ALL SELECT 'TIER', la.tier::text, count(*)::int FROM loyalty_accounts la WHERE ${visible('la.customer_id')} GROUP BY la.tier
       UNION ALL SELECT CASE WHEN s.lifecycle_stage IS NULL THEN 'SEGMENT' ELSE 'LIFECYCLE_STAGE' END, coalesce(s.lifecycle_stage, s.name), count(*)::int
         FROM segments s JOIN segment_memberships sm ON sm.segment_id = s.id
         WHERE s.status <> 'ARCHIVED' AND ${visible('sm.customer_id')} GROUP BY s.lifecycle_stage, s.name
       ORDER BY 1, 2`,
      owner,
    );
    const unit = granularity.toLowerCase();
    const join = (alias: string, column: string) =>
      owner ? ` JOIN customers c ON c.id = ${alias}.${column} AND c.owner_id = $1::uuid` : '';
    // New customers and sales per period. Over all customers they come from the per-UTC-day
    // rollups daily_signups and daily_sales (kept exact by triggers; docs/analytics.md) for the
    // whole days of the range, plus the rows of the partial first and last day read directly
    // (index ranges): a few hundred rows instead of every customer and order of the range. An
    // agent's own customers are few (the rollups know no owner): no whole days, all read directly.
    const DAY = 86_400_000;
    let fullFrom = new Date(Math.ceil(from.getTime() / DAY) * DAY);
    let fullTo = new Date(Math.floor(to.getTime() / DAY) * DAY);
    // No whole day inside: no rollup rows, the direct read covers [from, to).
    if (owner || fullFrom >= fullTo) fullFrom = fullTo = to;
    const edges = (column: string) =>
      `((${column} >= $2::timestamptz AND ${column} < $5::timestamptz) OR (${column} >= $6::timestamptz AND ${column} < $3::timestamptz))`;
    const dayStart = `date_trunc($4, d.day::timestamp AT TIME ZONE 'UTC', 'UTC')`;
    const wholeDays = `d.day >= ($5::timestamptz AT TIME ZONE 'UTC')::date AND d.day < ($6::timestamptz AT TIME ZONE 'UTC')::date`;
    const signups = `SELECT start, sum(n) AS n FROM (
           SELECT ${dayStart} AS start, d.customers AS n FROM daily_signups d WHERE ${wholeDays} AND $1::uuid IS NULL
           UNION ALL
           SELECT date_trunc($4, c.created_at, 'UTC'), 1 FROM customers c
           WHERE ${edges('c.created_at')} AND c.status <> 'DELETED'${scope('c')}) x
         GROUP BY 1`;
    const sales = `SELECT start, sum(n) AS n, sum(revenue) AS revenue FROM (
           SELECT ${dayStart} AS start, d.orders AS n, d.revenue FROM daily_sales d WHERE ${wholeDays} AND $1::uuid IS NULL
           UNION ALL
           SELECT date_trunc($4, o.placed_at, 'UTC'), 1, o.total FROM orders o${join('o', 'customer_id')}
           WHERE o.status = 'COMPLETED' AND ${edges('o.placed_at')}) x
         GROUP BY 1`;
    const periodsQuery = this.prisma.$queryRawUnsafe<
      {
        start: Date;
        new_customers: number;
        orders: number;
        revenue: string;
        earned: number;
        redeemed: number;
        expired: number;
      }[]
    >(
      `WITH buckets AS (
         SELECT generate_series(date_trunc($4, $2::timestamptz, 'UTC'), $3::timestamptz - interval '1 microsecond', ('1 ' || $4)::interval) AS start),
       signups AS (${signups}),
       sales AS (${sales}),
       points AS (
         SELECT date_trunc($4, l.created_at, 'UTC') AS start,
                sum(l.points) FILTER (WHERE l.type = 'EARN') AS earned, -sum(l.points) FILTER (WHERE l.type = 'REDEEM') AS redeemed, -sum(l.points) FILTER (WHERE l.type = 'EXPIRE') AS expired
         FROM loyalty_ledger l${owner ? ` JOIN loyalty_accounts la ON la.id = l.account_id${join('la', 'customer_id')}` : ''}
         WHERE l.created_at >= $2::timestamptz AND l.created_at < $3::timestamptz GROUP BY 1)
       SELECT b.start, coalesce(s.n, 0)::int AS new_customers, coalesce(o.n, 0)::int AS orders, coalesce(o.revenue, 0)::text AS revenue,
              coalesce(p.earned, 0)::int AS earned, coalesce(p.redeemed, 0)::int AS redeemed, coalesce(p.expired, 0)::int AS expired
       FROM buckets b LEFT JOIN signups s USING (start) LEFT JOIN sales o USING (start) LEFT JOIN points p USING (start)
       ORDER BY b.start`,
      owner,
      from.toISOString(),
      to.toISOString(),
      unit,
      fullFrom.toISOString(),
      fullTo.toISOString(),
    );
    const membersQuery = this.prisma.$queryRawUnsafe<{ members: number; active: number }[]>(
      `SELECT count(*)::int AS members,
              count(*) FILTER (WHERE la.id IN (SELECT l.account_id FROM loyalty_ledger l WHERE l.created_at >= $2::timestamptz AND l.created_at < $3::timestamptz))::int AS active
       FROM loyalty_accounts la WHERE ${visible('la.customer_id')}`,
      owner,
      from.toISOString(),
      to.toISOString(),
    );
    const [counts, periods, [members]] = await Promise.all([countsQuery, periodsQuery, membersQuery]);
    return {
      counts: counts.map((r) => ({ ...r, count: Number(r.count) })),
      periods: periods.map((p) => ({
        start: p.start instanceof Date ? p.start : new Date(p.start),
        newCustomers: Number(p.new_customers),
        orders: Number(p.orders),
        revenue: new Decimal(p.revenue),
        pointsEarned: Number(p.earned),
        pointsRedeemed: Number(p.redeemed),
        pointsExpired: Number(p.expired),
      })),
      loyaltyMembers: Number(members.members),
      activeLoyaltyMembers: Number(members.active),
    };
  }

  /**
   * Customers by signup month from `from` for `months` months, and the share of each cohort
   * active (a completed order or an event) in each month since signup, up to `now` — ONE statement.
   */
  async cohorts(actor: Actor, from: Date, months: number, now = new Date()): Promise<CohortRow[]> {
    if (!Number.isInteger(months) || months < 1 || months > MAX_COHORT_MONTHS)
      throw new DomainError('VALIDATION', `months must be 1 to ${MAX_COHORT_MONTHS}`, ['months']);
    const owner = ownerScope(actor) ?? null;
    // The month bounds are computed here so that the planner sees them as constants (index ranges).
    const first = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
    const last = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
    const nowMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    // Activity comes from customer_activity_months (one row per active customer-month, kept by
    // triggers on events and orders): over all customers one index range of the rollup; for an
    // agent their customers (owner index), then their rows by primary key. Deleted customers
    // count in neither the sizes nor the actives.
    const actives = owner
      ? `SELECT a.cohort_month AS month, a.month AS active_month, count(*) AS active
         FROM customers c JOIN customer_activity_months a ON a.customer_id = c.id
         WHERE c.owner_id = $1::uuid AND c.status <> 'DELETED' AND c.created_at >= $2::timestamptz AND c.created_at < $3::timestamptz
           AND a.cohort_month >= $4::date AND a.cohort_month < $5::date AND a.month >= a.cohort_month AND a.month <= $6::date
         GROUP BY 1, 2`
      : `SELECT a.cohort_month AS month, a.month AS active_month, count(*) AS active
         FROM customer_activity_months a
         WHERE a.cohort_month >= $4::date AND a.cohort_month < $5::date AND a.month >= a.cohort_month AND a.month <= $6::date
           AND $1::uuid IS NULL
           AND NOT EXISTS (SELECT 1 FROM customers d WHERE d.id = a.customer_id AND d.status = 'DELETED')
         GROUP BY 1, 2`;
    // Cohort sizes over all customers: the customers not deleted per signup day are kept in the
    // daily_signups rollup (triggers; docs/analytics.md), and cohorts are whole UTC months, so
    // the sizes are the sum of at most a few hundred days rather than a read of every signup.
    const signupMonth = `date_trunc('month', c.created_at AT TIME ZONE 'UTC')::date`;
    const sizes = owner
      ? `SELECT ${signupMonth} AS month, count(*) AS size FROM customers c
         WHERE c.created_at >= $2::timestamptz AND c.created_at < $3::timestamptz AND c.status <> 'DELETED' AND c.owner_id = $1::uuid
         GROUP BY 1`
      : `SELECT date_trunc('month', d.day)::date AS month, sum(d.customers) AS size FROM daily_signups d
         WHERE d.day >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND d.day < ($3::timestamptz AT TIME ZONE 'UTC')::date
         GROUP BY 1 HAVING sum(d.customers) > 0`;
    const rows = await this.prisma.$queryRawUnsafe<{ cohort: string; size: number; offset: number; active: number }[]>(
      `WITH sizes AS (${sizes}),
       actives AS (${actives})
       SELECT to_char(s.month, 'YYYY-MM') AS cohort, s.size::int AS size,
              coalesce(((extract(year FROM a.active_month) - extract(year FROM s.month)) * 12 + extract(month FROM a.active_month) - extract(month FROM s.month))::int, 0) AS "offset",
              coalesce(a.active, 0)::int AS active
       FROM sizes s LEFT JOIN actives a ON a.month = s.month ORDER BY 1, 3`,
      owner,
      first.toISOString(),
      last.toISOString(),
      day(first),
      day(last),
      day(nowMonth),
    );
    const nowIndex = now.getUTCFullYear() * 12 + now.getUTCMonth();
    const byCohort = new Map<string, CohortRow>();
    for (const r of rows) {
      let row = byCohort.get(r.cohort);
      if (!row) {
        const [y, m] = r.cohort.split('-').map(Number);
        const span = Math.max(1, nowIndex - (y * 12 + m - 1) + 1);
        row = { cohort: r.cohort, size: Number(r.size), active: new Array(span).fill(0), retention: [] };
        byCohort.set(r.cohort, row);
      }
      if (r.offset < row.active.length) row.active[r.offset] = Number(r.active);
    }
    return [...byCohort.values()].map((row) => ({
      ...row,
      retention: row.active.map((a) => (row.size ? Math.round((a / row.size) * 10_000) / 10_000 : 0)),
    }));
  }
}

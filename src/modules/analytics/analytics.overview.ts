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
    const counts = await this.prisma.$queryRawUnsafe<{ dimension: string; key: string; count: number }[]>(
      `WITH visible AS (SELECT c.id, c.status, c.type FROM customers c WHERE c.status <> 'DELETED'${scope('c')})
       SELECT 'STATUS' AS dimension, status::text AS key, count(*)::int AS count FROM visible GROUP BY status
       UNION ALL SELECT 'TYPE', type::text, count(*)::int FROM visible GROUP BY type
       UNION ALL SELECT 'TIER', la.tier::text, count(*)::int FROM visible v JOIN loyalty_accounts la ON la.customer_id = v.id GROUP BY la.tier
       UNION ALL SELECT CASE WHEN s.lifecycle_stage IS NULL THEN 'SEGMENT' ELSE 'LIFECYCLE_STAGE' END, coalesce(s.lifecycle_stage, s.name), count(*)::int
         FROM segments s JOIN segment_memberships sm ON sm.segment_id = s.id JOIN visible v ON v.id = sm.customer_id
         WHERE s.status <> 'ARCHIVED' GROUP BY s.lifecycle_stage, s.name
       ORDER BY 1, 2`,
      owner,
    );
    const unit = granularity.toLowerCase();
    const join = (alias: string, column: string) =>
      owner ? ` JOIN customers c ON c.id = ${alias}.${column} AND c.owner_id = $1::uuid` : '';
    const periods = await this.prisma.$queryRawUnsafe<
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
       signups AS (
         SELECT date_trunc($4, c.created_at, 'UTC') AS start, count(*) AS n FROM customers c
         WHERE c.created_at >= $2::timestamptz AND c.created_at < $3::timestamptz AND c.status <> 'DELETED'${scope('c')} GROUP BY 1),
       sales AS (
         SELECT date_trunc($4, o.placed_at, 'UTC') AS start, count(*) AS n, sum(o.total) AS revenue FROM orders o${join('o', 'customer_id')}
         WHERE o.status = 'COMPLETED' AND o.placed_at >= $2::timestamptz AND o.placed_at < $3::timestamptz GROUP BY 1),
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
    );
    const [members] = await this.prisma.$queryRawUnsafe<{ members: number; active: number }[]>(
      `SELECT count(*)::int AS members,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM loyalty_ledger l WHERE l.account_id = la.id AND l.created_at >= $2::timestamptz AND l.created_at < $3::timestamptz))::int AS active
       FROM loyalty_accounts la JOIN customers c ON c.id = la.customer_id WHERE c.status <> 'DELETED'${scope('c')}`,
      owner,
      from.toISOString(),
      to.toISOString(),
    );
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
    const rows = await this.prisma.$queryRawUnsafe<{ cohort: string; size: number; offset: number; active: number }[]>(
      `WITH bounds AS (
         SELECT date_trunc('month', $2::timestamptz, 'UTC') AS first, date_trunc('month', $2::timestamptz, 'UTC') + make_interval(months => $3::int) AS last),
       cohort AS (
         SELECT c.id, date_trunc('month', c.created_at, 'UTC') AS month FROM customers c, bounds
         WHERE c.created_at >= bounds.first AND c.created_at < bounds.last AND c.status <> 'DELETED' AND ($1::uuid IS NULL OR c.owner_id = $1::uuid)),
       activity AS (
         SELECT o.customer_id, date_trunc('month', o.placed_at, 'UTC') AS month FROM orders o, bounds
         WHERE o.status = 'COMPLETED' AND o.placed_at >= bounds.first AND o.placed_at <= $4::timestamptz
         UNION
         SELECT e.customer_id, date_trunc('month', e.occurred_at, 'UTC') FROM customer_events e, bounds
         WHERE e.occurred_at >= bounds.first AND e.occurred_at <= $4::timestamptz),
       sizes AS (SELECT month, count(*) AS size FROM cohort GROUP BY month),
       actives AS (
         SELECT c.month, ((extract(year FROM a.month) - extract(year FROM c.month)) * 12 + extract(month FROM a.month) - extract(month FROM c.month))::int AS "offset",
                count(*) AS active
         FROM cohort c JOIN activity a ON a.customer_id = c.id AND a.month >= c.month GROUP BY 1, 2)
       SELECT to_char(s.month, 'YYYY-MM') AS cohort, s.size::int AS size, coalesce(a."offset", 0) AS "offset", coalesce(a.active, 0)::int AS active
       FROM sizes s LEFT JOIN actives a ON a.month = s.month ORDER BY 1, 3`,
      owner,
      from.toISOString(),
      months,
      now.toISOString(),
    );
    const nowMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
    const byCohort = new Map<string, CohortRow>();
    for (const r of rows) {
      let row = byCohort.get(r.cohort);
      if (!row) {
        const [y, m] = r.cohort.split('-').map(Number);
        const span = Math.max(1, nowMonth - (y * 12 + m - 1) + 1);
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

// Bulk history for load tests: orders, policies and loyalty ledger entries for customers that
// already exist (seedCustomers). Set-based (INSERT … SELECT over generate_series), deterministic per
// customer number, in batches of customers so one statement's memory stays bounded.
//
// Shape: most customers have 0–11 orders and 0–3 policies; every 50th customer is a "heavy"
// customer with 40 orders and 20 policies (the benchmark's detail page reads those). Every order
// that is not cancelled earned points: one EARN ledger entry per such order, and totals, order
// counts, last activity and loyalty balances (tier by loyalty.tiers' thresholds) follow.
import type { SqlRunner } from './sql';

export interface SeedHistoryOptions {
  /** Customers per batch (by customer number). */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedHistoryResult {
  orders: number;
  policies: number;
  ledgerEntries: number;
}

const HEAVY_EVERY = 50;

// $1, $2: customer number range [from, to). Numbers are deterministic from (customer number, i).
const ORDERS_SQL = `
WITH c AS (
  SELECT id, number, created_at, CASE WHEN number % ${HEAVY_EVERY} = 0 THEN 40 ELSE (number * 7) % 12 END AS n
  FROM customers WHERE number >= $1 AND number < $2
)
INSERT INTO orders (number, customer_id, total, currency, status, placed_at, delivered_at, completed_at, points_awarded_at, created_at, updated_at)
SELECT 'SO-' || c.number || '-' || i, c.id,
       round((5 + ((c.number * 31 + i * 17) % 49500) / 100.0)::numeric, 2), 'USD',
       s.status::"OrderStatus", p.placed_at,
       CASE WHEN s.status IN ('DELIVERED', 'COMPLETED') THEN p.placed_at + interval '3 days' END,
       CASE WHEN s.status = 'COMPLETED' THEN p.placed_at + interval '10 days' END,
       CASE WHEN s.status = 'COMPLETED' THEN p.placed_at + interval '10 days' END,
       p.placed_at, p.placed_at
FROM c
CROSS JOIN LATERAL generate_series(1, c.n) AS i
CROSS JOIN LATERAL (SELECT (ARRAY['COMPLETED','COMPLETED','COMPLETED','COMPLETED','DELIVERED','SHIPPED','PAID','CANCELLED','REFUNDED','COMPLETED'])[1 + (c.number + i * 3) % 10] AS status) s
CROSS JOIN LATERAL (SELECT least(now() - interval '1 hour', c.created_at + make_interval(days => i * 9 + (c.number % 9))) AS placed_at) p`;

const POLICIES_SQL = `
WITH c AS (
  SELECT id, number, created_at, CASE WHEN number % ${HEAVY_EVERY} = 0 THEN 20 ELSE (number * 3) % 4 END AS n
  FROM customers WHERE number >= $1 AND number < $2
)
INSERT INTO policies (number, customer_id, type, insurer, product_name, status, premium, premium_frequency, coverage_amount, deductible, currency, start_date, end_date, created_at, updated_at)
SELECT 'SP-' || c.number || '-' || i, c.id, t.type::"PolicyType",
       (ARRAY['Acme Mutual','Northwind Insurance','Globex Assurance','Initech Life'])[1 + (c.number + i) % 4],
       initcap(lower(t.type)) || ' Standard',
       (ARRAY['ACTIVE','ACTIVE','ACTIVE','EXPIRED','PENDING','CANCELLED'])[1 + (c.number * 5 + i) % 6]::"PolicyStatus",
       round((20 + ((c.number * 13 + i * 7) % 18000) / 100.0)::numeric, 2),
       (ARRAY['MONTHLY','QUARTERLY','ANNUAL'])[1 + (c.number + i * 2) % 3]::"PremiumFrequency",
       (10000 * (1 + (c.number + i) % 50))::numeric, 250, 'USD', d.start_date, d.start_date + 365, c.created_at, c.created_at
FROM c
CROSS JOIN LATERAL generate_series(1, c.n) AS i
CROSS JOIN LATERAL (SELECT (ARRAY['AUTO','HOME','LIFE','HEALTH','TRAVEL','ACCIDENT'])[1 + (c.number * 11 + i) % 6] AS type) t
CROSS JOIN LATERAL (SELECT (c.created_at + make_interval(days => i * 30))::date AS start_date) d`;

// One EARN per order that was not cancelled or refunded (1 point per whole currency unit), with a
// running balance; then the account and the customer's aggregates follow from the rows.
const LEDGER_SQL = `
WITH e AS (
  SELECT a.id AS account_id, o.id AS order_id, o.number, floor(o.total)::int AS points, o.placed_at,
         sum(floor(o.total)::int) OVER (PARTITION BY a.id ORDER BY o.placed_at, o.id) AS balance
  FROM customers c
  JOIN loyalty_accounts a ON a.customer_id = c.id
  JOIN orders o ON o.customer_id = c.id AND o.status NOT IN ('CANCELLED', 'REFUNDED')
  WHERE c.number >= $1 AND c.number < $2
)
INSERT INTO loyalty_ledger (account_id, type, points, remaining, expires_at, reason, order_id, balance_after, created_at)
SELECT account_id, 'EARN', points, points, placed_at + interval '12 months', 'Order ' || number, order_id, balance, placed_at FROM e`;

const TOTALS_SQL = `
WITH t AS (
  SELECT o.customer_id, count(*)::int AS n, sum(o.total) FILTER (WHERE o.status NOT IN ('CANCELLED', 'REFUNDED')) AS spent, max(o.placed_at) AS last
  FROM orders o JOIN customers c ON c.id = o.customer_id
  WHERE c.number >= $1 AND c.number < $2
  GROUP BY o.customer_id
), customers_up AS (
  UPDATE customers c SET order_count = t.n, total_spent = coalesce(t.spent, 0), last_activity_at = t.last
  FROM t WHERE c.id = t.customer_id
  RETURNING c.id
)
UPDATE loyalty_accounts a SET points_balance = l.balance, lifetime_points = l.balance,
       tier = (CASE WHEN l.balance >= 5000 THEN 'PLATINUM' WHEN l.balance >= 1000 THEN 'GOLD' WHEN l.balance >= 500 THEN 'SILVER' ELSE 'BRONZE' END)::"LoyaltyTier"
FROM (SELECT account_id, sum(points)::int AS balance FROM loyalty_ledger l JOIN loyalty_accounts a2 ON a2.id = l.account_id
      JOIN customers c ON c.id = a2.customer_id WHERE c.number >= $1 AND c.number < $2 GROUP BY account_id) l
WHERE a.id = l.account_id`;

/**
 * Generates orders, policies and ledger entries for the customers numbered after the last one that
 * has generated history, then ANALYZEs the tables. Returns how many rows of each were inserted.
 */
export async function seedCustomerHistory(
  sql: SqlRunner,
  options: SeedHistoryOptions = {},
): Promise<SeedHistoryResult> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 20_000));
  const [range] = await sql.query<{ lo: number | null; hi: number | null }>(
    `SELECT coalesce((SELECT max(c.number) FROM customers c
                      WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.number LIKE 'SO-%')
                         OR EXISTS (SELECT 1 FROM policies p WHERE p.customer_id = c.id AND p.number LIKE 'SP-%')), 0) + 1 AS lo,
            (SELECT max(number) FROM customers) AS hi`,
  );
  const result: SeedHistoryResult = { orders: 0, policies: 0, ledgerEntries: 0 };
  if (range.hi === null || Number(range.lo) > Number(range.hi)) return result;
  const total = Number(range.hi) - Number(range.lo) + 1;
  for (let from = Number(range.lo); from <= Number(range.hi); from += batchSize) {
    const to = from + batchSize;
    await sql.transaction(async (tx) => {
      const count = async (statement: string) =>
        (
          await tx.query(`WITH ins AS (${statement} RETURNING 1) SELECT count(*)::int AS n FROM ins`, [from, to])
        )[0] as { n: number };
      result.orders += (await count(ORDERS_SQL)).n;
      result.policies += (await count(POLICIES_SQL)).n;
      result.ledgerEntries += (await count(LEDGER_SQL)).n;
      await tx.query(TOTALS_SQL, [from, to]);
    });
    options.onProgress?.(Math.min(to - Number(range.lo), total), total);
  }
  await sql.exec('ANALYZE customers, loyalty_accounts, orders, policies, loyalty_ledger');
  return result;
}

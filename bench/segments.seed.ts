// Set-based generator of customers, orders and events at scale for bench/segments.bench.ts.
// Everything is INSERT … SELECT over generate_series inside PostgreSQL: no rows cross the wire.
// Activity is skewed (a few customers order and act a lot), as in real shops.
// Resumable per table: customers, orders and events are each seeded only while still empty, so a
// run stopped between stages goes on where it was (a stopped statement leaves nothing behind).
import type { SqlRunner } from '../src/db/sql';

export interface SeedSize {
  customers: number;
  orders: number;
  events: number;
}

const CHUNK = 1_000_000;

export async function seedSegmentsScale(sql: SqlRunner, size: SeedSize, log: (line: string) => void): Promise<void> {
  const timed = async (label: string, run: () => Promise<unknown>) => {
    const t = performance.now();
    await run();
    log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  const n = size.customers;
  const count = async (table: string) =>
    Number((await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} LIMIT 1) x`))[0].n);
  if ((await count('customers')) === 0) await seedCustomers(sql, n, timed);
  if ((await count('orders')) === 0) await seedOrders(sql, size, timed);
  if ((await count('customer_events')) === 0) await seedEvents(sql, size, timed);
  await timed('VACUUM ANALYZE', () => sql.exec('VACUUM ANALYZE'));
}

type Timed = (label: string, run: () => Promise<unknown>) => Promise<void>;

async function seedCustomers(sql: SqlRunner, n: number, timed: Timed) {
  for (let from = 1; from <= n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK - 1);
    await timed(`customers ${from}–${to}`, () =>
      sql.query(
        `INSERT INTO customers (first_name, last_name, email, gender, type, status, tags, created_at, data_processing_consent_at)
         SELECT 'Bench', 'Customer ' || g, 'bench.' || g || '@example.com',
                (ARRAY['FEMALE','MALE','OTHER','UNDISCLOSED'])[1 + g % 4]::"Gender",
                (CASE WHEN g % 10 = 0 THEN 'BUSINESS' ELSE 'INDIVIDUAL' END)::"CustomerType",
                (CASE WHEN g % 20 = 0 THEN 'INACTIVE' ELSE 'ACTIVE' END)::"CustomerStatus",
                CASE WHEN g % 7 = 0 THEN ARRAY['vip'] WHEN g % 5 = 0 THEN ARRAY['newsletter'] ELSE '{}'::text[] END,
                now() - (g % 730) * interval '1 day' - (g % 86400) * interval '1 second', now()
         FROM generate_series($1::int, $2::int) g`,
        [from, to],
      ),
    );
  }
  await timed('loyalty accounts and default addresses', async () => {
    await sql.query(
      `INSERT INTO loyalty_accounts (customer_id, tier, points_balance, lifetime_points)
       SELECT id, (ARRAY['BRONZE','BRONZE','BRONZE','SILVER','SILVER','GOLD','PLATINUM'])[1 + number % 7]::"LoyaltyTier", number % 3000, number % 9000 FROM customers`,
    );
    await sql.query(
      `INSERT INTO addresses (customer_id, line1, city, country, is_default)
       SELECT id, number || ' Bench Street', (ARRAY['Paris','Lyon','Berlin','Boston','Seoul'])[1 + number % 5], (ARRAY['FR','FR','DE','US','KR'])[1 + number % 5], true FROM customers`,
    );
  });
}

async function seedOrders(sql: SqlRunner, size: SeedSize, timed: Timed) {
  const n = size.customers;
  for (let from = 1; from <= size.orders; from += CHUNK) {
    const to = Math.min(size.orders, from + CHUNK - 1);
    await timed(`orders ${from}–${to}`, () =>
      sql.query(
        `INSERT INTO orders (number, customer_id, total, currency, status, placed_at)
         SELECT 'BO-' || x.g, c.id, x.total, 'USD', 'COMPLETED', x.placed_at
         FROM (SELECT g, 1 + floor($3::int * power(random(), 2))::int AS n, round((5 + random() * 300)::numeric, 2) AS total,
                      now() - random() * interval '540 days' AS placed_at
               FROM generate_series($1::int, $2::int) g) x
         JOIN customers c ON c.number = x.n`,
        [from, to, n],
      ),
    );
  }
  await timed('customer spend from orders', () =>
    sql.query(
      `UPDATE customers c SET total_spent = o.total, order_count = o.n, last_activity_at = o.last
       FROM (SELECT customer_id, sum(total) AS total, count(*) AS n, max(placed_at) AS last FROM orders GROUP BY customer_id) o
       WHERE c.id = o.customer_id`,
    ),
  );
}

/**
 * Events, the bulk of the data, loaded the way a bulk import would be: without the secondary
 * index (built once at the end) and without per-row triggers (session_replication_role =
 * replica: no foreign-key check per row, which the join with customers makes redundant here,
 * and no activity-rollup trigger, whose rows are rebuilt in one pass at the end, as its
 * migration does). Needs a superuser, as the bench's postgres user is.
 */
async function seedEvents(sql: SqlRunner, size: SeedSize, timed: Timed) {
  const n = size.customers;
  await sql.query(
    `SELECT customer_events_ensure_partitions((date_trunc('month', now()) - interval '13 months')::date, 17)`,
  );
  await sql.exec('DROP INDEX IF EXISTS customer_events_customer_id_type_occurred_at_idx');
  for (let from = 1; from <= size.events; from += CHUNK) {
    const to = Math.min(size.events, from + CHUNK - 1);
    await timed(`events ${from}–${to}`, () =>
      sql.transaction(async (tx) => {
        await tx.exec('SET LOCAL session_replication_role = replica');
        await tx.query(
          `INSERT INTO customer_events (customer_id, type, occurred_at, data, session_id)
         SELECT c.id, (ARRAY['page_view','page_view','product_view','product_view','add_to_cart','checkout','login'])[1 + x.g % 7], x.at,
                CASE WHEN x.g % 3 = 0 THEN jsonb_build_object('sku', 'SKU-' || (x.g % 500)) END, 's-' || (x.g / 5)
         FROM (SELECT g, 1 + floor($3::int * power(random(), 1.5))::int AS n, now() - random() * interval '365 days' AS at
               FROM generate_series($1::int, $2::int) g) x
         JOIN customers c ON c.number = x.n`,
          [from, to, n],
        );
      }),
    );
  }
  await timed('events index (customer_id, type, occurred_at)', () =>
    sql.exec(
      'CREATE INDEX customer_events_customer_id_type_occurred_at_idx ON customer_events (customer_id, type, occurred_at)',
    ),
  );
  await timed('activity months rebuilt from events and orders', () =>
    sql.transaction(async (tx) => {
      // No per-row foreign-key check either (the join with customers guarantees it).
      await tx.exec('SET LOCAL session_replication_role = replica');
      await tx.exec('DELETE FROM customer_activity_months');
      // The rows a customer's last_event_month vouches for are gone: back to "not known".
      await tx.exec('UPDATE customers SET last_event_month = NULL WHERE last_event_month IS NOT NULL');
      await tx.exec(
        `INSERT INTO customer_activity_months (customer_id, month, cohort_month, events, completed_orders)
         SELECT a.customer_id, a.month, (date_trunc('month', c.created_at AT TIME ZONE 'UTC'))::date, bool_or(a.events), sum(a.orders)::int
         FROM (SELECT customer_id, (date_trunc('month', occurred_at AT TIME ZONE 'UTC'))::date AS month, true AS events, 0 AS orders
               FROM customer_events GROUP BY 1, 2
               UNION ALL
               SELECT customer_id, (date_trunc('month', placed_at AT TIME ZONE 'UTC'))::date, false, count(*)
               FROM orders WHERE status = 'COMPLETED' GROUP BY 1, 2) a
         JOIN customers c ON c.id = a.customer_id
         GROUP BY a.customer_id, a.month, c.created_at`,
      );
    }),
  );
}

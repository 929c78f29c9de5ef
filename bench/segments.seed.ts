// Set-based generator of customers, orders and events at scale for bench/segments.bench.ts.
// Everything is INSERT … SELECT over generate_series inside PostgreSQL: no rows cross the wire.
// Activity is skewed (a few customers order and act a lot), as in real shops.
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
  await sql.query(
    `SELECT customer_events_ensure_partitions((date_trunc('month', now()) - interval '13 months')::date, 17)`,
  );
  for (let from = 1; from <= size.events; from += CHUNK) {
    const to = Math.min(size.events, from + CHUNK - 1);
    await timed(`events ${from}–${to}`, () =>
      sql.query(
        `INSERT INTO customer_events (customer_id, type, occurred_at, data, session_id)
         SELECT c.id, (ARRAY['page_view','page_view','product_view','product_view','add_to_cart','checkout','login'])[1 + x.g % 7], x.at,
                CASE WHEN x.g % 3 = 0 THEN jsonb_build_object('sku', 'SKU-' || (x.g % 500)) END, 's-' || (x.g / 5)
         FROM (SELECT g, 1 + floor($3::int * power(random(), 1.5))::int AS n, now() - random() * interval '365 days' AS at
               FROM generate_series($1::int, $2::int) g) x
         JOIN customers c ON c.number = x.n`,
        [from, to, n],
      ),
    );
  }
  await timed('VACUUM ANALYZE', () => sql.exec('VACUUM ANALYZE'));
}

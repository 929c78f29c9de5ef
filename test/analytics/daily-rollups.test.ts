import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

// analyticsOverview over all customers reads the per-day rollups daily_sales and daily_signups
// (kept by triggers on orders and customers) for whole days and the rows of the partial first
// and last day directly. These tests write through plain SQL the ways the application, imports
// and erasure do, and check after each write that the rollups equal a recount from the base
// tables, and that the overview equals the direct statement over the same range.
const Overview = graphql(`
  query RollupOverview($from: DateTime!, $to: DateTime!, $granularity: AnalyticsGranularity) {
    analyticsOverview(from: $from, to: $to, granularity: $granularity) {
      periods { start newCustomers orders revenue }
    }
  }
`);

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('daily rollups behind the analytics overview', () => {
  let server: TestServer;
  // A fixed past range: from 10:00 on day 0 to 07:00 on day 9 (partial first and last day).
  const day0 = Date.UTC(2025, 2, 3);
  const at = (days: number, hours = 0) => new Date(day0 + days * DAY + hours * HOUR).toISOString();
  const range = { from: at(0, 10), to: at(9, 7) };

  const recountDiff = async () => {
    const sales = await server.db.sql.query<{ side: string }>(
      `WITH truth AS (SELECT (placed_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS orders, sum(total) AS revenue
                      FROM orders WHERE status = 'COMPLETED' GROUP BY 1)
       , rollup AS (SELECT day, sum(orders)::int AS orders, sum(revenue) AS revenue FROM daily_sales GROUP BY 1
                    HAVING sum(orders) <> 0 OR sum(revenue) <> 0)
       (SELECT 'rollup' AS side, * FROM rollup EXCEPT SELECT 'rollup', * FROM truth)
       UNION ALL (SELECT 'truth', * FROM truth EXCEPT SELECT 'truth', * FROM rollup)`,
    );
    const signups = await server.db.sql.query<{ side: string }>(
      `WITH truth AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS customers
                      FROM customers WHERE status <> 'DELETED' GROUP BY 1)
       , rollup AS (SELECT day, sum(customers)::int AS customers FROM daily_signups GROUP BY 1 HAVING sum(customers) <> 0)
       (SELECT 'rollup' AS side, * FROM rollup EXCEPT SELECT 'rollup', * FROM truth)
       UNION ALL (SELECT 'truth', * FROM truth EXCEPT SELECT 'truth', * FROM rollup)`,
    );
    return { sales, signups };
  };

  // The statement the overview ran before the rollups, over every row of the range.
  const direct = async (unit: 'day' | 'week' | 'month') =>
    (
      await server.db.sql.query<{ start: Date; new_customers: number; orders: number; revenue: string }>(
        `WITH buckets AS (
           SELECT generate_series(date_trunc($3, $1::timestamptz, 'UTC'), $2::timestamptz - interval '1 microsecond', ('1 ' || $3)::interval) AS start),
         signups AS (SELECT date_trunc($3, created_at, 'UTC') AS start, count(*) AS n FROM customers
                     WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz AND status <> 'DELETED' GROUP BY 1),
         sales AS (SELECT date_trunc($3, placed_at, 'UTC') AS start, count(*) AS n, sum(total) AS revenue FROM orders
                   WHERE status = 'COMPLETED' AND placed_at >= $1::timestamptz AND placed_at < $2::timestamptz GROUP BY 1)
         SELECT b.start, coalesce(s.n, 0)::int AS new_customers, coalesce(o.n, 0)::int AS orders, coalesce(o.revenue, 0)::text AS revenue
         FROM buckets b LEFT JOIN signups s USING (start) LEFT JOIN sales o USING (start) ORDER BY b.start`,
        [range.from, range.to, unit],
      )
    ).map((r) => ({
      start: new Date(r.start).toISOString(),
      newCustomers: Number(r.new_customers),
      orders: Number(r.orders),
      revenue: String(Number(r.revenue)),
    }));

  const expectExact = async () => {
    expect(await recountDiff()).toEqual({ sales: [], signups: [] });
    for (const granularity of ['DAY', 'WEEK', 'MONTH'] as const) {
      const res = await server.gql(Overview, { ...range, granularity }, 'analyst');
      expect(res.errors).toBeUndefined();
      const periods = res.data!.analyticsOverview.periods.map((p) => ({
        start: new Date(p.start).toISOString(),
        newCustomers: p.newCustomers,
        orders: p.orders,
        revenue: String(Number(p.revenue)),
      }));
      expect(periods).toEqual(await direct(granularity.toLowerCase() as 'day'));
    }
  };

  beforeAll(async () => {
    server = await startTestServer();
    await server.token('analyst');
  });
  afterAll(() => server.close());

  it('stay equal to a recount through customer and order writes, and the overview to the direct statement', async () => {
    // Signups before the range, in its partial first day (before and after 10:00), in whole
    // days, in its partial last day (before and after 07:00) and after it.
    const signedUp = [at(-1, 12), at(0, 9), at(0, 11), at(3, 1), at(3, 23), at(9, 6), at(9, 8), at(12)];
    const customers = [];
    for (const createdAt of signedUp)
      customers.push(await insertCustomer(server.db, { createdAt: new Date(createdAt) }));
    const [a, b, c, d] = customers;
    // One multi-row insert (one trigger call) and single ones, across the same days.
    await server.db.sql.query(
      `INSERT INTO orders (number, customer_id, total, currency, status, placed_at) VALUES
         ('DR-1', $1::uuid, 10.50, 'USD', 'COMPLETED', $3), ('DR-2', $1::uuid, 20, 'USD', 'COMPLETED', $4),
         ('DR-3', $2::uuid, 30, 'USD', 'COMPLETED', $5), ('DR-4', $2::uuid, 40, 'USD', 'PENDING', $5),
         ('DR-5', $2::uuid, 5.25, 'EUR', 'COMPLETED', $6), ('DR-6', $1::uuid, 7, 'USD', 'COMPLETED', $7)`,
      [a.id, b.id, at(0, 9), at(0, 12), at(4, 5), at(9, 6), at(9, 8)],
    );
    await server.db.sql.query(
      `INSERT INTO orders (number, customer_id, total, currency, status, placed_at) VALUES ('DR-7', $1::uuid, 1, 'USD', 'COMPLETED', $2)`,
      [c.id, at(4, 6)],
    );
    await expectExact();

    // Completing, cancelling, moving to another day, changing a completed total, deleting.
    await server.db.sql.query(`UPDATE orders SET status = 'COMPLETED' WHERE number = 'DR-4'`);
    await server.db.sql.query(`UPDATE orders SET status = 'CANCELLED' WHERE number IN ('DR-1', 'DR-3')`);
    await server.db.sql.query(`UPDATE orders SET placed_at = $1 WHERE number = 'DR-2'`, [at(6, 2)]);
    await server.db.sql.query(`UPDATE orders SET total = total + 1.10 WHERE number = 'DR-5'`);
    await server.db.sql.query(`DELETE FROM orders WHERE number = 'DR-7'`);
    await expectExact();

    // A customer erased (DELETED no longer counts), one moved to another signup day, and one
    // deleted for good with its orders (cascade); then a customer comes back from DELETED.
    await server.db.sql.query(`UPDATE customers SET status = 'DELETED' WHERE id = $1::uuid`, [c.id]);
    await server.db.sql.query(`UPDATE customers SET created_at = $2 WHERE id = $1::uuid`, [d.id, at(5, 5)]);
    await server.db.sql.query(`DELETE FROM customers WHERE id = $1::uuid`, [b.id]);
    // Updates that change neither (status to another counting one, last activity) leave them alone.
    await server.db.sql.query(
      `UPDATE customers SET status = 'INACTIVE', last_activity_at = now() WHERE id = $1::uuid`,
      [a.id],
    );
    await expectExact();
    await server.db.sql.query(`UPDATE customers SET status = 'ACTIVE' WHERE id = $1::uuid`, [c.id]);
    await expectExact();
    // Rows (a day's slot) with nothing left are removed, not kept as zeros.
    const zeros = await server.db.sql.query(
      `SELECT day FROM daily_sales WHERE orders = 0 AND revenue = 0 UNION ALL SELECT day FROM daily_signups WHERE customers = 0`,
    );
    expect(zeros).toEqual([]);
  });
});

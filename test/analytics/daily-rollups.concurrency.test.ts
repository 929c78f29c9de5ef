// The per-day rollups (daily_signups, daily_sales) at the same time, on PostgreSQL only: writers
// of the same day on different connections must not queue on one row (each connection writes the
// slot pg_backend_pid() % 16), while the totals stay exact.
import { Client } from 'pg';
import { describeConcurrency } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const SLOTS = 16;

describeConcurrency('daily rollups with concurrent writers of the same day', () => {
  let test: TestDatabase;
  const clients: Client[] = [];

  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await test?.close();
  });

  /** A new connection and its slot. */
  const connect = async () => {
    const client = new Client({ connectionString: test.url });
    await client.connect();
    clients.push(client);
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return { client, slot: pid % SLOTS };
  };
  /** Connections until one is in (or, with `other`, not in) the given slot. */
  const connectWhere = async (wanted: (slot: number) => boolean) => {
    for (let tries = 0; tries < 200; tries++) {
      const c = await connect();
      if (wanted(c.slot)) return c;
      await c.client.end();
      clients.pop();
    }
    throw new Error('no connection with the wanted slot in 200 tries');
  };
  let n = 0;
  const signUp = (client: Client) =>
    client.query(
      `WITH c AS (INSERT INTO customers (first_name, last_name, email) VALUES ('R', 'S', $1) RETURNING id)
       INSERT INTO orders (number, customer_id, total, currency, status, placed_at)
       SELECT $2, c.id, 12.50, 'USD', 'COMPLETED', now() FROM c`,
      [`rollup-${++n}@example.com`, `RC-${n}`],
    );
  const today = async () =>
    (
      await test.sql.query<{ customers: number; orders: number; revenue: string }>(
        `SELECT (SELECT coalesce(sum(customers), 0)::int FROM daily_signups WHERE day = (now() AT TIME ZONE 'UTC')::date) AS customers,
                (SELECT coalesce(sum(orders), 0)::int FROM daily_sales WHERE day = (now() AT TIME ZONE 'UTC')::date) AS orders,
                (SELECT coalesce(sum(revenue), 0)::text FROM daily_sales WHERE day = (now() AT TIME ZONE 'UTC')::date) AS revenue`,
      )
    )[0];

  it('a signup with an order commits while another connection holds its own signup of today open; one in the same slot waits', async () => {
    const a = await connect();
    const b = await connectWhere((slot) => slot !== a.slot);
    const same = await connectWhere((slot) => slot === a.slot);
    const before = await today();

    await a.client.query('BEGIN');
    await signUp(a.client);
    // With one row per day, B would wait for A's commit; lock_timeout turns a wait into an error.
    await b.client.query(`SET lock_timeout = '500ms'`);
    await signUp(b.client);
    // Same slot as A: it does queue behind A (the rows are still locked, only spread).
    await same.client.query(`SET lock_timeout = '300ms'`);
    await expect(signUp(same.client)).rejects.toMatchObject({ code: '55P03' });
    await a.client.query('COMMIT');

    const after = await today();
    expect({ ...after, revenue: Number(after.revenue) }).toEqual({
      customers: before.customers + 2,
      orders: before.orders + 2,
      revenue: Number(before.revenue) + 25,
    });
    // Two slots of today hold a row each.
    const slots = await test.sql.query<{ slot: number }>(
      `SELECT slot FROM daily_signups WHERE day = (now() AT TIME ZONE 'UTC')::date ORDER BY slot`,
    );
    expect(slots.map((s) => s.slot)).toEqual([...new Set([a.slot, b.slot])].sort((x, y) => x - y));
  });
});

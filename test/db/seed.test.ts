import { verifyPassword } from '../../src/auth/password';
import { DEMO_USERS, seedCustomers, seedDemoData } from '../../src/db/seed';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const EMAIL = /^[a-z0-9._-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const E164 = /^\+[1-9]\d{7,14}$/;

let db: TestDatabase;
const count = async (table: string) => (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
const counts = async () => ({
  staff: await count('staff_users'),
  customers: await count('customers'),
  addresses: await count('addresses'),
  loyalty: await count('loyalty_accounts'),
  rewards: await count('rewards'),
});

/** Customers breaking an invariant: not exactly one default address, or no loyalty account. */
const brokenCustomers = async () =>
  (
    await db.sql.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM customers c
      WHERE (SELECT count(*) FROM addresses a WHERE a.customer_id = c.id AND a.is_default) <> 1
         OR NOT EXISTS (SELECT 1 FROM loyalty_accounts l WHERE l.customer_id = c.id)`)
  )[0].n;

// Seeded here, not by the first test, so each test passes alone and in any order.
let firstSeed: boolean;
let firstCounts: Awaited<ReturnType<typeof counts>>;
beforeAll(async () => {
  db = await createTestDatabase();
  firstSeed = await seedDemoData(db);
  firstCounts = await counts();
});

afterAll(async () => {
  await db?.close();
});

describe('seedDemoData', () => {
  it('seeds an empty database once and leaves it alone afterwards', async () => {
    expect(firstSeed).toBe(true);
    expect(firstCounts).toMatchObject({ staff: DEMO_USERS.length, customers: 40, loyalty: 40 });
    expect(firstCounts.rewards).toBeGreaterThanOrEqual(3);

    expect(await seedDemoData(db)).toBe(false);
    expect(await counts()).toEqual(firstCounts);
  });

  it('stores working password hashes for the documented demo accounts', async () => {
    const [admin] = await db.sql.query<{ password_hash: string; role: string }>(
      'SELECT password_hash, role FROM staff_users WHERE email = $1',
      ['admin@example.com'],
    );
    expect(admin.role).toBe('ADMIN');
    expect(await verifyPassword('admin-demo-password', admin.password_hash)).toBe(true);
  });

  it('gives every demo customer one default address, a fresh loyalty account, consent and an agent', async () => {
    expect(await brokenCustomers()).toBe(0);
    const rows = await db.sql.query<{ tier: string; points_balance: number; consent: boolean; role: string | null }>(`
      SELECT l.tier, l.points_balance, c.data_processing_consent_at IS NOT NULL AS consent, s.role
      FROM customers c JOIN loyalty_accounts l ON l.customer_id = c.id LEFT JOIN staff_users s ON s.id = c.owner_id`);
    expect(rows).toHaveLength(40);
    for (const row of rows) expect(row).toEqual({ tier: 'BRONZE', points_balance: 0, consent: true, role: 'AGENT' });
    const owners = await db.sql.query('SELECT DISTINCT owner_id FROM customers');
    expect(owners).toHaveLength(2);
    const rewards = await db.sql.query<{ name: string; points_cost: number; stock: number | null }>(
      'SELECT name, points_cost, stock FROM rewards',
    );
    expect(rewards).toEqual(
      expect.arrayContaining([
        { name: 'Coffee voucher', points_cost: 100, stock: null },
        { name: 'Free shipping', points_cost: 250, stock: null },
        { name: '10% off', points_cost: 500, stock: 50 },
      ]),
    );
  });
});

describe('seedCustomers', () => {
  // A database of its own, so the demo-data tests above see exactly the demo data in any order.
  let demo: TestDatabase;
  beforeAll(async () => {
    demo = db;
    db = await createTestDatabase();
    await seedDemoData(db);
  });
  afterAll(async () => {
    await db.close();
    db = demo;
  });

  it('inserts realistic customers with a default address and a loyalty account each', async () => {
    const before = await count('customers');
    expect(await seedCustomers(db.sql, 2000)).toBe(2000);
    expect(await count('customers')).toBe(before + 2000);
    expect(await brokenCustomers()).toBe(0);

    const customers = await db.sql.query<{ email: string; phone: string | null; adult: boolean }>(`
      SELECT email, phone, birth_date BETWEEN current_date - interval '85 years' AND current_date - interval '18 years' AS adult
      FROM customers`);
    expect(new Set(customers.map((c) => c.email)).size).toBe(customers.length);
    for (const { email, phone, adult } of customers) {
      expect(email).toMatch(EMAIL);
      if (phone !== null) expect(phone).toMatch(E164);
      expect(adult).toBe(true);
    }
    const [{ bad }] = await db.sql.query<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM addresses WHERE country !~ '^[A-Z]{2}$' OR latitude NOT BETWEEN -90 AND 90`,
    );
    expect(bad).toBe(0);
  });

  it('can run again, in batches, without unique violations', async () => {
    const before = await count('customers');
    expect(await seedCustomers(db.sql, 2000, { batchSize: 700 })).toBe(2000);
    expect(await count('customers')).toBe(before + 2000);
    expect(await count('loyalty_accounts')).toBe(before + 2000);
    expect(await brokenCustomers()).toBe(0);
  });
});

import { verifyPassword } from '../../src/auth/password';
import { DEMO_USERS, seedCustomers, seedDemoData } from '../../src/db/seed';
import { analyseCoverage } from '../../src/modules/coverage/coverage.analysis';
import { DEFAULT_RULES } from '../../src/modules/coverage/coverage.rules';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const EMAIL = /^[a-z0-9._-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const E164 = /^\+[1-9]\d{7,14}$/;

let db: TestDatabase;
const count = async (table: string) =>
  (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
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

  it('gives every demo customer one default address, a loyalty account, consent and an agent', async () => {
    expect(await brokenCustomers()).toBe(0);
    const rows = await db.sql.query<{ consent: boolean; role: string | null }>(`
      SELECT c.data_processing_consent_at IS NOT NULL AS consent, s.role
      FROM customers c JOIN loyalty_accounts l ON l.customer_id = c.id LEFT JOIN staff_users s ON s.id = c.owner_id`);
    expect(rows).toHaveLength(40);
    for (const row of rows) expect(row).toEqual({ consent: true, role: 'AGENT' });
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

  it('shows loyalty activity in every tier: earn, redeem and expiry entries, a reward redemption', async () => {
    const tiers = await db.sql.query<{ tier: string; n: number }>(
      'SELECT tier::text, count(*)::int AS n FROM loyalty_accounts GROUP BY tier',
    );
    expect(tiers.map((t) => t.tier).sort()).toEqual(['BRONZE', 'GOLD', 'PLATINUM', 'SILVER']);
    const entries = await db.sql.query<{ type: string; n: number }>(
      'SELECT type::text, count(*)::int AS n FROM loyalty_ledger GROUP BY type',
    );
    const byType = Object.fromEntries(entries.map((e) => [e.type, e.n]));
    expect(byType).toMatchObject({ EARN: expect.any(Number), REDEEM: expect.any(Number), EXPIRE: expect.any(Number) });
    expect(await count('reward_redemptions')).toBeGreaterThanOrEqual(2);
    // The ledger adds up: every balance is the sum of its account's entries.
    const [{ off }] = await db.sql.query<{ off: number }>(`
      SELECT count(*)::int AS off FROM loyalty_accounts a
      WHERE a.points_balance <> coalesce((SELECT sum(points) FROM loyalty_ledger e WHERE e.account_id = a.id), 0)`);
    expect(off).toBe(0);
  });

  it('shows orders in several states with feedback', async () => {
    const statuses = await db.sql.query<{ status: string }>('SELECT DISTINCT status::text FROM orders');
    expect(statuses.map((s) => s.status)).toEqual(
      expect.arrayContaining(['COMPLETED', 'PENDING', 'CANCELLED', 'DELIVERED']),
    );
    const feedback = await db.sql.query<{ status: string; rating: number }>(
      'SELECT status::text, rating FROM feedback',
    );
    expect(feedback.length).toBeGreaterThanOrEqual(5);
    expect(new Set(feedback.map((f) => f.status)).size).toBeGreaterThanOrEqual(3);
    expect(Math.min(...feedback.map((f) => f.rating))).toBeLessThanOrEqual(2);
  });

  it('shows policies of every insurable type, claims in every state, a renewal and renewals due', async () => {
    const types = await db.sql.query<{ type: string }>('SELECT DISTINCT type::text FROM policies');
    expect(types.map((t) => t.type).sort()).toEqual(['ACCIDENT', 'AUTO', 'HEALTH', 'HOME', 'LIFE', 'TRAVEL']);
    const claims = await db.sql.query<{ status: string }>('SELECT DISTINCT status::text FROM claims');
    expect(claims.map((c) => c.status).sort()).toEqual(['APPROVED', 'FILED', 'IN_REVIEW', 'PAID', 'REJECTED']);
    expect(await count('policy_renewals')).toBeGreaterThanOrEqual(1);
    const [{ due }] = await db.sql.query<{ due: number }>(
      `SELECT count(*)::int AS due FROM policies WHERE status = 'ACTIVE' AND end_date BETWEEN current_date AND current_date + 30`,
    );
    expect(due).toBeGreaterThanOrEqual(2);
  });

  it('gives at least one customer a gap for every coverage rule', async () => {
    const customers = await db.prisma.customer.findMany({ include: { policies: true } });
    const codes = new Set(customers.flatMap((c) => analyseCoverage(c, c.policies, new Date()).gaps.map((g) => g.code)));
    expect([...codes].sort()).toEqual(Object.keys(DEFAULT_RULES.rules).sort());
  });

  it('is the same on every fresh start', async () => {
    const other = await createTestDatabase();
    try {
      await seedDemoData(other);
      const names = (sql: TestDatabase['sql']) =>
        sql.query('SELECT number, first_name, last_name, email, birth_date FROM customers ORDER BY number');
      const policies = (sql: TestDatabase['sql']) =>
        sql.query(
          'SELECT number, type, coverage_amount, end_date - current_date AS days FROM policies ORDER BY number',
        );
      expect(await names(other.sql)).toEqual(await names(db.sql));
      expect(await policies(other.sql)).toEqual(await policies(db.sql));
    } finally {
      await other.close();
    }
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

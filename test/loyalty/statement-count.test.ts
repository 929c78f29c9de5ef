// No N+1: loyalty fields of a page of customers load through per-request DataLoaders; and the
// earn mutation's bound (BEGIN and COMMIT included), with its locks, replay, tier upgrade and audit.
import { graphql } from '../generated';
import { insertCustomers } from '../helpers/factories';
import { countStatements, startTestServer, type TestServer } from '../helpers/server';
import { LoyaltyCustomersLedger } from './loyalty.documents';

/** The earn of the benchmark's "loyalty earn" scenario: the answer needs no statement after the transaction. */
const LoyaltyEarnCounted = graphql(`
  mutation LoyaltyEarnCounted($customerId: ID!, $input: LoyaltyPointsInput!) {
    loyaltyPointsEarn(customerId: $customerId, input: $input) {
      replayed
      entry { id points balanceAfter }
      account { tier pointsBalance lifetimePoints }
      userErrors { code field message }
    }
  }
`);

describe('loyalty statement count', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await insertCustomers(server.db, 50, { ownerId: server.staffIds.agent, addresses: 0 });
    // Per account: lots of 100..600 earned a minute apart, then 50 redeemed from the oldest lot;
    // 7 entries, more than the 5 asked for, so every page has a next page.
    await server.db.sql.exec(`
      INSERT INTO loyalty_ledger (account_id, type, points, remaining, expires_at, reason, balance_after, created_at)
      SELECT a.id, 'EARN', 100 * i, CASE WHEN i = 1 THEN 50 ELSE 100 * i END,
             now() - make_interval(mins => 7 - i) + interval '12 months', 'Seed', 50 * i * (i + 1), now() - make_interval(mins => 7 - i)
      FROM loyalty_accounts a, generate_series(1, 6) AS i;
      INSERT INTO loyalty_ledger (account_id, type, points, reason, balance_after, created_at)
      SELECT id, 'REDEEM', -50, 'Seed', 2050, now() FROM loyalty_accounts;
      UPDATE loyalty_accounts SET points_balance = 2050, lifetime_points = 2100, tier = 'GOLD';
    `);
  });
  afterAll(() => server.close());

  it('customers(first: N) { loyalty { tier pointsBalance qualifyingPoints pointsExpiring transactions(first: 5) } } issues as many statements for N = 5 as for N = 50', async () => {
    const token = await server.token('admin');
    const run = (first: number) =>
      countStatements(server.db, () => server.gql(LoyaltyCustomersLedger, { first }, { token }));
    const five = await run(5);
    const fifty = await run(50);
    expect(five.result.errors).toBeUndefined();
    expect(fifty.result.errors).toBeUndefined();
    const accounts = fifty.result.data!.customers.edges.map((e) => e.node.loyalty!);
    expect(accounts).toHaveLength(50);
    for (const account of accounts) {
      expect(account).toMatchObject({
        tier: 'GOLD',
        pointsBalance: 2050,
        qualifyingPoints: 2100,
        pointsToNextTier: 2900,
        pointsExpiring: 0,
      });
      expect(account.transactions.totalCount).toBe(7);
      expect(account.transactions.edges.map((e) => e.node.points)).toEqual([-50, 600, 500, 400, 300]);
    }
    // The page, the accounts, the ledger pages (one window-function statement), the ledger
    // counts, the qualifying points and the expiring points: one statement each.
    console.log(`loyalty statement count: N=5 → ${five.statements}, N=50 → ${fifty.statements}`);
    expect(five.statements).toBe(6);
    expect(fifty.statements).toBe(five.statements);
  });

  describe('loyaltyPointsEarn', () => {
    let customers: Awaited<ReturnType<typeof insertCustomers>>;

    beforeAll(async () => {
      customers = await insertCustomers(server.db, 2, { ownerId: server.staffIds.agent, addresses: 0 });
      await server.token('agent'); // logged in before counting
    });

    const earn = (customer: { globalId: string }, points: number, idempotencyKey: string) =>
      countStatements(server.db, () =>
        server.gql(
          LoyaltyEarnCounted,
          { customerId: customer.globalId, input: { points, reason: 'Counted purchase', idempotencyKey } },
          'agent',
        ),
      );

    it('is at most 5 statements with BEGIN/COMMIT, and a replay of it at most 4, writing nothing again', async () => {
      const [customer] = customers;
      const first = await earn(customer, 120, `counted-${customer.id}`);
      expect(first.result.data!.loyaltyPointsEarn).toMatchObject({
        replayed: false,
        entry: { points: 120, balanceAfter: 120 },
        account: { tier: 'BRONZE', pointsBalance: 120, lifetimePoints: 120 },
        userErrors: [],
      });
      expect(first.sql[0]).toMatch(/^BEGIN/i);
      expect(first.sql[first.sql.length - 1]).toMatch(/^COMMIT/i);
      expect(first.statements).toBeLessThanOrEqual(5);

      const replay = await earn(customer, 120, `counted-${customer.id}`);
      expect(replay.result.data!.loyaltyPointsEarn).toMatchObject({
        replayed: true,
        entry: first.result.data!.loyaltyPointsEarn.entry!,
        account: { pointsBalance: 120 },
      });
      expect(replay.statements).toBeLessThanOrEqual(4);
      const audit = await server.db.sql.query<{ action: string }>(
        `SELECT a.action FROM audit_log a JOIN loyalty_accounts l ON l.id::text = a.entity_id WHERE l.customer_id = $1`,
        [customer.id],
      );
      expect(audit.map((a) => a.action)).toEqual(['loyalty.points.earn']);
    });

    it('crossing a tier is still at most 5 statements, with history, notification and audit entries in order', async () => {
      const customer = customers[1];
      const { result, statements } = await earn(customer, 500, `counted-silver-${customer.id}`);
      expect(result.data!.loyaltyPointsEarn).toMatchObject({
        replayed: false,
        account: { tier: 'SILVER', pointsBalance: 500 },
        userErrors: [],
      });
      expect(statements).toBeLessThanOrEqual(5);
      const history = await server.db.sql.query<{
        kind: string;
        from_tier: string;
        to_tier: string;
        qualifying_points: number;
      }>(
        `SELECT t.kind, t.from_tier, t.to_tier, t.qualifying_points FROM loyalty_tier_changes t
         JOIN loyalty_accounts l ON l.id = t.account_id WHERE l.customer_id = $1`,
        [customer.id],
      );
      expect(history).toEqual([{ kind: 'UPGRADE', from_tier: 'BRONZE', to_tier: 'SILVER', qualifying_points: 500 }]);
      const notifications = await server.db.sql.query<{ type: string }>(
        `SELECT type FROM notifications WHERE customer_id = $1 AND type = 'TIER_UPGRADED'`,
        [customer.id],
      );
      expect(notifications).toHaveLength(1);
      const audit = await server.db.sql.query<{ action: string; actor_role: string }>(
        `SELECT a.action, a.actor_role FROM audit_log a JOIN loyalty_accounts l ON l.id::text = a.entity_id
         WHERE l.customer_id = $1 ORDER BY a.id`,
        [customer.id],
      );
      expect(audit).toEqual([
        { action: 'loyalty.tier.upgrade', actor_role: 'AGENT' },
        { action: 'loyalty.points.earn', actor_role: 'AGENT' },
      ]);
    });
  });
});

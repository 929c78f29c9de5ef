// No N+1: loyalty fields of a page of customers load through per-request DataLoaders.
import { insertCustomers } from '../helpers/factories';
import { countAtFiveAndFifty, startTestServer, type TestServer } from '../helpers/server';
import { LoyaltyCustomersLedger } from './loyalty.documents';

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
    const { five, fifty } = await countAtFiveAndFifty(server.db, (first) =>
      server.gql(LoyaltyCustomersLedger, { first }, { token }),
    );
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
    // The page's keys, its rows with their accounts, ledger pages and ledger counts (the planner),
    // the qualifying points and the expiring points: one statement each.
    console.log(`loyalty statement count: N=5 → ${five.statements}, N=50 → ${fifty.statements}`);
    expect(five.statements).toBe(4);
    expect(fifty.statements).toBe(five.statements);
  });
});

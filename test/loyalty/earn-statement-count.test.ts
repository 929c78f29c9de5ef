// The earn mutation's statement bound (BEGIN and COMMIT included: db.transaction), with what it
// must still do: its locks, the replay, the tier upgrade and the audit entries in order.
import { graphql } from '../generated';
import { insertCustomers } from '../helpers/factories';
import { countStatements, startTestServer, type TestServer } from '../helpers/server';

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

describe('loyaltyPointsEarn statement count', () => {
  let server: TestServer;
  let customers: Awaited<ReturnType<typeof insertCustomers>>;

  beforeAll(async () => {
    server = await startTestServer();
    customers = await insertCustomers(server.db, 2, { ownerId: server.staffIds.agent, addresses: 0 });
    await server.token('agent'); // logged in before counting
  });
  afterAll(() => server.close());

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

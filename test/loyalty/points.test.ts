// Earn, redeem and adjust through HTTP: results, idempotency, and bad input that changes nothing.
import { toGlobalId } from '../../src/graphql/relay';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { LoyaltyAccountOf, LoyaltyAdjust, LoyaltyEarn, LoyaltyNode, LoyaltyRedeem } from './loyalty.documents';
import { expectConsistentLedger, loyaltySnapshot, newKey } from './support';

describe('loyalty points: earn, redeem, adjust', () => {
  let server: TestServer;
  let customer: { id: string; globalId: string };

  beforeAll(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
  });
  afterAll(() => server.close());

  const earn = (
    points: number,
    key = newKey(),
    who: Parameters<TestServer['gql']>[2] = 'agent',
    id = customer.globalId,
  ) => server.gql(LoyaltyEarn, { customerId: id, input: { points, reason: 'Purchase', idempotencyKey: key } }, who);
  const redeem = (points: number, key = newKey(), who: Parameters<TestServer['gql']>[2] = 'agent') =>
    server.gql(
      LoyaltyRedeem,
      { customerId: customer.globalId, input: { points, reason: 'Voucher', idempotencyKey: key } },
      who,
    );

  it('earns points as a lot expiring in 12 months and redeems them', async () => {
    const earned = (await earn(120)).data!.loyaltyPointsEarn;
    expect(earned.userErrors).toEqual([]);
    expect(earned.replayed).toBe(false);
    expect(earned.entry).toMatchObject({
      type: 'EARN',
      points: 120,
      balanceAfter: 120,
      reason: 'Purchase',
      remaining: 120,
    });
    const created = new Date(earned.entry!.createdAt);
    const expires = new Date(earned.entry!.expiresAt!);
    expect(
      expires.getUTCFullYear() * 12 + expires.getUTCMonth() - (created.getUTCFullYear() * 12 + created.getUTCMonth()),
    ).toBe(12);
    expect(earned.account).toMatchObject({
      tier: 'BRONZE',
      pointsBalance: 120,
      lifetimePoints: 120,
      qualifyingPoints: 120,
      nextTier: 'SILVER',
      pointsToNextTier: 380,
    });

    const spent = (await redeem(70)).data!.loyaltyPointsRedeem;
    expect(spent.userErrors).toEqual([]);
    expect(spent.entry).toMatchObject({ type: 'REDEEM', points: -70, balanceAfter: 50 });
    // Redeeming lowers neither lifetime nor qualifying points.
    expect(spent.account).toMatchObject({ pointsBalance: 50, lifetimePoints: 120, qualifyingPoints: 120 });

    const account = (await server.gql(LoyaltyAccountOf, { id: customer.globalId, first: 10 }, 'agent')).data!.customer!
      .loyalty!;
    expect(account.transactions.totalCount).toBe(2);
    expect(
      account.transactions.edges.map((e) => [e.node.type, e.node.points, e.node.balanceAfter, e.node.remaining]),
    ).toEqual([
      ['REDEEM', -70, 50, null],
      ['EARN', 120, 120, 50],
    ]);
    await expectConsistentLedger(server.db, customer.id);
  });

  it('pages the ledger newest first with cursors', async () => {
    for (const points of [1, 2, 3, 4, 5]) await earn(points);
    const first = (await server.gql(LoyaltyAccountOf, { id: customer.globalId, first: 2 }, 'agent')).data!.customer!
      .loyalty!.transactions;
    expect(first.edges.map((e) => e.node.points)).toEqual([5, 4]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (
      await server.gql(LoyaltyAccountOf, { id: customer.globalId, first: 10, after: first.pageInfo.endCursor }, 'agent')
    ).data!.customer!.loyalty!.transactions;
    expect(rest.edges.map((e) => e.node.points)).toEqual([3, 2, 1]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const bad = await server.gql(LoyaltyAccountOf, { id: customer.globalId, first: 2, after: 'not-a-cursor' }, 'agent');
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('replays the same key with the first result, applied once', async () => {
    const key = newKey('replay');
    const first = (await earn(40, key)).data!.loyaltyPointsEarn;
    await earn(10);
    const again = (await earn(40, key)).data!.loyaltyPointsEarn;
    expect(again.userErrors).toEqual([]);
    expect(again.replayed).toBe(true);
    expect(again.entry).toEqual(first.entry);
    expect(again.account!.pointsBalance).toBe(50);

    const redeemKey = newKey('replay-redeem');
    const spent = (await redeem(30, redeemKey)).data!.loyaltyPointsRedeem;
    // A replay answers even though the balance (20) would no longer cover it.
    const spentAgain = (await redeem(30, redeemKey)).data!.loyaltyPointsRedeem;
    expect(spentAgain).toMatchObject({ replayed: true, userErrors: [] });
    expect(spentAgain.entry).toEqual(spent.entry);
    expect((await expectConsistentLedger(server.db, customer.id)).balance).toBe(20);
  });

  it('refuses a key reused for a different request with IDEMPOTENCY_CONFLICT and changes nothing', async () => {
    const key = newKey('conflict');
    await earn(40, key);
    const other = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const before = await loyaltySnapshot(server.db);
    const attempts = [
      await earn(41, key), // other points
      await server.gql(
        LoyaltyEarn,
        { customerId: customer.globalId, input: { points: 40, reason: 'Other reason', idempotencyKey: key } },
        'agent',
      ),
      await earn(40, key, 'agent', other.globalId), // other account
    ];
    for (const res of attempts)
      expect(res.data!.loyaltyPointsEarn.userErrors).toEqual([
        expect.objectContaining({ code: 'IDEMPOTENCY_CONFLICT', field: ['input', 'idempotencyKey'] }),
      ]);
    const asRedeem = (await redeem(40, key)).data!.loyaltyPointsRedeem; // other type
    expect(asRedeem.userErrors[0].code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await loyaltySnapshot(server.db)).toEqual(before);
  });

  it('refuses a redemption larger than the balance with INSUFFICIENT_POINTS, changing nothing', async () => {
    await earn(100);
    const before = await loyaltySnapshot(server.db);
    const res = (await redeem(101)).data!.loyaltyPointsRedeem;
    expect(res.entry).toBeNull();
    expect(res.userErrors).toEqual([
      expect.objectContaining({ code: 'INSUFFICIENT_POINTS', field: ['input', 'points'] }),
    ]);
    expect(await loyaltySnapshot(server.db)).toEqual(before);
  });

  it.each([
    ['zero points', { points: 0 }, ['input', 'points']],
    ['negative points', { points: -5 }, ['input', 'points']],
    ['absurd points', { points: 1_000_001 }, ['input', 'points']],
    ['a blank reason', { reason: '   ' }, ['input', 'reason']],
    ['an empty key', { idempotencyKey: '' }, ['input', 'idempotencyKey']],
  ])('rejects %s with VALIDATION and changes nothing', async (_, change, field) => {
    const before = await loyaltySnapshot(server.db);
    const input = { points: 10, reason: 'Purchase', idempotencyKey: newKey(), ...change };
    const earned = (await server.gql(LoyaltyEarn, { customerId: customer.globalId, input }, 'agent')).data!
      .loyaltyPointsEarn;
    const redeemed = (await server.gql(LoyaltyRedeem, { customerId: customer.globalId, input }, 'agent')).data!
      .loyaltyPointsRedeem;
    for (const payload of [earned, redeemed])
      expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'VALIDATION', field })]);
    expect(await loyaltySnapshot(server.db)).toEqual(before);
  });

  it('treats points that are not a 32-bit integer as BAD_USER_INPUT', async () => {
    const res = await server.post(
      {
        query:
          'mutation LoyaltyBig($c: ID!) { loyaltyPointsEarn(customerId: $c, input: { points: 99999999999, reason: "x", idempotencyKey: "big" }) { userErrors { code } } }',
        variables: { c: customer.globalId },
      },
      'agent',
    );
    expect(res.errors?.[0].extensions?.code).toMatch(/GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/);
  });

  it("hides another agent's customer (NOT_FOUND) and keeps analysts read-only", async () => {
    const before = await loyaltySnapshot(server.db);
    expect((await earn(10, newKey(), 'otherAgent')).data!.loyaltyPointsEarn.userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: ['customerId'] }),
    ]);
    const unknown = toGlobalId('Customer', '00000000-0000-4000-8000-000000000000');
    expect((await earn(10, newKey(), 'admin', unknown)).data!.loyaltyPointsEarn.userErrors[0].code).toBe('NOT_FOUND');
    expect((await earn(10, newKey(), 'admin', 'garbage')).data!.loyaltyPointsEarn.userErrors[0].code).toBe('NOT_FOUND');
    expect((await earn(10, newKey(), 'analyst')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await loyaltySnapshot(server.db)).toEqual(before);
    expect((await server.gql(LoyaltyAccountOf, { id: customer.globalId }, 'otherAgent')).data!.customer).toBeNull();
  });

  it('refetches accounts and ledger entries by node(id), only for those who may see the customer', async () => {
    const entry = (await earn(15)).data!.loyaltyPointsEarn.entry!;
    const node = (await server.gql(LoyaltyNode, { id: entry.id }, 'agent')).data!.node;
    expect(node).toMatchObject({
      id: entry.id,
      points: 15,
      account: { pointsBalance: 15, customer: { id: customer.globalId } },
    });
    expect((await server.gql(LoyaltyNode, { id: entry.id }, 'otherAgent')).data!.node).toBeNull();
    const accountId = (await server.gql(LoyaltyAccountOf, { id: customer.globalId }, 'agent')).data!.customer!.loyalty!
      .id;
    expect((await server.gql(LoyaltyNode, { id: accountId }, 'analyst')).data!.node).toMatchObject({ tier: 'BRONZE' });
    expect((await server.gql(LoyaltyNode, { id: accountId }, 'otherAgent')).data!.node).toBeNull();
  });

  it('lets only MANAGER/ADMIN adjust, by signed points with a reason', async () => {
    await earn(100);
    const adjust = (points: number, who: 'manager' | 'agent' = 'manager', reason = 'Goodwill') =>
      server.gql(
        LoyaltyAdjust,
        { customerId: customer.globalId, input: { points, reason, idempotencyKey: newKey('adj') } },
        who,
      );
    expect((await adjust(50, 'agent')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const plus = (await adjust(50)).data!.loyaltyPointsAdjust;
    // A positive adjustment is spendable but is not earned: lifetime and qualifying points stay.
    expect(plus).toMatchObject({
      userErrors: [],
      entry: { type: 'ADJUST', points: 50, balanceAfter: 150, remaining: 50 },
      account: { lifetimePoints: 100, qualifyingPoints: 100 },
    });
    const minus = (await adjust(-120)).data!.loyaltyPointsAdjust;
    expect(minus).toMatchObject({ userErrors: [], entry: { type: 'ADJUST', points: -120, balanceAfter: 30 } });
    expect((await adjust(-31)).data!.loyaltyPointsAdjust.userErrors[0].code).toBe('INSUFFICIENT_POINTS');
    expect((await adjust(0)).data!.loyaltyPointsAdjust.userErrors[0]).toMatchObject({
      code: 'VALIDATION',
      field: ['input', 'points'],
    });
    expect((await adjust(5, 'manager', '')).data!.loyaltyPointsAdjust.userErrors[0]).toMatchObject({
      code: 'VALIDATION',
      field: ['input', 'reason'],
    });
    await expectConsistentLedger(server.db, customer.id);
  });
});

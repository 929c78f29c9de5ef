// The rewards catalogue and reward redemption through HTTP.
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  LoyaltyEarn,
  LoyaltyRewardCreate,
  LoyaltyRewardRedeem,
  LoyaltyRewards,
  LoyaltyRewardUpdate,
} from './loyalty.documents';
import { expectConsistentLedger, loyaltySnapshot, newKey } from './support';

describe('loyalty rewards', () => {
  let server: TestServer;
  let customer: { id: string; globalId: string };
  let seq = 0;

  beforeAll(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
  });
  afterAll(() => server.close());

  const createReward = async (pointsCost: number, stock: number | null = null, active = true) => {
    const res = (
      await server.gql(
        LoyaltyRewardCreate,
        { input: { name: `Reward ${++seq}`, pointsCost, stock, active } },
        'manager',
      )
    ).data!.rewardCreate;
    expect(res.userErrors).toEqual([]);
    return res.reward!;
  };
  const earn = (points: number) =>
    server.gql(
      LoyaltyEarn,
      { customerId: customer.globalId, input: { points, reason: 'Purchase', idempotencyKey: newKey() } },
      'agent',
    );
  const redeem = async (rewardId: string, key = newKey('reward')) =>
    (
      await server.gql(
        LoyaltyRewardRedeem,
        { customerId: customer.globalId, input: { rewardId, idempotencyKey: key } },
        'agent',
      )
    ).data!.loyaltyRewardRedeem;

  it('lets MANAGER/ADMIN maintain the catalogue, with clear errors', async () => {
    const denied = await server.gql(LoyaltyRewardCreate, { input: { name: 'Nope', pointsCost: 10 } }, 'agent');
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const reward = await createReward(300, 5);
    expect(reward).toMatchObject({ pointsCost: 300, stock: 5, active: true });
    const duplicate = (
      await server.gql(LoyaltyRewardCreate, { input: { name: reward.name, pointsCost: 10 } }, 'manager')
    ).data!.rewardCreate;
    expect(duplicate.userErrors).toEqual([expect.objectContaining({ code: 'DUPLICATE', field: ['input', 'name'] })]);
    const invalid = (
      await server.gql(LoyaltyRewardCreate, { input: { name: '', pointsCost: 0, stock: -1 } }, 'manager')
    ).data!.rewardCreate;
    expect(invalid.userErrors.map((e) => e.field)).toEqual([
      ['input', 'name'],
      ['input', 'pointsCost'],
      ['input', 'stock'],
    ]);
    const updated = (
      await server.gql(LoyaltyRewardUpdate, { id: reward.id, input: { active: false, stock: null } }, 'admin')
    ).data!.rewardUpdate;
    expect(updated.reward).toMatchObject({ active: false, stock: null, pointsCost: 300 });
  });

  it('lists the catalogue cheapest first, active only by default, with cursors', async () => {
    const inactive = await createReward(1, null, false);
    const cheap = await createReward(2);
    const dear = await createReward(3);
    const active = (await server.gql(LoyaltyRewards, { first: 100 }, 'analyst')).data!.rewards;
    expect(active.edges.map((e) => e.node.id)).not.toContain(inactive.id);
    const all = (await server.gql(LoyaltyRewards, { first: 2, activeOnly: false }, 'agent')).data!.rewards;
    expect(all.edges.map((e) => e.node.id)).toEqual([inactive.id, cheap.id]);
    expect(all.totalCount).toBeGreaterThanOrEqual(3);
    const next = (
      await server.gql(LoyaltyRewards, { first: 1, after: all.pageInfo.endCursor, activeOnly: false }, 'agent')
    ).data!.rewards;
    expect(next.edges.map((e) => e.node.id)).toEqual([dear.id]);
  });

  it('spends the cost, records the redemption and takes stock in one transaction; a replay returns the first result', async () => {
    await earn(1000);
    const reward = await createReward(300, 2);
    const key = newKey('once');
    const first = await redeem(reward.id, key);
    expect(first).toMatchObject({
      userErrors: [],
      replayed: false,
      entry: { type: 'REDEEM', points: -300, balanceAfter: 700 },
      account: { pointsBalance: 700 },
    });
    expect(first.redemption).toMatchObject({
      pointsSpent: 300,
      reward: { name: reward.name, stock: 1 },
      entry: { id: first.entry!.id },
    });
    const again = await redeem(reward.id, key);
    expect(again).toMatchObject({
      replayed: true,
      userErrors: [],
      entry: first.entry,
      account: { pointsBalance: 700 },
    });
    expect(again.redemption!.reward.stock).toBe(1);

    expect((await redeem(reward.id)).redemption!.reward.stock).toBe(0);
    const before = await loyaltySnapshot(server.db);
    const out = await redeem(reward.id);
    expect(out.userErrors).toEqual([expect.objectContaining({ code: 'OUT_OF_STOCK', field: ['input', 'rewardId'] })]);
    expect(await loyaltySnapshot(server.db)).toEqual(before);
    expect((await expectConsistentLedger(server.db, customer.id)).balance).toBe(400);
    expect(await server.db.prisma.rewardRedemption.count({ where: { reward: { name: reward.name } } })).toBe(2);
  });

  it('refuses inactive rewards, unaffordable ones and reused keys, changing nothing', async () => {
    await earn(200);
    const inactive = await createReward(100, 3, false);
    const dear = await createReward(500, 3);
    const fine = await createReward(50, 3);
    const usedKey = newKey('used');
    expect((await redeem(fine.id, usedKey)).userErrors).toEqual([]);
    const before = await loyaltySnapshot(server.db);
    expect((await redeem(inactive.id)).userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'rewardId'] }),
    ]);
    expect((await redeem(dear.id)).userErrors).toEqual([expect.objectContaining({ code: 'INSUFFICIENT_POINTS' })]);
    expect((await redeem(dear.id, usedKey)).userErrors).toEqual([
      expect.objectContaining({ code: 'IDEMPOTENCY_CONFLICT' }),
    ]);
    expect((await redeem('bogus')).userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'rewardId'] }),
    ]);
    const other = (
      await server.gql(
        LoyaltyRewardRedeem,
        { customerId: customer.globalId, input: { rewardId: fine.id, idempotencyKey: newKey() } },
        'otherAgent',
      )
    ).data!.loyaltyRewardRedeem;
    expect(other.userErrors[0].code).toBe('NOT_FOUND');
    expect(await loyaltySnapshot(server.db)).toEqual(before);
  });
});

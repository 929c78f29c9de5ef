// A refund takes back the points its order earned (CLAWBACK), as far as the balance allows,
// recording the shortfall; the refunded order's points stop qualifying for tiers.
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { LoyaltyAccountOf, LoyaltyEarn, LoyaltyRedeem, LoyaltyTierReview } from '../loyalty/loyalty.documents';
import { expectConsistentLedger, newKey } from '../loyalty/support';
import { changeOrderStatus, daysAgo, recordOrder } from './order.documents';

describe('refunds claw back loyalty points', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  async function completedOrder(customerGlobalId: string, total: string) {
    const order = await recordOrder(server, customerGlobalId, { total, placedAt: daysAgo(3), status: 'COMPLETED' });
    expect(order.pointsAwardedAt).not.toBeNull();
    return order;
  }
  const account = async (customerGlobalId: string) =>
    (await server.gql(LoyaltyAccountOf, { id: customerGlobalId, first: 20 }, 'admin')).data!.customer!.loyalty!;
  const points = async (customerGlobalId: string, kind: 'earn' | 'redeem', n: number) => {
    const input = { points: n, reason: kind === 'earn' ? 'Bonus' : 'Voucher', idempotencyKey: newKey() };
    const res =
      kind === 'earn'
        ? (await server.gql(LoyaltyEarn, { customerId: customerGlobalId, input }, 'admin')).data!.loyaltyPointsEarn
        : (await server.gql(LoyaltyRedeem, { customerId: customerGlobalId, input }, 'admin')).data!.loyaltyPointsRedeem;
    expect(res.userErrors).toEqual([]);
  };

  it('refunding a completed order takes back all its points in the same change, with the order reference', async () => {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const order = await completedOrder(customer.globalId, '40.00');
    expect((await account(customer.globalId)).pointsBalance).toBe(40);

    const refunded = await changeOrderStatus(server, order.id, 'REFUNDED', 'agent');
    expect(refunded.userErrors).toEqual([]);
    const after = await account(customer.globalId);
    expect(after).toMatchObject({ pointsBalance: 0, lifetimePoints: 0, qualifyingPoints: 0 });
    expect(after.transactions.edges[0].node).toMatchObject({
      type: 'CLAWBACK',
      points: -40,
      shortfall: 0,
      balanceAfter: 0,
      reason: `Order ${order.number} refunded`,
      order: { number: order.number },
    });
    const audit = await server.db.prisma.auditEntry.findMany({ where: { action: 'loyalty.points.clawback' } });
    expect(audit.filter((a) => a.actorId === server.staffIds.agent)).toHaveLength(1);
    await expectConsistentLedger(server.db, customer.id);

    // Setting REFUNDED again is a no-op: no second clawback.
    expect((await changeOrderStatus(server, order.id, 'REFUNDED', 'agent')).userErrors).toEqual([]);
    const row = await server.db.prisma.order.findUniqueOrThrow({ where: { number: order.number } });
    expect(await server.db.prisma.ledgerEntry.count({ where: { type: 'CLAWBACK', orderId: row.id } })).toBe(1);
    expect(
      await server.db.prisma.ledgerEntry.findUnique({ where: { idempotencyKey: `order:${row.id}:clawback` } }),
    ).toMatchObject({ type: 'CLAWBACK', points: -40 });
  });

  it('takes back only what the balance still holds (the order\u2019s own lot first), recording the shortfall', async () => {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const order = await completedOrder(customer.globalId, '300.99'); // 300 points, the oldest lot
    await points(customer.globalId, 'earn', 50);
    await points(customer.globalId, 'redeem', 250); // FIFO: 250 of the order's 300
    expect((await account(customer.globalId)).pointsBalance).toBe(100);

    expect((await changeOrderStatus(server, order.id, 'REFUNDED')).userErrors).toEqual([]);
    const after = await account(customer.globalId);
    expect(after.pointsBalance).toBe(0);
    expect(after.lifetimePoints).toBe(50); // 350 earned − the refunded order's 300
    expect(after.transactions.edges[0].node).toMatchObject({
      type: 'CLAWBACK',
      points: -100,
      shortfall: 200,
      balanceAfter: 0,
      order: { number: order.number },
    });
    const lots = after.transactions.edges.filter((e) => e.node.type === 'EARN').map((e) => e.node.remaining);
    expect(lots).toEqual([0, 0]);
    await expectConsistentLedger(server.db, customer.id);
  });

  it('with nothing left to take, still records the clawback as a full shortfall', async () => {
    const customer = await insertCustomer(server.db);
    const order = await completedOrder(customer.globalId, '25.00');
    await points(customer.globalId, 'redeem', 25);
    expect((await changeOrderStatus(server, order.id, 'REFUNDED')).userErrors).toEqual([]);
    const after = await account(customer.globalId);
    expect(after.pointsBalance).toBe(0);
    expect(after.transactions.edges[0].node).toMatchObject({ type: 'CLAWBACK', points: 0, shortfall: 25 });
    await expectConsistentLedger(server.db, customer.id);
  });

  it('a refunded order stops qualifying: the tier stays until the tier review lowers it', async () => {
    const customer = await insertCustomer(server.db);
    await points(customer.globalId, 'earn', 100);
    const order = await completedOrder(customer.globalId, '600.00');
    expect(await account(customer.globalId)).toMatchObject({ tier: 'SILVER', qualifyingPoints: 700 });

    expect((await changeOrderStatus(server, order.id, 'REFUNDED')).userErrors).toEqual([]);
    expect(await account(customer.globalId)).toMatchObject({
      tier: 'SILVER', // like redeeming, a clawback never lowers the tier by itself
      qualifyingPoints: 100,
      pointsBalance: 100,
      pointsToNextTier: 900, // GOLD 1,000 − 100 qualifying
    });
    const review = (await server.gql(LoyaltyTierReview, { input: { customerId: customer.globalId } }, 'manager')).data!
      .loyaltyTierReview;
    expect(review).toMatchObject({ userErrors: [], downgraded: 1 });
    expect(await account(customer.globalId)).toMatchObject({ tier: 'BRONZE', qualifyingPoints: 100 });
    await expectConsistentLedger(server.db, customer.id);
  });

  it('an order refunded before it was completed earned nothing and takes nothing back', async () => {
    const customer = await insertCustomer(server.db);
    const order = await recordOrder(server, customer.globalId, {
      total: '80.00',
      placedAt: daysAgo(3),
      status: 'DELIVERED',
    });
    expect((await changeOrderStatus(server, order.id, 'REFUNDED')).userErrors).toEqual([]);
    expect(await server.db.prisma.ledgerEntry.count({ where: { account: { customerId: customer.id } } })).toBe(0);
  });
});

import { toGlobalId } from '../../src/graphql/relay';
import type { OrderStatus } from '../generated/graphql';
import { expectNoLeak, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';
import { changeOrderStatus, codes, daysAgo, OrderChangeStatus, recordOrder } from './order.documents';

describe('orderChangeStatus', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['admin', 'agent', 'otherAgent'] as const) await server.token(who);
  });
  afterAll(() => server.close());

  /** A fresh customer (owned by the agent) with one order in `status`, reached through the API. */
  async function orderIn(status: OrderStatus, total = '129.99') {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const order = await recordOrder(server, customer.globalId, { total, placedAt: daysAgo(10) });
    const path: OrderStatus[] = {
      PENDING: [],
      PAID: ['PAID'],
      SHIPPED: ['PAID', 'SHIPPED'],
      DELIVERED: ['PAID', 'SHIPPED', 'DELIVERED'],
      COMPLETED: ['PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED'],
      CANCELLED: ['CANCELLED'],
      REFUNDED: ['PAID', 'SHIPPED', 'DELIVERED', 'REFUNDED'],
    }[status] as OrderStatus[];
    for (const step of path) expect((await changeOrderStatus(server, order.id, step)).userErrors).toEqual([]);
    const row = await server.db.prisma.order.findUniqueOrThrow({ where: { number: order.number } });
    return { customer, order, row };
  }

  const state = async (customerId: string) => {
    const c = await server.db.prisma.customer.findUniqueOrThrow({
      where: { id: customerId },
      include: { loyaltyAccount: { include: { entries: true } } },
    });
    return {
      totalSpent: c.totalSpent.toFixed(2),
      orderCount: c.orderCount,
      balance: c.loyaltyAccount!.pointsBalance,
      entries: c.loyaltyAccount!.entries.length,
    };
  };

  it('walks PENDING → PAID → SHIPPED → DELIVERED → COMPLETED; completion earns floor(total) points and counts the spend', async () => {
    const before = new Date();
    const { customer, order, row } = await orderIn('DELIVERED');
    expect(row.deliveredAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(await state(customer.id)).toEqual({ totalSpent: '0.00', orderCount: 0, balance: 0, entries: 0 });

    const done = await changeOrderStatus(server, order.id, 'COMPLETED', 'agent');
    expect(done.userErrors).toEqual([]);
    expect(done.order).toMatchObject({ status: 'COMPLETED' });
    expect(done.order!.completedAt).not.toBeNull();
    expect(done.order!.pointsAwardedAt).not.toBeNull();

    expect(await state(customer.id)).toEqual({ totalSpent: '129.99', orderCount: 1, balance: 129, entries: 1 });
    const entry = await server.db.prisma.ledgerEntry.findFirstOrThrow({ where: { orderId: row.id } });
    expect(entry).toMatchObject({
      type: 'EARN',
      points: 129,
      idempotencyKey: `order:${row.id}:earn`,
      actorId: server.staffIds.agent,
    });
    const c = await server.db.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(c.lastActivityAt!.toISOString()).toBe(done.order!.completedAt);
    const audit = await server.db.prisma.auditEntry.findMany({
      where: { entityType: 'Order', entityId: row.id },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual([
      'order.record',
      'order.status.PENDING->PAID',
      'order.status.PAID->SHIPPED',
      'order.status.SHIPPED->DELIVERED',
      'order.status.DELIVERED->COMPLETED',
    ]);
    expect(audit[4].changedFields).toEqual(['status', 'completedAt', 'pointsAwardedAt']);
  });

  it('setting COMPLETED twice awards the points once; the second call changes nothing', async () => {
    const { customer, order } = await orderIn('COMPLETED', '80.50');
    const after = await state(customer.id);
    const again = await unchanged(server.db, () => changeOrderStatus(server, order.id, 'COMPLETED'));

    expect(again.userErrors).toEqual([]);
    expect(again.order!.status).toBe('COMPLETED');
    expect(await state(customer.id)).toEqual(after);
    expect(after).toEqual({ totalSpent: '80.50', orderCount: 1, balance: 80, entries: 1 });
  });

  it('the points_awarded_at guard alone prevents a second award, even if the status were set back', async () => {
    const { customer, order, row } = await orderIn('COMPLETED', '75.00');
    // A data fix behind the API's back puts the order back to DELIVERED; completing it again must not pay twice.
    await server.db.prisma.order.update({ where: { id: row.id }, data: { status: 'DELIVERED' } });
    const again = await changeOrderStatus(server, order.id, 'COMPLETED');

    expect(again.userErrors).toEqual([]);
    expect(again.order!.pointsAwardedAt).toBe(
      (await server.db.prisma.order.findUniqueOrThrow({ where: { id: row.id } })).pointsAwardedAt!.toISOString(),
    );
    expect(await state(customer.id)).toEqual({ totalSpent: '75.00', orderCount: 1, balance: 75, entries: 1 });
    const audit = await server.db.prisma.auditEntry.findMany({
      where: { entityId: row.id, action: 'order.status.DELIVERED->COMPLETED' },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.changedFields)).toEqual([
      ['status', 'completedAt', 'pointsAwardedAt'],
      ['status', 'completedAt'], // the second completion awarded nothing
    ]);
  });

  it('a counter sale goes PAID → COMPLETED without delivery', async () => {
    const { customer, order } = await orderIn('PAID', '0.99');
    const done = await changeOrderStatus(server, order.id, 'COMPLETED');
    expect(done.order).toMatchObject({ status: 'COMPLETED', deliveredAt: null });
    // Below one currency unit: no points (and no ledger entry), but the spend counts.
    expect(await state(customer.id)).toEqual({ totalSpent: '0.99', orderCount: 1, balance: 0, entries: 0 });
  });

  it('a refund of a completed order takes its spend and its points back (test/order/order-refund.test.ts)', async () => {
    const { customer, order } = await orderIn('COMPLETED', '40.00');
    const refunded = await changeOrderStatus(server, order.id, 'REFUNDED');
    expect(refunded.order!.status).toBe('REFUNDED');
    expect(await state(customer.id)).toEqual({ totalSpent: '0.00', orderCount: 0, balance: 0, entries: 2 });
  });

  it('an explicit delivery time is kept', async () => {
    const { order } = await orderIn('SHIPPED');
    const deliveredAt = daysAgo(1);
    expect((await changeOrderStatus(server, order.id, 'DELIVERED', 'admin', deliveredAt)).order!.deliveredAt).toBe(
      deliveredAt,
    );
  });

  /** Sends orderChangeStatus and asserts exactly `expected` user errors and an untouched database. */
  async function refused(
    id: string,
    input: { status: OrderStatus; deliveredAt?: string },
    expected: { code: string; field: string[] }[],
    who: StaffKey = 'admin',
  ) {
    const res = await unchanged(server.db, () => server.gql(OrderChangeStatus, { id, input }, who));
    expect(res.errors).toBeUndefined();
    expect(res.data!.orderChangeStatus.order).toBeNull();
    expect(codes(res.data!.orderChangeStatus.userErrors)).toEqual(expected);
    expect(res.data!.orderChangeStatus.userErrors[0].message.length).toBeGreaterThan(0);
    expectNoLeak(res);
  }

  it.each<[OrderStatus, OrderStatus]>([
    ['PENDING', 'SHIPPED'],
    ['PENDING', 'COMPLETED'],
    ['PAID', 'DELIVERED'],
    ['SHIPPED', 'CANCELLED'],
    ['DELIVERED', 'PAID'],
    ['COMPLETED', 'CANCELLED'],
    ['CANCELLED', 'PAID'],
    ['REFUNDED', 'COMPLETED'],
  ])('%s → %s is INVALID_TRANSITION and writes nothing', async (from, to) => {
    const { order } = await orderIn(from);
    await refused(order.id, { status: to }, [{ code: 'INVALID_TRANSITION', field: ['input', 'status'] }]);
  });

  it('deliveredAt with any status but DELIVERED is a VALIDATION error', async () => {
    const { order } = await orderIn('PENDING');
    await refused(order.id, { status: 'PAID', deliveredAt: daysAgo(1) }, [
      { code: 'VALIDATION', field: ['input', 'deliveredAt'] },
    ]);
  });

  it('a delivery before the order was placed, or in the future, is a VALIDATION error', async () => {
    const { order } = await orderIn('SHIPPED');
    await refused(order.id, { status: 'DELIVERED', deliveredAt: daysAgo(11) }, [
      { code: 'VALIDATION', field: ['input', 'deliveredAt'] },
    ]);
    await refused(order.id, { status: 'DELIVERED', deliveredAt: new Date(Date.now() + 86_400_000).toISOString() }, [
      { code: 'VALIDATION', field: ['input', 'deliveredAt'] },
    ]);
  });

  it("an unknown order, or another agent's customer's order, is NOT_FOUND", async () => {
    const { order } = await orderIn('DELIVERED');
    await refused(order.id, { status: 'COMPLETED' }, [{ code: 'NOT_FOUND', field: ['id'] }], 'otherAgent');
    await refused(toGlobalId('Order', '00000000-0000-0000-0000-000000000000'), { status: 'PAID' }, [
      { code: 'NOT_FOUND', field: ['id'] },
    ]);
    await refused('bogus', { status: 'PAID' }, [{ code: 'NOT_FOUND', field: ['id'] }]);
  });
});

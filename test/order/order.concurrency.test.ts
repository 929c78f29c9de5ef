// Order writes at the same time, on PostgreSQL only (test/helpers/concurrency.ts): the unique
// order number and the points_awarded_at guard under the customer lock decide.
import { describeConcurrency } from '../helpers/concurrency';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { LoyaltyRedeem } from '../loyalty/loyalty.documents';
import { expectConsistentLedger, newKey } from '../loyalty/support';
import { changeOrderStatus, daysAgo, orderInput, orderNumber, OrderRecord, recordOrder } from './order.documents';

describeConcurrency('orders at the same time', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await server.token('admin');
  });
  afterAll(() => server.close());

  it('the same new number sent for two customers at once is recorded once; the others are DUPLICATE', async () => {
    const [a, b] = [await insertCustomer(server.db), await insertCustomer(server.db)];
    const input = orderInput({ number: orderNumber('RACE') });
    const results = await Promise.all(
      [a, b, a, b].map((c) => server.gql(OrderRecord, { customerId: c.globalId, input })),
    );
    const outcomes = results.map((r) => r.data!.orderRecord.userErrors.map((e) => e.code).join() || 'ok').sort();
    expect(outcomes).toEqual(['DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'ok']);
    expect(await server.db.prisma.order.count({ where: { number: input.number } })).toBe(1);
  });

  it('completing one order from 8 requests at once awards the points once', async () => {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const order = await recordOrder(server, customer.globalId, { total: '512.40', placedAt: daysAgo(10) });
    for (const step of ['PAID', 'SHIPPED', 'DELIVERED'] as const)
      expect((await changeOrderStatus(server, order.id, step)).userErrors).toEqual([]);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => changeOrderStatus(server, order.id, 'COMPLETED')),
    );

    expect(results.map((r) => [r.userErrors, r.order?.status])).toEqual(
      Array.from({ length: 8 }, () => [[], 'COMPLETED']),
    );
    expect(new Set(results.map((r) => r.order!.pointsAwardedAt)).size).toBe(1);
    const c = await server.db.prisma.customer.findUniqueOrThrow({
      where: { id: customer.id },
      include: { loyaltyAccount: { include: { entries: true } } },
    });
    expect({
      totalSpent: c.totalSpent.toFixed(2),
      orderCount: c.orderCount,
      balance: c.loyaltyAccount!.pointsBalance,
      entries: c.loyaltyAccount!.entries.length,
    }).toEqual({
      totalSpent: '512.40',
      orderCount: 1,
      balance: 512,
      entries: 1,
    });
    const row = await server.db.prisma.order.findUniqueOrThrow({ where: { number: order.number } });
    expect(
      await server.db.prisma.auditEntry.count({
        where: { entityId: row.id, action: 'order.status.DELIVERED->COMPLETED' },
      }),
    ).toBe(1);
    // 512 qualifying points cross SILVER (500): upgraded by the ledger in the same transaction, once.
    expect(c.loyaltyAccount!.tier).toBe('SILVER');
    expect(
      await server.db.prisma.notification.count({ where: { type: 'TIER_UPGRADED', customerId: customer.id } }),
    ).toBe(1);
  });

  it('refunds racing redemptions on the same account never overspend: clawed back + redeemed = what was there', async () => {
    const customer = await insertCustomer(server.db);
    const orders = [];
    for (let i = 0; i < 3; i++)
      orders.push(
        await recordOrder(server, customer.globalId, { total: '100.00', placedAt: daysAgo(2), status: 'COMPLETED' }),
      );
    const redeem = (n: number) =>
      server.gql(LoyaltyRedeem, {
        customerId: customer.globalId,
        input: { points: 60, reason: `Voucher ${n}`, idempotencyKey: newKey() },
      });
    const results = await Promise.all([
      ...orders.map((o) => changeOrderStatus(server, o.id, 'REFUNDED')),
      redeem(1),
      redeem(2),
      redeem(3),
    ]);
    for (const r of results.slice(0, 3)) expect('userErrors' in r && r.userErrors).toEqual([]);
    const state = await expectConsistentLedger(server.db, customer.id);
    expect(state.balance).toBe(0);
    const rows = await server.db.sql.query<{ type: string; taken: number; shortfall: number }>(
      `SELECT type::text AS type, -sum(points)::int AS taken, coalesce(sum(shortfall), 0)::int AS shortfall
       FROM loyalty_ledger WHERE account_id = $1::uuid AND type IN ('CLAWBACK', 'REDEEM') GROUP BY type ORDER BY type`,
      [state.accountId],
    );
    const taken = rows.reduce((sum, r) => sum + Number(r.taken), 0);
    expect(taken).toBe(300); // every point was either redeemed or clawed back, none twice
    const clawback = rows.find((r) => r.type === 'CLAWBACK')!;
    expect(Number(clawback.taken) + Number(clawback.shortfall)).toBe(300); // each refund accounts for its 100
    expect(await server.db.prisma.ledgerEntry.count({ where: { type: 'CLAWBACK' } })).toBeGreaterThanOrEqual(3);
  });
});

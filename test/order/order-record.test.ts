import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import type { OrderRecordInput } from '../generated/graphql';
import { expectNoLeak, expectTopLevelError, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';
import { codes, daysAgo, orderInput, orderNumber, OrderRecord, recordOrder } from './order.documents';

const OrderById = graphql(`
  query OrderById($id: ID!) {
    order(id: $id) { id number status total customer { id } feedback { rating } }
  }
`);

const OrderNode = graphql(`
  query OrderNode($id: ID!) {
    node(id: $id) { __typename id ... on Order { number } }
  }
`);

const OrderCustomerOrders = graphql(`
  query OrderCustomerOrders($id: ID!, $first: Int, $after: String) {
    customer(id: $id) {
      orders(first: $first, after: $after) {
        totalCount
        edges { cursor node { number placedAt } }
        pageInfo { hasNextPage hasPreviousPage endCursor }
      }
    }
  }
`);

describe('orderRecord', () => {
  let server: TestServer;
  let customerId: string; // owned by the agent
  let otherCustomerId: string; // owned by the other agent

  beforeAll(async () => {
    server = await startTestServer();
    customerId = (await insertCustomer(server.db, { ownerId: server.staffIds.agent })).globalId;
    otherCustomerId = (await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent })).globalId;
    for (const who of ['admin', 'agent', 'otherAgent', 'analyst'] as const) await server.token(who); // logins happen outside the snapshots
  });
  afterAll(() => server.close());

  it('records a PENDING order with an audit entry, and earns nothing yet', async () => {
    const placedAt = daysAgo(2);
    const ledgerBefore = await server.db.prisma.ledgerEntry.count(); // other tests of this file may earn points, in any order
    const res = await server.gql(
      OrderRecord,
      { customerId, input: orderInput({ number: '  WEB-1001 ', total: '59.90', currency: 'USD', placedAt }) },
      'agent',
    );

    expect(res.data!.orderRecord.userErrors).toEqual([]);
    const order = res.data!.orderRecord.order!;
    expect(order).toMatchObject({
      number: 'WEB-1001',
      total: '59.9',
      currency: 'USD',
      status: 'PENDING',
      placedAt,
      deliveredAt: null,
      completedAt: null,
      pointsAwardedAt: null,
      customer: { id: customerId },
    });
    const row = await server.db.prisma.order.findUniqueOrThrow({ where: { number: 'WEB-1001' } });
    const audit = await server.db.prisma.auditEntry.findMany({
      where: { entityType: 'Order', action: 'order.record', entityId: row.id },
    });
    expect(audit.map((a) => [a.actorId, a.changedFields.sort()])).toEqual([
      [server.staffIds.agent, ['currency', 'number', 'placedAt', 'total']],
    ]);
    expect(await server.db.prisma.ledgerEntry.count()).toBe(ledgerBefore);
  });

  /** Sends orderRecord and asserts exactly `expected` user errors and an untouched database. */
  async function refused(
    customer: string,
    input: OrderRecordInput,
    expected: { code: string; field: string[] }[],
    who: StaffKey = 'admin',
  ) {
    const res = await unchanged(server.db, () => server.gql(OrderRecord, { customerId: customer, input }, who));
    expect(res.errors).toBeUndefined();
    expect(res.data!.orderRecord.order).toBeNull();
    expect(codes(res.data!.orderRecord.userErrors)).toEqual(expected);
    expectNoLeak(res);
  }

  it.each<[string, Partial<OrderRecordInput>, string]>([
    ['a negative total', { total: '-1.00' }, 'total'],
    ['a total above 10,000,000', { total: '10000000.01' }, 'total'],
    ['a total with 3 decimals', { total: '10.001' }, 'total'],
    ['an empty order number', { number: '   ' }, 'number'],
    ['placedAt in the future', { placedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'placedAt'],
    ['placedAt before 2000', { placedAt: '1999-01-01T00:00:00.000Z' }, 'placedAt'],
    ['deliveredAt on a PENDING order', { deliveredAt: daysAgo(0.5) }, 'deliveredAt'],
    [
      'deliveredAt before placedAt',
      { status: 'DELIVERED', placedAt: daysAgo(2), deliveredAt: daysAgo(3) },
      'deliveredAt',
    ],
  ])('%s is a VALIDATION error on input.%s and writes nothing', async (_name, overrides, field) => {
    await refused(customerId, orderInput(overrides), [{ code: 'VALIDATION', field: ['input', field] }]);
  });

  it('a number already used is DUPLICATE and writes nothing', async () => {
    const existing = await recordOrder(server, customerId);
    await refused(otherCustomerId, orderInput({ number: existing.number }), [
      { code: 'DUPLICATE', field: ['input', 'number'] },
    ]);
  });

  it("another agent's customer is NOT_FOUND to an agent, and writes nothing", async () => {
    await refused(otherCustomerId, orderInput(), [{ code: 'NOT_FOUND', field: ['customerId'] }], 'agent');
  });

  it('an unknown or malformed customer ID is NOT_FOUND', async () => {
    await refused(toGlobalId('Customer', '00000000-0000-0000-0000-000000000000'), orderInput(), [
      { code: 'NOT_FOUND', field: ['customerId'] },
    ]);
    await refused('not-an-id', orderInput(), [{ code: 'NOT_FOUND', field: ['customerId'] }]);
  });

  it('an analyst may not record orders (FORBIDDEN) and writes nothing', async () => {
    const res = await unchanged(server.db, () =>
      server.gql(OrderRecord, { customerId, input: orderInput() }, 'analyst'),
    );
    expectTopLevelError(res, 200, 'FORBIDDEN');
  });

  it('an order recorded as COMPLETED earns its points and counts as spend at once', async () => {
    const customer = await insertCustomer(server.db);
    const placedAt = daysAgo(3);
    const deliveredAt = daysAgo(2);
    const order = await recordOrder(server, customer.globalId, {
      total: '250.75',
      status: 'COMPLETED',
      placedAt,
      deliveredAt,
    });

    expect(order).toMatchObject({ status: 'COMPLETED', deliveredAt, completedAt: deliveredAt });
    expect(order.pointsAwardedAt).not.toBeNull();
    const row = await server.db.prisma.customer.findUniqueOrThrow({
      where: { id: customer.id },
      include: { loyaltyAccount: { include: { entries: true } } },
    });
    expect({
      totalSpent: row.totalSpent.toFixed(2),
      orderCount: row.orderCount,
      lastActivityAt: row.lastActivityAt?.toISOString(),
    }).toEqual({ totalSpent: '250.75', orderCount: 1, lastActivityAt: deliveredAt });
    expect(row.loyaltyAccount!.pointsBalance).toBe(250);
    const { id } = await server.db.prisma.order.findUniqueOrThrow({ where: { number: order.number } });
    expect(row.loyaltyAccount!.entries.map((e) => [e.type, e.points, e.orderId, e.idempotencyKey])).toEqual([
      ['EARN', 250, id, `order:${id}:earn`],
    ]);
  });

  it('order(id) and node(id) return the order; null for an agent who may not see its customer', async () => {
    const order = await recordOrder(server, customerId, { total: '10.00' });

    const admin = await server.gql(OrderById, { id: order.id });
    expect(admin.data!.order).toEqual({
      id: order.id,
      number: order.number,
      status: 'PENDING',
      total: '10',
      customer: { id: customerId },
      feedback: null,
    });
    expect((await server.gql(OrderById, { id: order.id }, 'agent')).data!.order).not.toBeNull();
    expect((await server.gql(OrderById, { id: order.id }, 'otherAgent')).data!.order).toBeNull();
    expect((await server.gql(OrderById, { id: 'bogus' })).data!.order).toBeNull();

    expect((await server.gql(OrderNode, { id: order.id }, 'agent')).data!.node).toEqual({
      __typename: 'Order',
      id: order.id,
      number: order.number,
    });
    expect((await server.gql(OrderNode, { id: order.id }, 'otherAgent')).data!.node).toBeNull();
  });

  it('Customer.orders lists newest first, page by page, with totalCount', async () => {
    const customer = await insertCustomer(server.db);
    const numbers = [5, 1, 4, 2, 3].map((day) => ({ day, number: orderNumber(`D${day}`) }));
    for (const { day, number } of numbers)
      await recordOrder(server, customer.globalId, { number, placedAt: daysAgo(day) });
    const expectedOrder = [...numbers].sort((a, b) => a.day - b.day).map((n) => n.number);

    const first = await server.gql(OrderCustomerOrders, { id: customer.globalId, first: 2 });
    const page1 = first.data!.customer!.orders;
    expect(page1.totalCount).toBe(5);
    expect(page1.edges.map((e) => e.node.number)).toEqual(expectedOrder.slice(0, 2));
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const page2 = (
      await server.gql(OrderCustomerOrders, { id: customer.globalId, first: 2, after: page1.pageInfo.endCursor })
    ).data!.customer!.orders;
    expect(page2.edges.map((e) => e.node.number)).toEqual(expectedOrder.slice(2, 4));
    const page3 = (
      await server.gql(OrderCustomerOrders, { id: customer.globalId, first: 2, after: page2.pageInfo.endCursor })
    ).data!.customer!.orders;
    expect(page3.edges.map((e) => e.node.number)).toEqual(expectedOrder.slice(4));
    expect(page3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('a malformed cursor is a BAD_USER_INPUT error on after', async () => {
    const res = await server.gql(OrderCustomerOrders, { id: customerId, first: 2, after: 'garbage' });
    const error = expectTopLevelError(res, 200, 'BAD_USER_INPUT');
    expect(error.extensions!.field).toEqual(['after']);
  });
});

import { graphql } from '../generated';
import { insertCustomers } from '../helpers/factories';
import { countAtFiveAndFifty, startTestServer, type TestServer } from '../helpers/server';

const OrderCustomersWithOrders = graphql(`
  query OrderCustomersWithOrders($first: Int!) {
    customers(first: $first) {
      edges {
        node {
          id
          loyalty { tier pointsBalance }
          orders(first: 3) {
            edges { node { number feedback { rating } } }
            pageInfo { hasNextPage }
          }
        }
      }
    }
  }
`);

// The full query of issue 3: loyalty with its ledger, and orders with their feedback.
const OrderCustomersWithLoyaltyAndOrders = graphql(`
  query OrderCustomersWithLoyaltyAndOrders($first: Int!) {
    customers(first: $first) {
      edges {
        node {
          id
          loyalty {
            tier
            pointsBalance
            transactions(first: 5) { edges { node { type points balanceAfter } } pageInfo { hasNextPage } }
          }
          orders(first: 3) { edges { node { number feedback { rating } } } }
        }
      }
    }
  }
`);

const DAY_MS = 24 * 60 * 60 * 1000;

describe('Customer.orders and Order.feedback are batched', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    // 50 customers with 4 orders each (so orders(first: 3) has a next page); the newest 2 rated.
    const customers = await insertCustomers(server.db, 50, { addresses: 0 });
    const now = Date.now();
    await server.db.prisma.order.createMany({
      data: customers.flatMap((c, i) =>
        [1, 2, 3, 4].map((age) => ({
          number: `SC-${i}-${age}`,
          customerId: c.id,
          total: '10.00',
          currency: 'EUR',
          status: 'DELIVERED' as const,
          placedAt: new Date(now - age * DAY_MS),
        })),
      ),
    });
    const rated = await server.db.prisma.order.findMany({
      where: { number: { endsWith: '-1' } },
      select: { id: true, customerId: true },
    });
    const rated2 = await server.db.prisma.order.findMany({
      where: { number: { endsWith: '-2' } },
      select: { id: true, customerId: true },
    });
    await server.db.prisma.feedback.createMany({
      data: [...rated, ...rated2].map((o, i) => ({ orderId: o.id, customerId: o.customerId, rating: (i % 5) + 1 })),
    });
    // 6 ledger entries per account (so transactions(first: 5) has a next page), balance = their sum.
    const accounts = await server.db.prisma.loyaltyAccount.findMany({ select: { id: true } });
    await server.db.prisma.ledgerEntry.createMany({
      data: accounts.flatMap((a) =>
        [1, 2, 3, 4, 5, 6].map((n) => ({
          accountId: a.id,
          type: 'EARN' as const,
          points: 10,
          remaining: 10,
          balanceAfter: 10 * n,
          reason: `seed ${n}`,
          createdAt: new Date(now - (7 - n) * DAY_MS),
          expiresAt: new Date(now + 300 * DAY_MS),
        })),
      ),
    });
    await server.db.prisma.loyaltyAccount.updateMany({ data: { pointsBalance: 60, lifetimePoints: 60 } });
  });
  afterAll(() => server.close());

  it('customers(first: N) { orders(first: 3) { edges { node { feedback { rating } } } } } issues as many statements for N = 5 as for N = 50', async () => {
    const token = await server.token('admin');
    const { five, fifty } = await countAtFiveAndFifty(server.db, (first) =>
      server.gql(OrderCustomersWithOrders, { first }, { token }),
    );

    expect(five.result.errors).toBeUndefined();
    expect(fifty.result.errors).toBeUndefined();
    const customers = fifty.result.data!.customers.edges.map((e) => e.node);
    expect(customers).toHaveLength(50);
    for (const c of customers) {
      expect(c.loyalty?.tier).toBe('BRONZE');
      expect(c.orders.pageInfo.hasNextPage).toBe(true);
      const orders = c.orders.edges.map((e) => e.node);
      expect(orders.map((o) => o.number.split('-')[2])).toEqual(['1', '2', '3']); // newest first
      expect(orders.map((o) => o.feedback === null)).toEqual([false, false, true]);
    }
    // The customers page's keys, the planned rows with loyalty accounts and first orders, and feedback.
    expect(five.statements).toBe(3);
    expect(fifty.statements).toBe(five.statements);
    expect(fifty.sql.filter((s) => /FROM "orders" o WHERE o\.customer_id = t\.id/.test(s))).toHaveLength(1); // in the planned statement
  });

  it('the full query of the issue, loyalty { tier pointsBalance transactions(first: 5) } and orders(first: 3) { feedback }, is flat too', async () => {
    const token = await server.token('admin');
    const { five, fifty } = await countAtFiveAndFifty(server.db, (first) =>
      server.gql(OrderCustomersWithLoyaltyAndOrders, { first }, { token }),
    );

    expect(fifty.result.errors).toBeUndefined();
    const customers = fifty.result.data!.customers.edges.map((e) => e.node);
    expect(customers).toHaveLength(50);
    for (const c of customers) {
      expect(c.loyalty).toMatchObject({
        tier: 'BRONZE',
        pointsBalance: 60,
        transactions: { pageInfo: { hasNextPage: true } },
      });
      expect(c.loyalty!.transactions.edges.map((e) => e.node.balanceAfter)).toEqual([60, 50, 40, 30, 20]); // newest first
      expect(c.orders.edges.map((e) => e.node.feedback?.rating ?? null).filter((r) => r !== null)).toHaveLength(2);
    }
    // The page's keys, the planned rows (loyalty accounts with their ledger pages, orders) and feedback.
    expect(five.statements).toBe(3);
    expect(fifty.statements).toBe(five.statements);
  });
});

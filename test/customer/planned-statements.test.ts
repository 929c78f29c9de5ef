// Statement bounds of the performance issue (BEGIN/COMMIT included where there is a transaction):
// by id 1, the nested list 2 whatever its length, the detail page 1 (bound 3), customerUpdate 4.
import { graphql } from '../generated';
import { insertCustomers } from '../helpers/factories';
import { insertPolicy } from '../policy/policy.documents';
import { countAtFiveAndFifty, countStatements, startTestServer, type TestServer } from '../helpers/server';

const PlannedById = graphql(`
  query PlannedById($id: ID!) {
    customer(id: $id) { id customerNumber firstName lastName email status }
  }
`);

const PlannedNestedList = graphql(`
  query PlannedNestedList($first: Int!) {
    customers(first: $first) {
      edges { node {
        id customerNumber firstName lastName email
        addresses { city country }
        loyalty { tier pointsBalance }
        orders(first: 3) { edges { node { number total placedAt } } }
      } }
    }
  }
`);

const PlannedDetail = graphql(`
  query PlannedDetail($id: ID!) {
    customer(id: $id) {
      id firstName email phone totalSpent version
      addresses { line1 city isDefault }
      defaultAddress { city }
      loyalty { tier pointsBalance transactions(first: 20) { edges { node { type points } } } }
      orders(first: 40) { totalCount edges { node { number total status } } pageInfo { hasNextPage } }
      policies(first: 20) { edges { node { policyNumber status } } }
    }
  }
`);

const PlannedDetailList = graphql(`
  query PlannedDetailList($first: Int!) {
    customers(first: $first) {
      edges { node {
        id
        loyalty { tier transactions(first: 20) { totalCount edges { node { type points } } } }
        orders(first: 40) { totalCount edges { node { number } } }
        policies(first: 20) { totalCount edges { node { policyNumber status } } }
      } }
    }
  }
`);

const PlannedUpdate = graphql(`
  mutation PlannedUpdate($id: ID!, $input: CustomerUpdateInput!) {
    customerUpdate(id: $id, input: $input) { customer { id version occupation } userErrors { code field message } }
  }
`);

const DAY_MS = 24 * 60 * 60 * 1000;

describe('planned customer queries: statement bounds', () => {
  let server: TestServer;
  let customers: Awaited<ReturnType<typeof insertCustomers>>;

  beforeAll(async () => {
    server = await startTestServer();
    customers = await insertCustomers(server.db, 50, { addresses: 2, ownerId: server.staffIds.agent });
    // 4 orders each (so orders(first: 3) has a next page), newest first by placedAt.
    const now = Date.now();
    await server.db.prisma.order.createMany({
      data: customers.flatMap((c, i) =>
        [1, 2, 3, 4].map((age) => ({
          number: `PS-${i}-${age}`,
          customerId: c.id,
          total: '12.50',
          currency: 'USD',
          status: 'DELIVERED' as const,
          placedAt: new Date(now - age * DAY_MS),
        })),
      ),
    });
    // Log in and load each caller's staff record now, so that whichever test runs first counts
    // only its own query's statements.
    for (const who of ['admin', 'agent', 'otherAgent'] as const) await server.post({ query: '{ __typename }' }, who);
  });
  afterAll(() => server.close());

  it('customer(id) with 6 fields is one statement, and an agent still sees only their own customers', async () => {
    const token = await server.token('admin');
    const { result, statements } = await countStatements(server.db, () =>
      server.gql(PlannedById, { id: customers[0].globalId }, { token }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.customer).toMatchObject({
      id: customers[0].globalId,
      firstName: 'Test',
      email: customers[0].email,
      status: 'ACTIVE',
    });
    expect(statements).toBe(1);
    expect((await server.gql(PlannedById, { id: customers[0].globalId }, 'agent')).data!.customer?.id).toBe(
      customers[0].globalId,
    );
    expect((await server.gql(PlannedById, { id: customers[0].globalId }, 'otherAgent')).data!.customer).toBeNull();
  });

  it('the nested list (addresses, loyalty, 3 latest orders) is 2 statements for N = 5 and for N = 50', async () => {
    const { five, fifty } = await countAtFiveAndFifty(server.db, (first) =>
      server.gql(PlannedNestedList, { first }, 'admin'),
    );
    expect(five.result.errors).toBeUndefined();
    expect(fifty.result.errors).toBeUndefined();
    const nodes = fifty.result.data!.customers.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    for (const node of nodes) {
      expect(node.addresses).toHaveLength(2);
      expect(node.loyalty).toEqual({ tier: 'BRONZE', pointsBalance: 0 });
      expect(node.orders.edges.map((e) => e.node.total)).toEqual(['12.5', '12.5', '12.5']);
      const placed = node.orders.edges.map((e) => Date.parse(e.node.placedAt as string));
      expect([...placed].sort((a, b) => b - a)).toEqual(placed);
    }
    expect(five.statements).toBe(2);
    expect(fifty.statements).toBe(five.statements);
  });

  it('the detail page (addresses, 20 ledger entries, 40 orders with count, 20 policies) is one statement', async () => {
    const target = customers[1];
    // 22 ledger entries a minute apart (20 asked for) and 2 policies, created newest last.
    await server.db.sql.query(
      `INSERT INTO loyalty_ledger (account_id, type, points, reason, balance_after, created_at)
       SELECT a.id, 'ADJUST', i, 'Seed', i * (i + 1) / 2, now() - make_interval(mins => 30 - i)
       FROM loyalty_accounts a, generate_series(1, 22) AS i WHERE a.customer_id = $1`,
      [target.id],
    );
    const older = await insertPolicy(server.db, target.id, { type: 'AUTO', createdAt: new Date(Date.now() - DAY_MS) });
    const newer = await insertPolicy(server.db, target.id, { type: 'HOME' });
    const { result, statements, sql } = await countStatements(server.db, () =>
      server.gql(PlannedDetail, { id: target.globalId }, 'admin'),
    );
    expect(result.errors).toBeUndefined();
    const customer = result.data!.customer!;
    expect(customer.addresses.map((a) => a.isDefault)).toEqual([true, false]);
    expect(customer.defaultAddress).toEqual({ city: 'Springfield' });
    expect(customer.orders.totalCount).toBe(4);
    expect(customer.orders.edges).toHaveLength(4);
    expect(customer.orders.pageInfo.hasNextPage).toBe(false);
    expect(customer.loyalty!.transactions.edges.map((e) => e.node.points)).toEqual(
      Array.from({ length: 20 }, (_, i) => 22 - i),
    );
    expect(customer.policies.edges.map((e) => e.node.policyNumber)).toEqual([newer.number, older.number]);
    expect(statements).toBe(1);
    expect(sql.join('\n')).not.toMatch(/FROM "public"\."addresses"|FROM "public"\."orders"|row_number\(\)/); // answered by the planned statement
  });

  it('the detail page’s relations under a list of N customers are 2 statements for N = 5 and for N = 50', async () => {
    const { five, fifty } = await countAtFiveAndFifty(server.db, (first) =>
      server.gql(PlannedDetailList, { first }, 'admin'),
    );
    expect(five.result.errors).toBeUndefined();
    expect(fifty.result.errors).toBeUndefined();
    const nodes = fifty.result.data!.customers.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    for (const node of nodes) {
      expect(node.orders.totalCount).toBe(4);
      // (the detail page's test may have given one of them entries and policies)
      const { transactions } = node.loyalty!;
      expect(transactions.edges).toHaveLength(Math.min(transactions.totalCount, 20));
      expect(node.policies.edges).toHaveLength(Math.min(node.policies.totalCount, 20));
    }
    expect(five.statements).toBe(2);
    expect(fifty.statements).toBe(five.statements);
  });

  it('customerUpdate of one field is at most 4 statements with BEGIN/COMMIT, the version check and the audit entry', async () => {
    const target = customers[2];
    const { result, statements, sql } = await countStatements(server.db, () =>
      server.gql(PlannedUpdate, { id: target.globalId, input: { version: 1, occupation: 'Pilot' } }, 'admin'),
    );
    expect(result.data!.customerUpdate).toEqual({
      customer: { id: target.globalId, version: 2, occupation: 'Pilot' },
      userErrors: [],
    });
    expect(sql[0]).toMatch(/^BEGIN/i);
    expect(sql[sql.length - 1]).toMatch(/COMMIT/i); // Prisma logs it as '-- Implicit "COMMIT" query via underlying driver'
    expect(statements).toBeLessThanOrEqual(4);
    const audit = await server.db.prisma.auditEntry.findMany({
      where: { entityId: target.id, action: 'customer.update' },
    });
    expect(audit.map((a) => a.changedFields)).toEqual([['occupation']]);
    // The version check still refuses a stale version, and the stale write changes nothing.
    const stale = await server.gql(
      PlannedUpdate,
      { id: target.globalId, input: { version: 1, occupation: 'Chef' } },
      'admin',
    );
    expect(stale.data!.customerUpdate.userErrors).toEqual([
      expect.objectContaining({ code: 'VERSION_CONFLICT', field: ['input', 'version'] }),
    ]);
    expect((await server.db.prisma.customer.findUniqueOrThrow({ where: { id: target.id } })).occupation).toBe('Pilot');
  });
});

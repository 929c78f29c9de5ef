// The planned statement (src/graphql/plan/) reads nested rows as JSON, with timestamps as epoch
// milliseconds and decimals as text; its answers must be the ones the loaders (Prisma) give for
// the same rows, to the millisecond (the columns hold milliseconds), including instants before
// 1970, other offsets, null timestamps and decimals with trailing zeros. `customer(id)` is planned; `node(id)` is not.
import { insertCustomer, insertCustomers } from '../helpers/factories';
import { countStatements, startTestServer, type TestServer } from '../helpers/server';

const FIELDS = `
  id customerNumber firstName lastName email createdAt updatedAt
  addresses { id label line1 line2 city region postalCode country latitude longitude isDefault createdAt updatedAt }
  loyalty { id tier pointsBalance lifetimePoints joinedAt tierReviewedAt }
  orders(first: 10) {
    totalCount
    edges { cursor node { id number total currency status placedAt deliveredAt completedAt pointsAwardedAt createdAt updatedAt } }
    pageInfo { hasNextPage endCursor }
  }`;
const PLANNED = `query PlannedAnswers($id: ID!) { customer(id: $id) { ${FIELDS} } }`;
const LOADED = `query LoadedAnswers($id: ID!) { node(id: $id) { ... on Customer { ${FIELDS} } } }`;
// A list without relations: its keys from Prisma, its rows (the selected columns) planned.
const LIST_FIELDS = 'id customerNumber firstName lastName email status totalSpent orderCount createdAt version';
const PLANNED_LIST = `query PlannedList { customers(first: 5, sort: { field: TOTAL_SPENT, direction: DESC }) { totalCount edges { cursor node { ${LIST_FIELDS} } } } }`;
const LOADED_LIST = `query LoadedList($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { ${LIST_FIELDS} } } }`;

describe('planned customer answers equal the loaders’ answers', () => {
  let server: TestServer;
  let customer: Awaited<ReturnType<typeof insertCustomer>>;

  beforeAll(async () => {
    server = await startTestServer();
    customer = await insertCustomer(server.db, { addresses: 2 });
    const others = await insertCustomers(server.db, 5);
    for (const [i, other] of others.entries())
      await server.db.sql.query(`UPDATE customers SET total_spent = $1, created_at = $2::timestamptz WHERE id = $3`, [
        ['0.10', '99.90', '1000.00', '5', '123456789.01'][i],
        `19${60 + i}-01-01 00:00:00.00${i}+00`,
        other.id,
      ]);
    const instants = [
      ['2026-01-02 03:04:05.123+00', '1969-12-31 23:59:59.998+00', null],
      ['2025-06-30 23:59:59.999+00', null, '1950-06-01 12:00:00.001+05:30'],
      ['2024-02-29 12:00:00+00', '2024-03-01 00:00:00.5+00', '2024-03-02 00:00:00.001+00'],
    ];
    for (const [i, [placed, delivered, completed]] of instants.entries()) {
      await server.db.sql.query(
        `INSERT INTO orders (id, number, customer_id, total, currency, status, placed_at, delivered_at, completed_at, points_awarded_at, created_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, 'EUR', 'DELIVERED', $4::timestamptz, $5::timestamptz, $6::timestamptz, $4::timestamptz, $4::timestamptz, now())`,
        [`PA-${i}`, customer.id, ['10.50', '0.01', '123456789012.30'][i], placed, delivered, completed],
      );
    }
    await server.db.sql.query(
      `UPDATE addresses SET created_at = '1960-04-05 06:07:08.654+00', latitude = 48.137154, longitude = -11.575382 WHERE customer_id = $1`,
      [customer.id],
    );
    await server.db.sql.query(
      `UPDATE loyalty_accounts SET joined_at = '1999-12-31 23:59:59.999+00', tier_reviewed_at = NULL WHERE customer_id = $1`,
      [customer.id],
    );
  });
  afterAll(() => server.close());

  it('customer(id), one planned statement, answers as node(id) through the loaders does', async () => {
    const token = await server.token('admin');
    const planned = await countStatements(server.db, () =>
      server.post({ query: PLANNED, variables: { id: customer.globalId } }, null, { authorization: `Bearer ${token}` }),
    );
    const loaded = await server.post({ query: LOADED, variables: { id: customer.globalId } }, 'admin');
    expect(planned.result.errors).toBeUndefined();
    expect(loaded.errors).toBeUndefined();
    expect(planned.statements).toBe(1); // the planned path, not the loaders
    const plannedCustomer = (planned.result.data as { customer: Record<string, unknown> }).customer;
    expect(plannedCustomer).toEqual((loaded.data as { node: Record<string, unknown> }).node);
    const orders = (plannedCustomer.orders as { edges: { node: Record<string, unknown> }[] }).edges.map((e) => e.node);
    expect(orders.map((o) => [o.total, o.placedAt, o.deliveredAt, o.completedAt])).toEqual([
      ['10.5', '2026-01-02T03:04:05.123Z', '1969-12-31T23:59:59.998Z', null],
      ['0.01', '2025-06-30T23:59:59.999Z', null, '1950-06-01T06:30:00.001Z'],
      ['123456789012.3', '2024-02-29T12:00:00.000Z', '2024-03-01T00:00:00.500Z', '2024-03-02T00:00:00.001Z'],
    ]);
    expect(plannedCustomer.loyalty).toMatchObject({ joinedAt: '1999-12-31T23:59:59.999Z', tierReviewedAt: null });
  });

  it('a list without relations (keys by Prisma, rows planned) answers as nodes(ids) does, in 3 statements', async () => {
    const token = await server.token('admin');
    const planned = await countStatements(server.db, () =>
      server.post({ query: PLANNED_LIST }, null, { authorization: `Bearer ${token}` }),
    );
    expect(planned.result.errors).toBeUndefined();
    const list = (planned.result.data as { customers: { totalCount: number; edges: { node: { id: string } }[] } })
      .customers;
    expect(list.totalCount).toBe(6);
    const nodes = list.edges.map((e) => e.node);
    expect(nodes.map((n) => (n as unknown as { totalSpent: string }).totalSpent)).toEqual([
      '123456789.01',
      '1000',
      '99.9',
      '5',
      '0.1',
    ]);
    const loaded = await server.post({ query: LOADED_LIST, variables: { ids: nodes.map((n) => n.id) } }, 'admin');
    expect(loaded.errors).toBeUndefined();
    expect(nodes).toEqual((loaded.data as { nodes: unknown[] }).nodes);
    expect(planned.statements).toBe(3); // the page's keys, its rows, the count
  });
});

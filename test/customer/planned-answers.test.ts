// The planned statement (src/graphql/plan/) reads nested rows as JSON, with timestamps as epoch
// milliseconds and decimals as text; its answers must be the ones the loaders (Prisma) give for
// the same rows, to the millisecond (the columns hold milliseconds), including instants before
// 1970, other offsets, null timestamps and decimals with trailing zeros. `customer(id)` is planned; `node(id)` is not.
// The detail page's ledger entries (under loyalty) and policies are planned too: same order (ties
// broken by id), cursors, next page and counts, and for an analyst the same masking.
import fc from 'fast-check';
import { insertCustomer, insertCustomers } from '../helpers/factories';
import { insertPolicy } from '../policy/policy.documents';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { countStatements, startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server';

const FIELDS = `
  id customerNumber firstName lastName email createdAt updatedAt
  addresses { id label line1 line2 city region postalCode country latitude longitude isDefault createdAt updatedAt }
  loyalty {
    id tier pointsBalance lifetimePoints joinedAt tierReviewedAt
    transactions(first: 4) {
      totalCount
      edges { cursor node { id type points balanceAfter reason createdAt expiresAt remaining asOf shortfall } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
  orders(first: 10) {
    totalCount
    edges { cursor node { id number total currency status placedAt deliveredAt completedAt pointsAwardedAt createdAt updatedAt } }
    pageInfo { hasNextPage endCursor }
  }
  policies(first: 3) {
    totalCount
    edges { cursor node {
      id policyNumber type status insurer productName premium premiumFrequency annualPremium coverageAmount deductible
      currency startDate endDate attributes cancelledAt cancellationReason createdAt updatedAt version
    } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }`;
const PLANNED = `query PlannedAnswers($id: ID!) { customer(id: $id) { ${FIELDS} } }`;
const LOADED = `query LoadedAnswers($id: ID!) { node(id: $id) { ... on Customer { ${FIELDS} } } }`;
// A list without relations: its keys from Prisma, its rows (the selected columns) planned.
const LIST_FIELDS = 'id customerNumber firstName lastName email status totalSpent orderCount createdAt version';
const PLANNED_LIST = `query PlannedList { customers(first: 5, sort: { field: TOTAL_SPENT, direction: DESC }) { totalCount edges { cursor node { ${LIST_FIELDS} } } } }`;
const LOADED_LIST = `query LoadedList($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { ${LIST_FIELDS} } } }`;

const byIdDescending = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

interface Connection {
  totalCount: number;
  edges: { cursor: string; node: Record<string, unknown> }[];
  pageInfo: Record<string, unknown>;
}

describe('planned customer answers equal the loaders’ answers', () => {
  let server: TestServer;
  let customer: Awaited<ReturnType<typeof insertCustomer>>;
  /** Ids of the rows that share an instant, to know which one comes first (id descending). */
  const ledgerIds = new Map<string, string>();
  const policyIds = new Map<string, string>();
  const ledgerIdOf = (type: string) => ledgerIds.get(type)!;
  const policyIdOf = (type: string) => policyIds.get(type)!;

  /** The same API on the same database with every operation executed by graphql-js. */
  let graphqlJs: App;

  beforeAll(async () => {
    server = await startTestServer();
    graphqlJs = await startApp(
      loadConfig({ NODE_ENV: 'test' }, { port: 0, host: '127.0.0.1', jwtSecret: TEST_JWT_SECRET }),
      { db: server.db, answerInSql: false },
    );
    customer = await insertCustomer(server.db, { addresses: 2, ownerId: server.staffIds.agent });
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
    // Five entries, four asked for: a next page. Two share their instant (the id decides), and
    // every nullable column is null in one entry and set in another.
    const entries = await server.db.sql.query<{ id: string; type: string }>(
      `INSERT INTO loyalty_ledger (account_id, type, points, remaining, expires_at, reason, balance_after, created_at, as_of, shortfall)
       SELECT a.id, e.type::"LedgerEntryType", e.points, e.remaining, e.expires_at::timestamptz, e.reason, e.balance_after, e.created_at::timestamptz, e.as_of::timestamptz, e.shortfall
       FROM loyalty_accounts a, (VALUES
         ('EARN', 100, 40, '2027-01-02 03:04:05.678+00', 'Order PA-0', 100, '1969-12-31 23:59:59.999+00', NULL, NULL),
         ('REDEEM', -50, NULL, NULL, NULL, 50, '2026-01-02 03:04:05.123+00', NULL, NULL),
         ('EXPIRE', -10, NULL, NULL, 'Expired', 40, '2026-01-02 03:04:05.123+00', '2026-01-01 00:00:00.001+05:30', NULL),
         ('CLAWBACK', 0, NULL, NULL, 'Refund', 40, '2026-02-03 00:00:00.5+00', NULL, 7),
         ('ADJUST', 5, 5, NULL, NULL, 45, '2026-03-04 00:00:00+00', NULL, NULL)
       ) AS e(type, points, remaining, expires_at, reason, balance_after, created_at, as_of, shortfall)
       WHERE a.customer_id = $1
       RETURNING id, type::text AS type`,
      [customer.id],
    );
    for (const entry of entries) ledgerIds.set(entry.type, entry.id);
    // Four policies, three asked for: two created at the same instant, one cancelled, decimals
    // with trailing zeros, a leap day; LIFE's insured persons are masked for an analyst.
    const policies = [
      await insertPolicy(server.db, customer.id, { type: 'AUTO', premium: '100.50', coverageAmount: '50000.00' }),
      await insertPolicy(server.db, customer.id, { type: 'LIFE', premium: '0.01', startDate: '2024-02-29' }),
      await insertPolicy(server.db, customer.id, { type: 'HOME', coverageAmount: '123456789012.30' }),
      await insertPolicy(server.db, customer.id, { type: 'TRAVEL', status: 'CANCELLED' }),
    ];
    for (const policy of policies) policyIds.set(policy.type, policy.id);
    const created = [
      '2026-01-02 03:04:05.123+00',
      '2026-01-02 03:04:05.123+00',
      '1969-12-31 23:59:59.999+00',
      '2025-06-30 23:59:59.999+00',
    ];
    for (const [i, policy] of policies.entries())
      await server.db.sql.query(
        `UPDATE policies SET created_at = $1::timestamptz, deductible = $2, cancelled_at = $3::timestamptz, cancellation_reason = $4 WHERE id = $5`,
        [
          created[i],
          ['0.00', '250.50', '0', '1'][i],
          i === 3 ? '1950-06-01 12:00:00.001+05:30' : null,
          i === 3 ? 'Moved 2 times' : null,
          policy.id,
        ],
      );
  });
  afterAll(async () => {
    await graphqlJs?.close();
    await server.close();
  });

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
    const ledger = (plannedCustomer.loyalty as { transactions: Connection }).transactions;
    expect(ledger.totalCount).toBe(5);
    expect(ledger.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(ledger.edges.map((e) => [e.node.type, e.node.createdAt, e.node.asOf])).toEqual([
      ['ADJUST', '2026-03-04T00:00:00.000Z', null],
      ['CLAWBACK', '2026-02-03T00:00:00.500Z', null],
      ...[
        ['REDEEM', '2026-01-02T03:04:05.123Z', null],
        ['EXPIRE', '2026-01-02T03:04:05.123Z', '2025-12-31T18:30:00.001Z'],
      ].sort((a, b) => byIdDescending(ledgerIdOf(a[0]!), ledgerIdOf(b[0]!))),
    ]);
    const policies = (plannedCustomer.policies as Connection).edges.map((e) => e.node);
    expect((plannedCustomer.policies as Connection).totalCount).toBe(4);
    expect((plannedCustomer.policies as Connection).pageInfo.hasNextPage).toBe(true);
    expect(policies.map((p) => [p.type, p.premium, p.coverageAmount, p.deductible, p.startDate])).toEqual([
      ...[
        ['AUTO', '100.5', '50000', '0', expect.any(String)],
        ['LIFE', '0.01', '50000', '250.5', '2024-02-29'],
      ].sort((a, b) => byIdDescending(policyIdOf(a[0] as string), policyIdOf(b[0] as string))),
      ['TRAVEL', '100', '50000', '1', expect.any(String)],
    ]);
  });

  it('for an analyst, the planned detail page masks as the loaders’ page does (policy attributes, e-mail, street lines)', async () => {
    const token = await server.token('analyst');
    const planned = await countStatements(server.db, () =>
      server.post({ query: PLANNED, variables: { id: customer.globalId } }, null, { authorization: `Bearer ${token}` }),
    );
    const loaded = await server.post({ query: LOADED, variables: { id: customer.globalId } }, 'analyst');
    expect(planned.result.errors).toBeUndefined();
    expect(planned.statements).toBe(1);
    const plannedCustomer = (planned.result.data as { customer: Record<string, unknown> }).customer;
    expect(plannedCustomer).toEqual((loaded.data as { node: Record<string, unknown> }).node);
    const life = (plannedCustomer.policies as Connection).edges.find((e) => e.node.type === 'LIFE')!.node;
    expect(JSON.stringify(life.attributes)).not.toMatch(/Jane|19\d\d-/); // the insured person's name and birth date
    expect((plannedCustomer.addresses as { line1: unknown }[])[0].line1).toBeNull();
  });

  it('the owning agent gets the planned detail page as the loaders give it; another agent gets neither', async () => {
    const planned = await server.post({ query: PLANNED, variables: { id: customer.globalId } }, 'agent');
    const loaded = await server.post({ query: LOADED, variables: { id: customer.globalId } }, 'agent');
    expect(planned.errors).toBeUndefined();
    const plannedCustomer = (planned.data as { customer: Record<string, unknown> }).customer;
    expect((plannedCustomer.policies as Connection).edges).toHaveLength(3);
    expect(plannedCustomer).toEqual((loaded.data as { node: Record<string, unknown> }).node);
    const other = await server.post({ query: PLANNED, variables: { id: customer.globalId } }, 'otherAgent');
    expect(other.errors).toBeUndefined();
    expect(other.data).toEqual({ customer: null });
    const otherLoaded = await server.post({ query: LOADED, variables: { id: customer.globalId } }, 'otherAgent');
    expect(otherLoaded.data).toEqual({ node: null });
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
  // Answers built by PostgreSQL (src/graphql/plan/answer.ts) against graphql-js on the same data,
  // compared as the bytes sent; and whether PostgreSQL answered (its statement reads "answer").
  const S2 = `{ customers(first: 50) { edges { node { id customerNumber firstName lastName email
    addresses { city country } loyalty { tier pointsBalance }
    orders(first: 3) { edges { node { id number total placedAt status } } } } } } }`;
  const DETAIL = `query Detail($id: ID!) { customer(id: $id) {
    id customerNumber firstName lastName email phone gender occupation annualIncome dependants debts mortgageBalance
    educationCosts type status tags notes lastContactAt lastActivityAt totalSpent orderCount createdAt updatedAt version
    addresses { id label line1 line2 city region postalCode country isDefault createdAt updatedAt }
    loyalty { id tier pointsBalance lifetimePoints joinedAt tierReviewedAt
      transactions(first: 4) { totalCount edges { node { id type points balanceAfter reason createdAt expiresAt remaining asOf shortfall } } } }
    orders(first: 10) { totalCount edges { node { id number total currency status placedAt deliveredAt completedAt pointsAwardedAt createdAt updatedAt } } }
    policies(first: 3) { totalCount edges { node { id policyNumber startDate endDate type status insurer productName premium premiumFrequency coverageAmount deductible currency cancelledAt createdAt updatedAt version } } }
  } }`;
  const SHAPES = `query Shapes { customers(first: 4) {
      __typename total: totalCount
      edges { __typename cursor node { ...Parts alias: firstName ... on Customer { lastName firstName } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    } }
    fragment Parts on Customer { __typename id firstName loyalty { __typename tier }
      orders(first: 2) { __typename count: totalCount edges { __typename node { __typename id total } } } }`;
  const VARIABLES = `query Vars($first: Int, $after: String, $filter: CustomerFilter, $sort: CustomerSort) {
    customers(first: $first, after: $after, filter: $filter, sort: $sort) { totalCount edges { cursor node { id totalSpent createdAt } } } }`;
  const TWO_ROOTS = `query Two($id: ID!) { one: customer(id: $id) { id tags } list: customers(first: 2) { edges { node { id } } } }`;
  const DIRECTIVE = `query Dir($yes: Boolean!) { customers(first: 2) { edges { node { id email @include(if: $yes) } } } }`;

  async function both(who: 'admin' | 'agent' | 'otherAgent' | 'analyst', query: string, variables = {}) {
    const token = await server.token(who);
    const send = async (url: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return `${response.status} ${await response.text()}`;
    };
    const answered = await countStatements(server.db, () => send(server.url));
    const executed = await send(graphqlJs.url);
    return {
      answered: answered.result,
      executed,
      bySql: answered.sql.some((sql) => sql.includes('AS "answer"')),
    };
  }

  it.each([
    ['admin', 'S2', S2, {}, true],
    ['agent', 'S2', S2, {}, true],
    ['otherAgent', 'S2', S2, {}, true],
    ['analyst', 'S2 (e-mail masked: graphql-js)', S2, {}, false],
    ['admin', 'detail', DETAIL, 'customer', true],
    ['agent', 'detail', DETAIL, 'customer', true],
    ['otherAgent', 'detail (not visible)', DETAIL, 'customer', true],
    ['analyst', 'detail (masked: graphql-js)', DETAIL, 'customer', false],
    ['admin', 'typenames, aliases, fragments, cursors', SHAPES, {}, true],
    ['analyst', 'typenames, aliases, fragments, cursors', SHAPES, {}, true],
    [
      'admin',
      'variables',
      VARIABLES,
      { first: 3, filter: { status: ['ACTIVE'] }, sort: { field: 'TOTAL_SPENT', direction: 'ASC' } },
      true,
    ],
    ['admin', 'variables, none given', VARIABLES, {}, true],
    ['admin', 'a bad page size (graphql-js reports it)', VARIABLES, { first: 1000 }, false],
    ['admin', 'a bad cursor', VARIABLES, { after: 'not-a-cursor' }, false],
    ['admin', 'a bad variable', VARIABLES, { first: 'many' }, false],
    ['admin', 'two root fields', TWO_ROOTS, 'customer', true],
    ['admin', 'an unknown id', TWO_ROOTS, { id: 'Q3VzdG9tZXI6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw' }, true],
    ['admin', 'a directive (graphql-js)', DIRECTIVE, { yes: true }, false],
  ] as const)('as %s, %s: the same answer', async (who, _name, query, variables, bySql) => {
    const result = await both(who, query, variables === 'customer' ? { id: customer.globalId } : variables);
    expect(result.answered).toBe(result.executed);
    if (bySql) expect(result.answered).toMatch(/^200 \{"data":\{/);
    expect(result.bySql).toBe(bySql);
  });

  it('the page after a cursor is the same page', async () => {
    const first = await both('admin', VARIABLES, { first: 2 });
    const { endCursor } = { endCursor: JSON.parse(first.answered.slice(4)).data.customers.edges[1].cursor as string };
    const next = await both('admin', VARIABLES, { first: 2, after: endCursor });
    expect(next.answered).toBe(next.executed);
    expect(next.bySql).toBe(true);
    expect(JSON.parse(next.answered.slice(4)).data.customers.edges).toHaveLength(2);
  });
  // Random selections over the answered types (their columns and twins; aliases, inline fragments,
  // __typename, page sizes), as random roles (an analyst's masked fields go to graphql-js):
  // always the same bytes as graphql-js.
  const LEAVES: Record<string, string[]> = {
    Customer: [
      'id customerNumber firstName lastName email phone gender occupation annualIncome dependants debts',
      'mortgageBalance educationCosts type status tags notes lastContactAt lastActivityAt totalSpent orderCount',
      'createdAt updatedAt version __typename',
    ]
      .join(' ')
      .split(' '),
    Address: 'id label line1 line2 city region postalCode country isDefault createdAt updatedAt __typename'.split(' '),
    LoyaltyAccount: 'id tier pointsBalance lifetimePoints joinedAt tierReviewedAt __typename'.split(' '),
    LedgerEntry: 'id type points balanceAfter reason createdAt expiresAt remaining asOf shortfall __typename'.split(
      ' ',
    ),
    Order:
      'id number total currency status placedAt deliveredAt completedAt pointsAwardedAt createdAt updatedAt __typename'.split(
        ' ',
      ),
    Policy: [
      'id policyNumber type status insurer productName premium premiumFrequency coverageAmount deductible',
      'currency startDate endDate cancelledAt createdAt updatedAt version __typename',
    ]
      .join(' ')
      .split(' '),
  };
  let aliases = 0;
  const selectionOf = (type: string, nested: fc.Arbitrary<string>[] = []): fc.Arbitrary<string> =>
    fc
      .tuple(
        fc.shuffledSubarray(LEAVES[type], { minLength: 1, maxLength: Math.min(8, LEAVES[type].length) }),
        fc.tuple(...nested.map((n) => fc.option(n, { nil: undefined }))),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([leaves, relations, aliased, fragment]) => {
        const fields = [
          ...leaves.map((f) => (aliased && f !== '__typename' ? `a${aliases++}: ${f}` : f)),
          ...relations.filter((r) => r !== undefined),
        ].join(' ');
        return fragment ? `... on ${type} { ${fields} }` : fields;
      });
  const connection = (field: string, node: fc.Arbitrary<string>) =>
    fc
      .tuple(fc.integer({ min: 1, max: 5 }), node, fc.boolean(), fc.boolean())
      .map(
        ([first, fields, counted, typename]) =>
          `${field}(first: ${first}) { ${counted ? 'totalCount' : ''} ${typename ? '__typename' : ''} edges { node { ${fields} } } }`,
      );
  const customerFields = selectionOf('Customer', [
    selectionOf('Address').map((f) => `addresses { ${f} }`),
    selectionOf('LoyaltyAccount', [connection('transactions', selectionOf('LedgerEntry'))]).map(
      (f) => `loyalty { ${f} }`,
    ),
    connection('orders', selectionOf('Order')),
    connection('policies', selectionOf('Policy')),
  ]);
  const operation = fc.oneof(
    customerFields.map((f) => `query Q($id: ID!) { customer(id: $id) { ${f} } }`),
    fc
      .tuple(fc.integer({ min: 1, max: 7 }), customerFields, fc.boolean())
      .map(
        ([first, f, paged]) =>
          `query Q($id: ID) { customers(first: ${first}) { edges { ${paged ? 'cursor' : ''} node { ${f} } } ${paged ? 'pageInfo { hasNextPage endCursor }' : ''} } }`,
      ),
  );

  it('random selections as random roles: the same bytes as graphql-js', async () => {
    let bySql = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        operation,
        fc.constantFrom('admin', 'agent', 'otherAgent', 'analyst' as const),
        async (query, who) => {
          const result = await both(who, query, { id: customer.globalId });
          expect(result.answered).toBe(result.executed);
          runs++;
          if (result.bySql) bySql++;
        },
      ),
      { seed: 20_261_126, numRuns: 150 },
    );
    // The property is about answers built in SQL: enough of the runs must have been.
    expect(bySql).toBeGreaterThan(runs / 5);
  });
});

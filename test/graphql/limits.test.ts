import { print } from 'graphql';
import { graphql } from '../generated';
import { expectNoLeak, expectTopLevelError, unchanged } from '../helpers/bad-input';
import { insertCustomers } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const LimitsPage = graphql(`
  query LimitsPage($first: Int, $after: String, $sort: CustomerSort) {
    customers(first: $first, after: $after, sort: $sort) {
      edges { cursor node { id } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const LimitsCount = graphql(`
  query LimitsCount($first: Int) {
    customers(first: $first) { totalCount }
  }
`);

const LimitsAge = graphql(`
  query LimitsAge($ageMin: NonNegativeInt, $ageMax: NonNegativeInt) {
    customers(first: 5, filter: { ageMin: $ageMin, ageMax: $ageMax }) { totalCount }
  }
`);

// Depth: customers(1) > edges(2) > node(3) > addresses(4) > city(5): exactly the limit of 5.
const LimitsDepthFive = graphql(`
  query LimitsDepthFive {
    customers(first: 2) { edges { node { addresses { city } } } }
  }
`);

const LimitsDepthSix = graphql(`
  query LimitsDepthSix {
    customers(first: 2) { edges { node { addresses { customer { id } } } } }
  }
`);

const LimitsDepthViaFragment = graphql(`
  query LimitsDepthViaFragment {
    customers(first: 2) { edges { node { ...LimitsDeepCustomer } } }
  }
  fragment LimitsDeepCustomer on Customer {
    addresses { customer { addresses { city } } }
  }
`);

// Cost: 1 + first × (edges 1 + node 1 + id 1) = 1 + 3·first: 199 at first: 66, 202 at first: 67.
const LimitsCost = graphql(`
  query LimitsCost($first: Int!) {
    customers(first: $first) { edges { node { id } } }
  }
`);

const LimitsCostAliases = graphql(`
  query LimitsCostAliases {
    a: customers(first: 40) { edges { node { id } } }
    b: customers(first: 40) { edges { node { id } } }
  }
`);

const LimitsDeepMutation = graphql(`
  mutation LimitsDeepMutation($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer { addresses { customer { addresses { customer { id } } } } }
      userErrors { code }
    }
  }
`);

const cursorOf = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');

describe('query limits: page size, cursors, depth and cost are 400s (or BAD_USER_INPUT) with a code, never 500s', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ maxQueryCost: 200, maxQueryDepth: 5 });
    await insertCustomers(server.db, 3);
  });
  afterAll(() => server.close());

  const expectPageSizeError = async (send: () => Promise<Parameters<typeof expectTopLevelError>[0]>) => {
    const res = await unchanged(server.db, send);
    const error = expectTopLevelError(res, 400, 'BAD_USER_INPUT');
    expect(error.message).toBe('first must be between 1 and 100 (at customers)');
    expect(error.extensions?.field).toEqual(['customers']);
    expect(res.data).toBeUndefined();
  };

  it('customers(first: 101) is 400 BAD_USER_INPUT, as a literal and as a variable', async () => {
    await expectPageSizeError(() => server.post({ query: '{ customers(first: 101) { totalCount } }' }, 'admin'));
    await expectPageSizeError(() => server.gql(LimitsPage, { first: 101 }));
  });

  it.each([0, -1])('customers(first: %i) is 400 BAD_USER_INPUT', async (first) => {
    await expectPageSizeError(() => server.gql(LimitsPage, { first }));
  });

  it('first: 100 is allowed (the boundary)', async () => {
    const res = await server.gql(LimitsCount, { first: 100 });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customers).toEqual({ totalCount: 3 });
  });

  it('a real cursor continues the list (control)', async () => {
    const first = await server.gql(LimitsPage, { first: 2 });
    const next = await server.gql(LimitsPage, { first: 2, after: first.data!.customers.pageInfo.endCursor });
    expect(next.errors).toBeUndefined();
    expect(next.data!.customers.edges).toHaveLength(1);
    expect(first.data!.customers.edges.map((e) => e.node.id)).not.toContain(next.data!.customers.edges[0].node.id);
  });

  it.each([
    ['not base64 JSON', () => 'garbage!!', 'after is not a valid cursor'],
    ['a JSON object', () => cursorOf({ createdAt: 1 }), 'after is not a valid cursor'],
    ['an array of the wrong length', () => cursorOf([1, 2, 3]), 'after is not a cursor of this sort order'],
    ['values of the wrong type', () => cursorOf([42, true]), 'after is not a cursor of this sort order'],
    [
      'an id that is not a uuid',
      () => cursorOf([new Date().toISOString(), 'not-a-uuid']),
      'after is not a cursor of this sort order',
    ],
    [
      'a date PostgreSQL cannot hold',
      () => cursorOf(['-271821-04-20T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
      'after is not a cursor of this sort order',
    ],
  ])('an invalid after cursor (%s) is BAD_USER_INPUT at after, not an internal error', async (_, cursor, message) => {
    const res = await unchanged(server.db, () => server.gql(LimitsPage, { first: 2, after: cursor() }));
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({
        message,
        path: ['customers'],
        extensions: { code: 'BAD_USER_INPUT', field: ['after'] },
      }),
    ]);
    expectNoLeak(res);
  });

  it('a cursor of another sort order is BAD_USER_INPUT at after', async () => {
    const byName = await server.gql(LimitsPage, { first: 1, sort: { field: 'NAME' } });
    const res = await unchanged(server.db, () =>
      server.gql(LimitsPage, { first: 1, after: byName.data!.customers.pageInfo.endCursor }),
    );
    expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ['BAD_USER_INPUT', 'after is not a cursor of this sort order'],
    ]);
  });

  it('an age filter beyond 150 years is BAD_USER_INPUT at filter.ageMax / filter.ageMin (the date maths would overflow)', async () => {
    for (const [variables, field] of [
      [{ ageMax: 2_000_000_000 }, 'ageMax'],
      [{ ageMin: 1_000_000 }, 'ageMin'],
    ] as const) {
      const res = await unchanged(server.db, () => server.gql(LimitsAge, variables));
      expect(res.data).toBeNull();
      expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: ['filter', field] }]);
      expectNoLeak(res);
    }
    expect((await server.gql(LimitsAge, { ageMin: 0, ageMax: 150 })).data).toEqual({ customers: { totalCount: 0 } });
  });

  it('a query at the depth limit runs; one level deeper is 400 QUERY_TOO_COMPLEX', async () => {
    const ok = await server.gql(LimitsDepthFive, {});
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.customers.edges).toHaveLength(2);
    const res = await unchanged(server.db, () => server.gql(LimitsDepthSix, {}));
    expect(expectTopLevelError(res, 400, 'QUERY_TOO_COMPLEX').message).toBe(
      'Query is deeper than the allowed 5 levels',
    );
    expect(res.data).toBeUndefined();
  });

  it('depth through a fragment counts too: 400 QUERY_TOO_COMPLEX', async () => {
    const res = await unchanged(server.db, () => server.gql(LimitsDepthViaFragment, {}));
    expect(expectTopLevelError(res, 400, 'QUERY_TOO_COMPLEX').message).toBe(
      'Query is deeper than the allowed 5 levels',
    );
  });

  it('a query within the cost limit runs; one over it is 400 QUERY_TOO_COMPLEX with its cost', async () => {
    const ok = await server.gql(LimitsCost, { first: 66 });
    expect(ok.errors).toBeUndefined();
    const res = await unchanged(server.db, () => server.gql(LimitsCost, { first: 67 }));
    const error = expectTopLevelError(res, 400, 'QUERY_TOO_COMPLEX');
    expect(error.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost: 202, maxCost: 200 });
    expect(error.message).toBe('Query cost 202 exceeds the allowed 200; ask for smaller pages');
  });

  it('aliased connections add up: 2 × 121 is over the limit (also when the same document comes again)', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await unchanged(server.db, () => server.gql(LimitsCostAliases, {}));
      expect(expectTopLevelError(res, 400, 'QUERY_TOO_COMPLEX').extensions).toMatchObject({ cost: 242, maxCost: 200 });
    }
  });

  it('a mutation whose selection is too deep is refused before it runs: 400 QUERY_TOO_COMPLEX and nothing written', async () => {
    const input = {
      firstName: 'Deep',
      lastName: 'Query',
      email: 'deep@example.com',
      consent: { dataProcessing: true },
    };
    const res = await unchanged(server.db, () => server.gql(LimitsDeepMutation, { input }));
    expectTopLevelError(res, 400, 'QUERY_TOO_COMPLEX');
    expect(await server.db.prisma.customer.count({ where: { email: 'deep@example.com' } })).toBe(0);
  });

  it('a huge first in a variable of the wrong type is still refused before any SQL runs', async () => {
    const res = await unchanged(server.db, () =>
      server.post({ query: print(LimitsCost), variables: { first: '1e9' } }, 'admin'),
    );
    expectTopLevelError(res, 400, 'BAD_USER_INPUT');
  });
});

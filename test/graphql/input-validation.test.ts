// Issue 8, "unvalidated values reaching SQL casts": cursors, IDs, dates and LIKE patterns are
// validated once, before SQL. Each case used to be an internal error (or matched everyone).
import { expectNoLeak, expectTopLevelError, unchanged } from '../helpers/bad-input';
import { insertCustomers } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const cursorOf = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');
const idOf = (text: string) => Buffer.from(text).toString('base64url');
const NIL = '00000000-0000-0000-0000-000000000000';

// Every connection of the API with an `after`: root lists, and nested ones loaded per customer.
// (For TOTAL_SPENT, "1" is a fine decimal key, so that case is an honest cursor there.)
const CONNECTIONS: [string, string, (string | number)[]][] = [
  ['customers', 'query($after: String) { customers(first: 2, after: $after) { totalCount } }', ['customers']],
  [
    'customers by name',
    'query($after: String) { customers(first: 2, after: $after, sort: { field: NAME }) { totalCount } }',
    ['customers'],
  ],
  [
    'customers by total spent',
    'query($after: String) { customers(first: 2, after: $after, sort: { field: TOTAL_SPENT }) { totalCount } }',
    ['customers'],
  ],
  ['feedback', 'query($after: String) { feedback(first: 2, after: $after) { totalCount } }', ['feedback']],
  ['policies', 'query($after: String) { policies(first: 2, after: $after) { totalCount } }', ['policies']],
  [
    'renewal candidates',
    'query($after: String) { renewalCandidates(first: 2, after: $after, withinDays: 30) { totalCount } }',
    ['renewalCandidates'],
  ],
  [
    'rewards',
    'query($after: String) { rewards(first: 2, after: $after, activeOnly: false) { totalCount } }',
    ['rewards'],
  ],
  [
    'customer orders',
    'query($after: String) { customers(first: 1) { edges { node { orders(first: 2, after: $after) { totalCount } } } } }',
    ['customers', 'edges', 0, 'node', 'orders'],
  ],
  [
    'customer policies',
    'query($after: String) { customers(first: 1) { edges { node { policies(first: 2, after: $after) { totalCount } } } } }',
    ['customers', 'edges', 0, 'node', 'policies'],
  ],
  [
    'customer claims',
    'query($after: String) { customers(first: 1) { edges { node { claims(first: 2, after: $after) { totalCount } } } } }',
    ['customers', 'edges', 0, 'node', 'claims'],
  ],
  [
    'loyalty transactions',
    'query($after: String) { customers(first: 1) { edges { node { loyalty { transactions(first: 2, after: $after) { totalCount } } } } } }',
    ['customers', 'edges', 0, 'node', 'loyalty', 'transactions'],
  ],
];

const FORGED_CURSORS: [string, unknown][] = [
  ['a number where a time belongs', ['1', NIL]],
  ['year 0', ['0000-01-01T00:00:00.000Z', NIL]],
  ['a six-digit year', ['+275760-09-13T00:00:00.000Z', NIL]],
  ['a dashes-only id', ['2024-01-01T00:00:00.000Z', '-'.repeat(36)]],
  ['a float where an integer belongs', [1.5, NIL]],
  ['a date that does not exist', ['2023-02-30', NIL]],
  ['too many keys', ['2024-01-01T00:00:00.000Z', NIL, 1]],
  ['nested arrays', [[['x']], NIL]],
];

describe('one validation of cursors, IDs, dates and LIKE patterns before SQL', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: 'production' });
    await insertCustomers(server.db, 2, { city: 'Springfield' });
    await insertCustomers(server.db, 1, { city: 'Zürich', lastName: 'Percent' });
  });
  afterAll(() => server.close());

  describe.each(CONNECTIONS)('%s', (_, query, path) => {
    const forged = FORGED_CURSORS.filter(
      ([name]) => !(_ === 'customers by total spent' && name === 'a number where a time belongs'),
    );
    it.each(forged)('a forged cursor (%s) is BAD_USER_INPUT at after, nothing written', async (__, values) => {
      const res = await unchanged(server.db, () =>
        server.post({ query, variables: { after: cursorOf(values) } }, 'admin'),
      );
      expect(res.status).toBe(200);
      expect(res.errors?.map((e) => ({ path: e.path, code: e.extensions?.code, field: e.extensions?.field }))).toEqual([
        { path, code: 'BAD_USER_INPUT', field: ['after'] },
      ]);
      expectNoLeak(res);
    });
  });

  it.each([['0000-01-01T00:00:00Z'], ['+275760-09-13T00:00:00Z'], ['1899-12-31T23:59:59Z'], ['10000-01-01T00:00:00Z']])(
    'createdFrom %s is refused as BAD_USER_INPUT (years 1900-9999)',
    async (createdFrom) => {
      const res = await server.post(
        {
          query: 'query($from: DateTime) { customers(first: 1, filter: { createdFrom: $from }) { totalCount } }',
          variables: { from: createdFrom },
        },
        'admin',
      );
      expectTopLevelError(res, 400, 'BAD_USER_INPUT');
      const literal = await server.post(
        { query: `{ customers(first: 1, filter: { createdFrom: "${createdFrom}" }) { totalCount } }` },
        'admin',
      );
      expectTopLevelError(literal, 400, 'GRAPHQL_VALIDATION_FAILED');
    },
  );

  it('the edges of the DateTime range are accepted', async () => {
    for (const from of ['1900-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
      const res = await server.post(
        {
          query: 'query($from: DateTime) { customers(first: 1, filter: { createdFrom: $from }) { totalCount } }',
          variables: { from },
        },
        'admin',
      );
      expect(res.errors).toBeUndefined();
    }
  });

  it('a LocalDate in year 0 is refused before it reaches a DATE column', async () => {
    const res = await server.post(
      {
        query:
          'mutation($b: LocalDate) { customerCreate(input: { firstName: "A", lastName: "B", email: "y0@example.com", birthDate: $b, consent: { dataProcessing: true } }) { userErrors { code } } }',
        variables: { b: '0000-01-01' },
      },
      'admin',
    );
    expectTopLevelError(res, 400, 'BAD_USER_INPUT');
  });

  it.each([['\\'], ['%'], ['_'], ['a\\'], ['%%\\%']])(
    'city %j matches only itself (LIKE metacharacters are escaped)',
    async (city) => {
      const res = await server.post(
        {
          query: 'query($city: String) { customers(first: 5, filter: { city: $city }) { totalCount } }',
          variables: { city },
        },
        'admin',
      );
      expect(res).toEqual({ status: 200, data: { customers: { totalCount: 0 } } });
    },
  );

  it('city still matches case-insensitively and exactly', async () => {
    const res = await server.post(
      { query: '{ customers(first: 5, filter: { city: "zürich" }) { totalCount } }' },
      'admin',
    );
    expect(res.data).toEqual({ customers: { totalCount: 1 } });
  });

  it.each([['%'], ['_'], ['\\'], ['%_%']])('search %j matches nobody instead of everyone', async (search) => {
    const res = await server.post(
      {
        query: 'query($search: String) { customers(first: 5, filter: { search: $search }) { totalCount } }',
        variables: { search },
      },
      'admin',
    );
    expect(res).toEqual({ status: 200, data: { customers: { totalCount: 0 } } });
  });

  it('a search longer than 200 characters is BAD_USER_INPUT at filter.search; 200 is fine', async () => {
    const query = 'query($search: String) { customers(first: 5, filter: { search: $search }) { totalCount } }';
    const res = await server.post({ query, variables: { search: 'x'.repeat(201) } }, 'admin');
    expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: ['filter', 'search'] }]);
    expect((await server.post({ query, variables: { search: 'x'.repeat(200) } }, 'admin')).data).toEqual({
      customers: { totalCount: 0 },
    });
  });

  it.each([['__proto__'], ['constructor'], ['toString'], ['hasOwnProperty']])(
    'node(id) whose type part is %s is null, not an internal error',
    async (type) => {
      const res = await server.post(
        { query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id: idOf(`${type}:${NIL}`) } },
        'admin',
      );
      expect(res).toEqual({ status: 200, data: { node: null } });
    },
  );

  it('nodes(ids) with more than 100 ids is BAD_USER_INPUT at ids (not a silent 100)', async () => {
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    const res = await server.post(
      { query, variables: { ids: Array.from({ length: 101 }, () => idOf(`Customer:${NIL}`)) } },
      'admin',
    );
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field, e.message])).toEqual([
      ['BAD_USER_INPUT', ['ids'], 'At most 100 ids at once (got 101)'],
    ]);
    const hundred = await server.post(
      { query, variables: { ids: Array.from({ length: 100 }, () => idOf(`Customer:${NIL}`)) } },
      'admin',
    );
    expect((hundred.data as { nodes: unknown[] }).nodes).toHaveLength(100);
  });
});

// Table-driven tests of the query limits (src/graphql/limits.ts) on a small schema, without a
// server: the cost, depth, root-field, alias and login counts at their exact limits, through
// fragments, and the page-size check. test/graphql/limits.test.ts tries the same over HTTP.
// Part of the mutation-tested rule tests (jest.rules.config.js).
import type { GraphQLRequestListener } from '@apollo/server';
import { buildSchema, GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { queryLimitsPlugin, type QueryLimits } from '../../src/graphql/limits';

const schema = buildSchema(`
  type Query {
    customers(first: Int, after: String): CustomerConnection
    customer(id: ID!): Customer
    me: Staff
  }
  type Mutation {
    login(email: String!): Token
    logout: Boolean
  }
  type Token { token: String }
  type Staff { name: String }
  type CustomerConnection { totalCount: Int, edges: [CustomerEdge], nodes: [Customer] }
  type CustomerEdge { cursor: String, node: Customer }
  type Customer { id: ID!, name: String, orders(first: Int): OrderConnection, owner: Staff }
  type OrderConnection { nodes: [Order] }
  type Order { id: ID!, total: Int }
`);

const LIMITS: QueryLimits = { maxDepth: 4, maxCost: 100, maxRootFields: 3, maxAliases: 2, maxLogins: 1 };

/** Runs the plugin's check on `source`: null when accepted, else the error's code, message and extensions. */
async function check(source: string, variables: Record<string, unknown> = {}, limits = LIMITS) {
  const document = parse(source);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as
    | OperationDefinitionNode
    | undefined;
  const listener = (await queryLimitsPlugin(limits).requestDidStart!({} as never)) as GraphQLRequestListener<never>;
  try {
    await listener.didResolveOperation!({ document, operation, schema, request: { variables } } as never);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const { code, http, ...rest } = (error as GraphQLError).extensions as Record<string, unknown>;
    expect(http).toEqual({ status: 400 });
    return { code, message: (error as GraphQLError).message, ...rest };
  }
}

describe('query cost', () => {
  it.each<[string, string, Record<string, unknown>, number]>([
    ['one scalar field costs 1', '{ me { name } }', {}, 2],
    ['a page multiplies its selection by first', '{ customers(first: 10) { totalCount } }', {}, 11],
    ['first from a variable', 'query ($n: Int) { customers(first: $n) { totalCount } }', { n: 7 }, 8],
    ['no first: the default page size (20)', '{ customers { totalCount } }', {}, 21],
    [
      'nested pages multiply',
      '{ customers(first: 3) { nodes { orders(first: 4) { nodes { id total } } } } }',
      {},
      1 + 3 * (1 + (1 + 4 * (1 + 2))),
    ],
    ['a field without first is not multiplied', '{ customer(id: "1") { name owner { name } } }', {}, 1 + 1 + 2],
    ['introspection fields are free', '{ __typename me { __typename name } }', {}, 2],
    ['unknown fields are left to validation', '{ me { name nickname } nowhere }', {}, 2],
  ])('%s', async (_name, source, variables, cost) => {
    // The cost is what the limit compares: accepted at exactly that limit, refused one below.
    expect(await check(source, variables, { ...LIMITS, maxCost: cost, maxDepth: 99, maxRootFields: 99 })).toBeNull();
    expect(await check(source, variables, { ...LIMITS, maxCost: cost - 1, maxDepth: 99, maxRootFields: 99 })).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      message: `Query cost ${cost} exceeds the allowed ${cost - 1}; ask for smaller pages`,
      cost,
      maxCost: cost - 1,
    });
  });

  it('a named fragment counts at every spread, and inline fragments count as their fields', async () => {
    const source = `
      query { a: customer(id: "1") { ...C } b: customer(id: "2") { ... on Customer { name owner { name } } } }
      fragment C on Customer { name owner { name } }`;
    const limits = { ...LIMITS, maxDepth: 99, maxRootFields: 99 };
    expect(await check(source, {}, { ...limits, maxCost: 8 })).toBeNull();
    expect(await check(source, {}, { ...limits, maxCost: 7 })).toMatchObject({ cost: 8 });
  });
});

describe('page size', () => {
  it.each<[string, unknown, string | null]>([
    ['1', 1, null],
    ['100', 100, null],
    ['0', 0, 'first must be between 1 and 100 (at list)'],
    ['101', 101, 'first must be between 1 and 100 (at list)'],
    ['-1', -1, 'first must be between 1 and 100 (at list)'],
    ['1.5', 1.5, 'first must be between 1 and 100 (at list)'],
    ['a string', '5', 'first must be between 1 and 100 (at list)'],
  ])('first = %s', async (_name, first, message) => {
    const result = await check(
      'query ($first: Int) { list: customers(first: $first) { totalCount } }',
      { first },
      { ...LIMITS, maxCost: 1e9 },
    );
    expect(result).toEqual(message === null ? null : { code: 'BAD_USER_INPUT', message, field: ['list'] });
  });

  it('names the path of a nested page', async () => {
    expect(
      await check(
        '{ customers(first: 1) { nodes { orders(first: 0) { nodes { id } } } } }',
        {},
        { ...LIMITS, maxCost: 1e9 },
      ),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'first must be between 1 and 100 (at customers.nodes.orders)',
      field: ['customers', 'nodes', 'orders'],
    });
  });
});

describe('depth, root fields, aliases and logins at their limits', () => {
  it.each<[string, string, object | null]>([
    [
      'depth 4 (the limit)',
      '{ customers(first: 1) { edges { node { owner { name } } } } }',
      { code: 'QUERY_TOO_COMPLEX', message: 'Query is deeper than the allowed 4 levels' },
    ],
    ['depth 4 exactly', '{ customers(first: 1) { edges { node { name } } } }', null],
    [
      'depth through a fragment',
      '{ customers(first: 1) { ...E } } fragment E on CustomerConnection { edges { node { owner { name } } } }',
      { code: 'QUERY_TOO_COMPLEX', message: 'Query is deeper than the allowed 4 levels' },
    ],
    ['3 root fields', '{ me { name } customer(id: "1") { id } customers(first: 1) { totalCount } }', null],
    [
      '4 root fields, one through an inline fragment',
      '{ me { name } customer(id: "1") { id } customers(first: 1) { totalCount } ... on Query { again: me { name } } }',
      {
        code: 'QUERY_TOO_COMPLEX',
        message: 'The operation selects 4 root fields; at most 3 are allowed',
        rootFields: 4,
        maxRootFields: 3,
      },
    ],
    [
      '4 root fields through a named fragment',
      'query { ...Q me { name } } fragment Q on Query { a: me { name } customer(id: "1") { id } b: customer(id: "2") { id } }',
      {
        code: 'QUERY_TOO_COMPLEX',
        message: 'The operation selects 4 root fields; at most 3 are allowed',
        rootFields: 4,
        maxRootFields: 3,
      },
    ],
    ['2 aliases', '{ a: me { name } b: me { name } }', null],
    [
      '3 aliases, one nested',
      '{ a: me { name } b: me { x: name } }',
      {
        code: 'QUERY_TOO_COMPLEX',
        message: 'The operation has 3 aliased fields; at most 2 are allowed',
        aliases: 3,
        maxAliases: 2,
      },
    ],
    [
      '4 aliases through a fragment spread twice',
      '{ me { ...N } customer(id: "1") { owner { ...N } } } fragment N on Staff { x: name y: name }',
      {
        code: 'QUERY_TOO_COMPLEX',
        message: 'The operation has 4 aliased fields; at most 2 are allowed',
        aliases: 4,
        maxAliases: 2,
      },
    ],
    ['1 login', 'mutation { login(email: "a") { token } logout }', null],
    [
      '2 logins (one aliased)',
      'mutation { login(email: "a") { token } again: login(email: "b") { token } }',
      { code: 'QUERY_TOO_COMPLEX', message: 'At most 1 login per operation', logins: 2, maxLogins: 1 },
    ],
    [
      '2 logins through a fragment',
      'mutation { ...L } fragment L on Mutation { login(email: "a") { token } second: login(email: "b") { token } }',
      { code: 'QUERY_TOO_COMPLEX', message: 'At most 1 login per operation', logins: 2, maxLogins: 1 },
    ],
  ])('%s', async (_name, source, expected) => {
    expect(await check(source)).toEqual(expected);
  });

  it('a field named login outside the mutation type is not a login', async () => {
    const withLogin = buildSchema('type Query { login: Int, other: Int } type Mutation { login: Int }');
    const document = parse('{ a: login b: login }');
    const listener = (await queryLimitsPlugin(LIMITS).requestDidStart!({} as never)) as GraphQLRequestListener<never>;
    await expect(
      listener.didResolveOperation!({
        document,
        operation: document.definitions[0] as OperationDefinitionNode,
        schema: withLogin,
        request: {},
      } as never),
    ).resolves.toBeUndefined();
  });

  it('an operation type the schema lacks, and a document without an operation', async () => {
    expect(await check('subscription { ticks }')).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'This API has no subscription operations',
    });
    expect(await check('fragment F on Query { me { name } }')).toBeNull();
  });

  it('a fragment cycle (refused by validation) ends instead of recursing forever', async () => {
    expect(
      await check('{ me { ...A } } fragment A on Staff { name ...B } fragment B on Staff { ...A }', {}, LIMITS),
    ).toBeNull();
  });
});

// Apollo hands the same parsed document to every request with the same query text, and the plugin
// keeps its measure: the limits must hold on the second request as on the first, and a measure
// that read a page size from the variables must not be reused for other variables.
describe('a document sent again', () => {
  const plugin = () => queryLimitsPlugin({ ...LIMITS, maxCost: 50 });
  async function send(p: ReturnType<typeof plugin>, document: ReturnType<typeof parse>, variables = {}) {
    const listener = (await p.requestDidStart!({} as never)) as GraphQLRequestListener<never>;
    const operation = document.definitions[0] as OperationDefinitionNode;
    try {
      await listener.didResolveOperation!({ document, operation, schema, request: { variables } } as never);
      return null;
    } catch (error) {
      return (error as GraphQLError).message;
    }
  }

  it('is refused again when it was too costly', async () => {
    const p = plugin();
    const document = parse('{ customers(first: 60) { totalCount } }');
    const refusal = 'Query cost 61 exceeds the allowed 50; ask for smaller pages';
    expect(await send(p, document)).toBe(refusal);
    expect(await send(p, document)).toBe(refusal);
  });

  it('is measured again with new variables when its page size is a variable', async () => {
    const p = plugin();
    const document = parse('query ($n: Int) { customers(first: $n) { totalCount } }');
    expect(await send(p, document, { n: 10 })).toBeNull();
    expect(await send(p, document, { n: 60 })).toBe('Query cost 61 exceeds the allowed 50; ask for smaller pages');
    expect(await send(p, document, { n: 10 })).toBeNull();
  });
});

describe('what a measure must not hide', () => {
  const limits = { ...LIMITS, maxDepth: 99, maxRootFields: 99 };
  it('finds first by its name, whatever argument comes before it', async () => {
    const source = '{ customers(after: "c", first: 10) { totalCount } }';
    expect(await check(source, {}, { ...limits, maxCost: 11 })).toBeNull();
    expect(await check(source, {}, { ...limits, maxCost: 10 })).toMatchObject({ cost: 11 });
  });
  // Validation refuses both documents, but the measure must stay a number: a NaN cost would pass
  // every limit.
  it.each([
    [
      'a fragment cycle',
      '{ me { ...A } customers(first: 100) { totalCount } } fragment A on Staff { name ...B } fragment B on Staff { ...A }',
      103,
    ],
    ['an unknown fragment', '{ ...Missing customers(first: 100) { totalCount } }', 101],
  ])('%s next to a costly page is still refused by its cost', async (_name, source, cost) => {
    expect(await check(source, {}, { ...limits, maxCost: 100 })).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost });
  });
});

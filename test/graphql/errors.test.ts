import { print } from 'graphql';
import { graphql } from '../generated';
import { expectNoLeak, expectTopLevelError, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const ErrorsCustomers = graphql(`
  query ErrorsCustomers($first: Int) {
    customers(first: $first) { totalCount }
  }
`);

const ErrorsCustomer = graphql(`
  query ErrorsCustomer($id: ID!) {
    customer(id: $id) { id firstName }
  }
`);

const ErrorsSearch = graphql(`
  query ErrorsSearch($search: String) {
    customers(first: 5, filter: { search: $search }) { totalCount }
  }
`);

const ErrorsCreate = graphql(`
  mutation ErrorsCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer { id }
      userErrors { code field message }
    }
  }
`);

const ErrorsChangeStatus = graphql(`
  mutation ErrorsChangeStatus($id: ID!) {
    customerChangeStatus(id: $id, input: { status: INACTIVE }) {
      customer { id status }
      userErrors { code field message }
    }
  }
`);

const newCustomer = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  consent: { dataProcessing: true },
};

describe('top-level errors: precise codes and HTTP statuses, nothing written, nothing leaked', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await insertCustomer(server.db);
  });
  afterAll(() => server.close());

  const send = (body: unknown, headers?: Record<string, string>) =>
    unchanged(server.db, () => server.post(body, 'admin', headers));

  it('a malformed query is 400 GRAPHQL_PARSE_FAILED', async () => {
    const error = expectTopLevelError(
      await send({ query: 'mutation { customerCreate(input: { firstName: "x" ' }),
      400,
      'GRAPHQL_PARSE_FAILED',
    );
    expect(error.message).toMatch(/^Syntax Error/);
  });

  it('an unknown field is 400 GRAPHQL_VALIDATION_FAILED naming the field', async () => {
    const error = expectTopLevelError(
      await send({ query: '{ customers(first: 1) { totalCount nope } }' }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(error.message).toBe('Cannot query field "nope" on type "CustomerConnection".');
  });

  it('an unknown argument and an unknown input field are 400 GRAPHQL_VALIDATION_FAILED', async () => {
    expectTopLevelError(
      await send({ query: '{ customers(first: 1, pageSize: 5) { totalCount } }' }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
    const res = await send({
      query:
        'mutation { customerCreate(input: { firstName: "a", lastName: "b", email: "a@b.co", consent: { dataProcessing: true }, shoeSize: 9 }) { userErrors { code } } }',
    });
    expect(expectTopLevelError(res, 400, 'GRAPHQL_VALIDATION_FAILED').message).toContain('shoeSize');
  });

  it('a variable of the wrong type (first: "ten") is 400 BAD_USER_INPUT naming first', async () => {
    const error = expectTopLevelError(
      await send({ query: print(ErrorsCustomers), variables: { first: 'ten' } }),
      400,
      'BAD_USER_INPUT',
    );
    expect(error.message).toContain('first');
  });

  it('variables that do not coerce (an object for an ID, a missing required variable) are 400 BAD_USER_INPUT', async () => {
    const object = expectTopLevelError(
      await send({ query: print(ErrorsCustomer), variables: { id: { id: 1 } } }),
      400,
      'BAD_USER_INPUT',
    );
    expect(object.message).toContain('"$id"');
    const missing = expectTopLevelError(
      await send({ query: print(ErrorsCreate), variables: {} }),
      400,
      'BAD_USER_INPUT',
    );
    expect(missing.message).toBe('Variable "$input" of required type "CustomerCreateInput!" was not provided.');
    const enumValue = expectTopLevelError(
      await send({ query: print(ErrorsCreate), variables: { input: { ...newCustomer, gender: 'ROBOT' } } }),
      400,
      'BAD_USER_INPUT',
    );
    expect(enumValue.message).toContain('input.gender');
  });

  it('a body that is not valid JSON is 400 BAD_REQUEST', async () => {
    const res = await send('{"query": "{ customers { totalCount } }"');
    expect(expectTopLevelError(res, 400, 'BAD_REQUEST').message).toBe('Request body is not valid JSON');
  });

  it('a JSON body without a query, a batch, and a query that is not a string are 400 BAD_REQUEST', async () => {
    expectTopLevelError(await send({ variables: {} }), 400, 'BAD_REQUEST');
    expectTopLevelError(await send([{ query: '{ __typename }' }]), 400, 'BAD_REQUEST');
    expectTopLevelError(await send({ query: 42 }), 400, 'BAD_REQUEST');
  });

  it('a body over 1 MB is 413, answered rather than cut off', async () => {
    const res = await send({
      query: print(ErrorsCreate),
      variables: { input: { ...newCustomer, notes: 'x'.repeat(2 * 1024 * 1024) } },
    });
    expect(res).toEqual({
      status: 413,
      errors: [
        { message: 'Request body too large (at most 1048576 bytes)', extensions: { code: 'PAYLOAD_TOO_LARGE' } },
      ],
    });
  });

  it('several operations without an operationName, or an unknown one, are 400 OPERATION_RESOLUTION_FAILURE', async () => {
    const query = 'query A { __typename } query B { __typename }';
    expectTopLevelError(await send({ query }), 400, 'OPERATION_RESOLUTION_FAILURE');
    expectTopLevelError(await send({ query, operationName: 'C' }), 400, 'OPERATION_RESOLUTION_FAILURE');
  });

  it('a subscription (this API has none) is 400 GRAPHQL_VALIDATION_FAILED, not an internal error', async () => {
    const error = expectTopLevelError(
      await send({ query: 'subscription { customerCreated { id } }' }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(error.message).toBe('This API has no subscription operations');
  });

  it('a NUL character in a variable or a string literal is 400 BAD_USER_INPUT, not an internal error', async () => {
    const variable = expectTopLevelError(
      await unchanged(server.db, () => server.gql(ErrorsSearch, { search: 'a\u0000b' })),
      400,
      'BAD_USER_INPUT',
    );
    expect(variable.message).toBe('Text must not contain NUL (\\u0000) characters (in $search)');
    const nested = expectTopLevelError(
      await send({ query: print(ErrorsCreate), variables: { input: { ...newCustomer, tags: ['ok', 'b\u0000d'] } } }),
      400,
      'BAD_USER_INPUT',
    );
    expect(nested.message).toContain('$input.tags[1]');
    const literal = expectTopLevelError(
      await send({ query: '{ customers(first: 1, filter: { city: "x\\u0000y" }) { totalCount } }' }),
      400,
      'BAD_USER_INPUT',
    );
    expect(literal.message).toContain('a string literal');
  });

  it('a mutation without a token is 401 UNAUTHENTICATED and writes nothing', async () => {
    const res = await unchanged(server.db, () => server.gql(ErrorsCreate, { input: newCustomer }, null));
    expectTopLevelError(res, 401, 'UNAUTHENTICATED');
    expect(await server.db.prisma.customer.count({ where: { email: newCustomer.email } })).toBe(0);
  });

  it('a mutation by a role that may not write is FORBIDDEN and writes nothing', async () => {
    const res = await unchanged(server.db, () => server.gql(ErrorsCreate, { input: newCustomer }, 'analyst'));
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['customerCreate']]]);
    expectNoLeak(res);
  });
});

describe('an internal failure is INTERNAL_SERVER_ERROR with a generic message: no SQL, no stack', () => {
  let server: TestServer;
  let customerId: string;

  beforeAll(async () => {
    server = await startTestServer();
    customerId = (await insertCustomer(server.db)).globalId;
    await server.token('admin');
    // Pull the database out from under the running server (on PostgreSQL this also drops it).
    await server.db.close();
  });
  // The database is already closed: stop only the HTTP server.
  afterAll(() => server.app.close());

  it('a query that reaches the closed database', async () => {
    const res = await server.gql(ErrorsCustomer, { id: customerId });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ customer: null });
    expect(res.errors).toEqual([
      {
        message: 'Internal server error',
        path: ['customer'],
        locations: [{ line: 2, column: 3 }],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expectNoLeak(res);
  });

  it('a mutation that reaches the closed database', async () => {
    const res = await server.gql(ErrorsChangeStatus, { id: customerId });
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => [e.extensions?.code, e.message, e.path])).toEqual([
      ['INTERNAL_SERVER_ERROR', 'Internal server error', ['customerChangeStatus']],
    ]);
    expectNoLeak(res);
  });

  it('a bad id still gets its precise user error, without touching the database', async () => {
    const res = await server.gql(ErrorsChangeStatus, { id: 'not-a-global-id' });
    expect(res.data!.customerChangeStatus.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
  });
});

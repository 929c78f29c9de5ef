import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { OWN_AUDIENCE, OWN_ISSUER } from '../../src/auth/jwt';
import { graphql } from '../generated';
import { databaseSnapshot } from '../helpers/snapshot';
import { insertCustomer } from '../helpers/factories';
import { STAFF, startTestServer, type TestServer } from '../helpers/server';

const AuthCustomerCount = graphql(`
  query AuthCustomerCount {
    customers(first: 5) { totalCount }
  }
`);

const AuthAnonymousCreate = graphql(`
  mutation AuthAnonymousCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer { id }
      userErrors { code }
    }
  }
`);

const jwtSecret = randomBytes(48).toString('base64url');
const UNAUTHENTICATED = { message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } };

describe('every operation needs a valid token', () => {
  let server: TestServer;
  /** An HS256 token like the ones login issues, for the admin, expiring at `exp` (seconds). */
  let adminToken: (exp: number) => string;

  beforeAll(async () => {
    server = await startTestServer({ jwtSecret });
    await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    adminToken = (exp) =>
      jwt.sign({ ver: 0, exp }, jwtSecret, {
        algorithm: 'HS256',
        subject: server.staffIds.admin,
        issuer: OWN_ISSUER,
        audience: OWN_AUDIENCE,
      });
  });
  afterAll(() => server.close());

  it('a query without a token is a 401 UNAUTHENTICATED with no data', async () => {
    const res = await server.gql(AuthCustomerCount, {}, null);

    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([UNAUTHENTICATED]);
  });

  it('a mutation without a token is a 401 UNAUTHENTICATED and writes nothing', async () => {
    const before = await databaseSnapshot(server.db);
    const input = {
      firstName: 'Anon',
      lastName: 'Ymous',
      email: 'anon@example.com',
      consent: { dataProcessing: true },
    };
    const res = await server.gql(AuthAnonymousCreate, { input }, null);

    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([UNAUTHENTICATED]);
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it('login is no loophole: asking for anything else next to it still needs a token', async () => {
    const res = await server.post({
      query: `mutation { login(input: { email: "${STAFF.admin.email}", password: "x" }) { token } customerCreate(input: { firstName: "A", lastName: "B", email: "ab@example.com", consent: { dataProcessing: true } }) { customer { id } } }`,
    });

    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await server.db.prisma.customer.count({ where: { email: 'ab@example.com' } })).toBe(0);
  });

  it('a token that is not a JWT is a 401 UNAUTHENTICATED', async () => {
    const res = await server.gql(AuthCustomerCount, {}, { token: 'not-a-jwt' });

    expect(res.status).toBe(401);
    expect(res.errors).toEqual([UNAUTHENTICATED]);
  });

  it('a token signed with another secret is a 401 UNAUTHENTICATED', async () => {
    const forged = jwt.sign({ ver: 0 }, 'some-other-secret', {
      algorithm: 'HS256',
      subject: server.staffIds.admin,
      issuer: OWN_ISSUER,
      audience: OWN_AUDIENCE,
      expiresIn: 600,
    });
    const res = await server.gql(AuthCustomerCount, {}, { token: forged });

    expect(res.status).toBe(401);
    expect(res.errors).toEqual([UNAUTHENTICATED]);
  });

  it('an expired token is a 401 UNAUTHENTICATED, while the same token unexpired works', async () => {
    const now = Math.floor(Date.now() / 1000);
    const valid = await server.gql(AuthCustomerCount, {}, { token: adminToken(now + 600) });
    const expired = await server.gql(AuthCustomerCount, {}, { token: adminToken(now - 60) });

    expect(valid.status).toBe(200);
    expect(valid.data!.customers.totalCount).toBe(1);
    expect(expired.status).toBe(401);
    expect(expired.data).toBeUndefined();
    expect(expired.errors).toEqual([UNAUTHENTICATED]);
  });

  it('a header that is not "Bearer <token>" counts as no token', async () => {
    const token = await server.token('admin');
    const res = await server.post({ query: '{ customers(first: 1) { totalCount } }' }, null, {
      authorization: `Token ${token}`,
    });

    expect(res.status).toBe(401);
    expect(res.errors).toEqual([UNAUTHENTICATED]);
  });

  it('the scheme is case-insensitive: "bearer" and "BEARER" work like "Bearer"', async () => {
    const token = await server.token('admin');
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const res = await server.post({ query: '{ customers(first: 1) { totalCount } }' }, null, {
        authorization: `${scheme} ${token}`,
      });

      expect(res.status).toBe(200);
      expect(res.data).toEqual({ customers: { totalCount: 1 } });
    }
  });

  it('our own tokens must carry our issuer and audience', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const sign = (options: jwt.SignOptions) =>
      jwt.sign({ ver: 0, exp }, jwtSecret, { algorithm: 'HS256', subject: server.staffIds.admin, ...options });
    const tokens = [
      sign({ issuer: OWN_ISSUER }),
      sign({ audience: OWN_AUDIENCE }),
      sign({ issuer: 'someone-else', audience: OWN_AUDIENCE }),
      sign({ issuer: OWN_ISSUER, audience: 'another-api' }),
    ];

    for (const token of tokens) {
      const res = await server.gql(AuthCustomerCount, {}, { token });
      expect(res.status).toBe(401);
      expect(res.errors).toEqual([UNAUTHENTICATED]);
    }
  });

  it('introspection works without a token while it is enabled', async () => {
    const res = await server.post({ query: '{ __schema { queryType { name } mutationType { name } } }' }, null);

    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } } });
  });

  it('introspection is no loophole: data asked for next to it still needs a token', async () => {
    const res = await server.post(
      { query: '{ __schema { queryType { name } } customers(first: 1) { totalCount } }' },
      null,
    );

    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([UNAUTHENTICATED]);
  });
});

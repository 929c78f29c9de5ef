import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { STAFF, startTestServer, type StaffKey, type TestServer } from '../helpers/server';

const AuthExternalWhoAmI = graphql(`
  query AuthExternalWhoAmI {
    me { id email role }
    customers(first: 10) { totalCount }
  }
`);

const UNAUTHENTICATED = [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }];

const rsaKeyPair = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

describe('tokens of an external identity provider (RS256, configured public key)', () => {
  const idp = rsaKeyPair();
  const stranger = rsaKeyPair();
  let server: TestServer;

  /** A token as the identity provider would issue it for one of the test staff. */
  const idpToken = (who: StaffKey, privateKey = idp.privateKey, expiresIn = 300) =>
    jwt.sign({ role: STAFF[who].role, email: STAFF[who].email, name: STAFF[who].name }, privateKey, {
      algorithm: 'RS256',
      subject: server.staffIds[who],
      issuer: 'https://idp.example.com',
      expiresIn,
    });

  beforeAll(async () => {
    server = await startTestServer({ jwtPublicKey: idp.publicKey });
    await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent });
  });
  afterAll(() => server.close());

  it('accepts a token signed by the identity provider, as the staff member it names', async () => {
    const res = await server.gql(AuthExternalWhoAmI, {}, { token: idpToken('manager') });

    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: { id: toGlobalId('StaffUser', server.staffIds.manager), email: STAFF.manager.email, role: 'MANAGER' }, customers: { totalCount: 2 } });
  });

  it("applies the token's role: an agent's token sees only that agent's customers", async () => {
    const res = await server.gql(AuthExternalWhoAmI, {}, { token: idpToken('agent') });

    expect(res.data!.me.role).toBe('AGENT');
    expect(res.data!.customers.totalCount).toBe(1);
  });

  it('still accepts the tokens its own login issues', async () => {
    const res = await server.gql(AuthExternalWhoAmI, {}, 'admin');

    expect(res.status).toBe(200);
    expect(res.data!.me.role).toBe('ADMIN');
  });

  it('rejects a token signed with a different key as a 401 UNAUTHENTICATED', async () => {
    const res = await server.gql(AuthExternalWhoAmI, {}, { token: idpToken('manager', stranger.privateKey) });

    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual(UNAUTHENTICATED);
  });

  it('rejects an expired identity-provider token', async () => {
    const res = await server.gql(AuthExternalWhoAmI, {}, { token: idpToken('manager', idp.privateKey, -60) });

    expect(res.status).toBe(401);
    expect(res.errors).toEqual(UNAUTHENTICATED);
  });

  it('rejects a token whose subject is not a staff id as a 401, not a 500', async () => {
    const token = jwt.sign({ role: 'AGENT', email: 'someone@idp.example.com', name: 'Some One' }, idp.privateKey, { algorithm: 'RS256', subject: 'auth0|12345', expiresIn: 300 });
    const res = await server.gql(AuthExternalWhoAmI, {}, { token });

    expect(res.status).toBe(401);
    expect(res.errors).toEqual(UNAUTHENTICATED);
  });

  it('rejects a token with a role the API does not know', async () => {
    const token = jwt.sign({ role: 'SUPERUSER', email: STAFF.admin.email, name: STAFF.admin.name }, idp.privateKey, { algorithm: 'RS256', subject: server.staffIds.admin, expiresIn: 300 });
    const res = await server.gql(AuthExternalWhoAmI, {}, { token });

    expect(res.status).toBe(401);
    expect(res.errors).toEqual(UNAUTHENTICATED);
  });

  it('rejects an HS256 token whose HMAC key is the public key (algorithm confusion)', async () => {
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: server.staffIds.admin, role: 'ADMIN', email: STAFF.admin.email, name: 'x', iat: now, exp: now + 300 })}`;
    const signature = createHmac('sha256', idp.publicKey).update(unsigned).digest('base64url');
    const res = await server.gql(AuthExternalWhoAmI, {}, { token: `${unsigned}.${signature}` });

    expect(res.status).toBe(401);
    expect(res.errors).toEqual(UNAUTHENTICATED);
  });
});

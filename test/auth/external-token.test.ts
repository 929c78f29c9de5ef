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
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

describe('tokens of an external identity provider (RS256, configured public key)', () => {
  const idp = rsaKeyPair();
  const stranger = rsaKeyPair();
  let server: TestServer;

  const ISSUER = 'https://idp.example.com';
  const AUDIENCE = 'customer-api';
  /** A token as the identity provider would issue it for one of the test staff. */
  const idpToken = (who: StaffKey, privateKey = idp.privateKey, expiresIn = 300, claims: object = {}) =>
    jwt.sign({ role: STAFF[who].role, email: STAFF[who].email, name: STAFF[who].name, ...claims }, privateKey, {
      algorithm: 'RS256',
      subject: server.staffIds[who],
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn,
    });

  beforeAll(async () => {
    server = await startTestServer({ jwtPublicKey: idp.publicKey, jwtIssuer: ISSUER, jwtAudience: AUDIENCE });
    await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent });
  });
  afterAll(() => server.close());

  it('accepts a token signed by the identity provider, as the staff member it names', async () => {
    const res = await server.gql(AuthExternalWhoAmI, {}, { token: idpToken('manager') });

    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      me: { id: toGlobalId('StaffUser', server.staffIds.manager), email: STAFF.manager.email, role: 'MANAGER' },
      customers: { totalCount: 2 },
    });
  });

  it("applies the stored role: an agent's token sees only that agent's customers", async () => {
    const res = await server.gql(AuthExternalWhoAmI, {}, { token: idpToken('agent') });

    expect(res.data!.me.role).toBe('AGENT');
    expect(res.data!.customers.totalCount).toBe(1);
  });

  it("never lets the token's role claim override the stored role", async () => {
    const res = await server.gql(
      AuthExternalWhoAmI,
      {},
      { token: idpToken('agent', idp.privateKey, 300, { role: 'ADMIN' }) },
    );

    expect(res.status).toBe(200);
    expect(res.data!.me.role).toBe('AGENT');
    expect(res.data!.customers.totalCount).toBe(1);
  });

  it('requires the configured issuer and audience', async () => {
    const sign = (options: jwt.SignOptions) =>
      jwt.sign({ email: STAFF.manager.email }, idp.privateKey, {
        algorithm: 'RS256',
        subject: server.staffIds.manager,
        expiresIn: 300,
        ...options,
      });
    for (const token of [
      sign({}),
      sign({ issuer: ISSUER }),
      sign({ audience: AUDIENCE }),
      sign({ issuer: 'https://evil.example.com', audience: AUDIENCE }),
      sign({ issuer: ISSUER, audience: 'other-api' }),
    ]) {
      const res = await server.gql(AuthExternalWhoAmI, {}, { token });
      expect(res.status).toBe(401);
      expect(res.errors).toEqual(UNAUTHENTICATED);
    }
  });

  it('refuses the token of a deactivated staff user', async () => {
    const { id } = await server.db.prisma.staffUser.create({
      data: { email: 'gone@test.local', name: 'Gone', role: 'MANAGER', active: false },
    });
    const token = jwt.sign({ email: 'gone@test.local' }, idp.privateKey, {
      algorithm: 'RS256',
      subject: id,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 300,
    });
    const res = await server.gql(AuthExternalWhoAmI, {}, { token });

    expect(res.status).toBe(401);
    expect(res.errors).toEqual(UNAUTHENTICATED);
  });

  it("matches the provider's own subject when a staff user is linked to it", async () => {
    await server.db.prisma.staffUser.update({
      where: { id: server.staffIds.analyst },
      data: { externalSubject: 'auth0|analyst-1' },
    });
    const token = jwt.sign({ email: STAFF.analyst.email }, idp.privateKey, {
      algorithm: 'RS256',
      subject: 'auth0|analyst-1',
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 300,
    });
    const res = await server.gql(AuthExternalWhoAmI, {}, { token });

    expect(res.status).toBe(200);
    expect(res.data!.me).toEqual({
      id: toGlobalId('StaffUser', server.staffIds.analyst),
      email: STAFF.analyst.email,
      role: 'ANALYST',
    });
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

  it('rejects a token whose subject matches no staff user as a 401, not a 500 (no provisioning configured)', async () => {
    const token = jwt.sign({ role: 'AGENT', email: 'someone@idp.example.com', name: 'Some One' }, idp.privateKey, {
      algorithm: 'RS256',
      subject: 'auth0|12345',
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 300,
    });
    const res = await server.gql(AuthExternalWhoAmI, {}, { token });

    expect(res.status).toBe(401);
    expect(res.errors).toEqual(UNAUTHENTICATED);
  });

  it('ignores a role claim the API does not know: the stored role applies', async () => {
    const token = jwt.sign({ role: 'SUPERUSER', email: STAFF.agent.email }, idp.privateKey, {
      algorithm: 'RS256',
      subject: server.staffIds.agent,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 300,
    });
    const res = await server.gql(AuthExternalWhoAmI, {}, { token });

    expect(res.status).toBe(200);
    expect(res.data!.me.role).toBe('AGENT');
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

describe('external tokens with provisioning on first sight (JWT_PROVISION_EXTERNAL)', () => {
  const idp = rsaKeyPair();
  let server: TestServer;
  const token = (subject: string, email: string, role = 'ADMIN') =>
    jwt.sign({ email, name: 'New Person', role }, idp.privateKey, {
      algorithm: 'RS256',
      subject,
      issuer: 'https://idp.example.com',
      audience: 'customer-api',
      expiresIn: 300,
    });

  beforeAll(async () => {
    server = await startTestServer({
      jwtPublicKey: idp.publicKey,
      jwtIssuer: 'https://idp.example.com',
      jwtAudience: 'customer-api',
      jwtProvisionExternal: true,
      jwtProvisionRole: 'ANALYST',
    });
  });
  afterAll(() => server.close());

  it('creates an audited staff user with the configured role (not the claimed one) and keeps using it', async () => {
    const first = await server.gql(AuthExternalWhoAmI, {}, { token: token('okta|new-1', 'New.Person@Example.com') });
    const again = await server.gql(AuthExternalWhoAmI, {}, { token: token('okta|new-1', 'new.person@example.com') });

    expect(first.status).toBe(200);
    expect(first.data!.me).toMatchObject({ email: 'new.person@example.com', role: 'ANALYST' });
    expect(again.data!.me.id).toBe(first.data!.me.id);
    const rows = await server.db.prisma.staffUser.findMany({ where: { externalSubject: 'okta|new-1' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.passwordHash).toBeNull();
    expect(
      await server.db.prisma.auditEntry.count({ where: { action: 'staff.provisionExternal', entityId: rows[0]!.id } }),
    ).toBe(1);
  });

  it('refuses (and does not link) a new subject whose e-mail belongs to an existing staff user', async () => {
    const res = await server.gql(AuthExternalWhoAmI, {}, { token: token('okta|intruder', STAFF.admin.email) });

    expect(res.status).toBe(401);
    expect(await server.db.prisma.staffUser.count({ where: { externalSubject: 'okta|intruder' } })).toBe(0);
  });
});

import { hashPassword } from '../../src/auth/password';
import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { STAFF, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server';

const AuthLogin = graphql(`
  mutation AuthLogin($input: LoginInput!) {
    login(input: $input) {
      token
      expiresAt
      user { id email role }
      userErrors { code field message }
    }
  }
`);

const AuthMe = graphql(`
  query AuthMe {
    me { id email name role }
  }
`);

describe('login', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await server.db.prisma.staffUser.create({
      data: {
        email: 'retired@test.local',
        name: 'Rita Retired',
        role: 'AGENT',
        active: false,
        passwordHash: await hashPassword(TEST_PASSWORD),
      },
    });
  });
  afterAll(() => server.close());

  const login = (email: string, password: string) => server.gql(AuthLogin, { input: { email, password } }, null);

  it('returns a token (without one being needed) that authenticates as the user who logged in', async () => {
    const before = Date.now();
    const res = await login(STAFF.agent.email, TEST_PASSWORD);

    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const { token, expiresAt, user, userErrors } = res.data!.login;
    expect(userErrors).toEqual([]);
    expect(user).toEqual({
      id: toGlobalId('StaffUser', server.staffIds.agent),
      email: STAFF.agent.email,
      role: 'AGENT',
    });
    expect(typeof token).toBe('string');
    // The test configuration's TTL is 8 hours.
    expect(Date.parse(expiresAt!)).toBeGreaterThan(before + 7 * 3600 * 1000);

    const me = await server.gql(AuthMe, {}, { token: token! });
    expect(me.status).toBe(200);
    expect(me.data!.me).toEqual({
      id: toGlobalId('StaffUser', server.staffIds.agent),
      email: STAFF.agent.email,
      name: STAFF.agent.name,
      role: 'AGENT',
    });
  });

  it('accepts the e-mail in any case', async () => {
    const res = await login(STAFF.manager.email.toUpperCase(), TEST_PASSWORD);

    expect(res.data!.login.userErrors).toEqual([]);
    expect(res.data!.login.user?.role).toBe('MANAGER');
  });

  it('refuses a wrong password with INVALID_CREDENTIALS and no token', async () => {
    const res = await login(STAFF.agent.email, 'not the password');

    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data!.login).toEqual({
      token: null,
      expiresAt: null,
      user: null,
      userErrors: [
        { code: 'INVALID_CREDENTIALS', field: ['input', 'password'], message: 'E-mail or password is wrong' },
      ],
    });
  });

  it('answers an unknown e-mail exactly like a wrong password (no user enumeration)', async () => {
    const unknown = await login('nobody@test.local', TEST_PASSWORD);
    const wrongPassword = await login(STAFF.agent.email, 'not the password');

    expect(unknown.data!.login.token).toBeNull();
    expect(unknown.data!.login.userErrors).toEqual([
      { code: 'INVALID_CREDENTIALS', field: ['input', 'password'], message: 'E-mail or password is wrong' },
    ]);
    expect(unknown).toEqual(wrongPassword);
  });

  it('refuses an inactive staff user even with the right password, like a wrong password', async () => {
    const res = await login('retired@test.local', TEST_PASSWORD);

    expect(res.data!.login.token).toBeNull();
    expect(res.data!.login.user).toBeNull();
    expect(res.data!.login.userErrors).toEqual([
      { code: 'INVALID_CREDENTIALS', field: ['input', 'password'], message: 'E-mail or password is wrong' },
    ]);
  });
});

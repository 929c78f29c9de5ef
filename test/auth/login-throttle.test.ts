import { graphql } from '../generated';
import { STAFF, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server';
import { postTo, sharedSecret, startSecondInstance } from './support';

const ThrottleLogin = graphql(`
  mutation ThrottleLogin($input: LoginInput!) {
    login(input: $input) { token userErrors { code field } }
  }
`);
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }';

describe('login throttling, shared by every instance through the database', () => {
  const jwtSecret = sharedSecret();
  let a: TestServer;
  let b: Awaited<ReturnType<typeof startSecondInstance>>;

  beforeAll(async () => {
    a = await startTestServer({ jwtSecret, loginMaxFailuresPerAddress: 12 });
    b = await startSecondInstance(a, { jwtSecret, loginMaxFailuresPerAddress: 12 });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });
  beforeEach(() => a.db.sql.query('DELETE FROM login_throttle'));

  const loginOn = (url: string, email: string, password: string) => postTo(url, LOGIN, { input: { email, password } });

  it('locks an account after 5 failures spread over two instances; then even the right password gets RATE_LIMITED (429, Retry-After)', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await loginOn(i % 2 ? b.app.url : a.url, STAFF.manager.email, `wrong password ${i}`);
      expect(res.data!.login).toEqual({ token: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] });
    }
    const fifth = await loginOn(b.app.url, STAFF.manager.email, 'wrong password 5');
    expect(fifth.status).toBe(429);
    expect(fifth.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 60 });

    for (const url of [a.url, b.app.url]) {
      const right = await loginOn(url, STAFF.manager.email, TEST_PASSWORD);
      expect(right.status).toBe(429);
      expect(right.data).toBeNull(); // login is non-null: the error nulls the whole response
      expect(right.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(58);
      expect(Number(right.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    // Another account from the same address is not locked (the address limit is higher).
    expect((await loginOn(a.url, STAFF.agent.email, TEST_PASSWORD)).data!.login.token).toEqual(expect.any(String));

    // This account's lockouts only: the other tests of this file may have locked other accounts
    // (admin, an unknown e-mail) or the client address first.
    const audit = await a.db.prisma.auditEntry.findMany({
      where: { action: 'login.lockout', entityType: 'StaffUser', entityId: a.staffIds.manager },
    });
    expect(audit).toEqual([
      expect.objectContaining({
        entityType: 'StaffUser',
        entityId: a.staffIds.manager,
        actorId: null,
        reason: expect.stringContaining('locked for 60 s'),
      }),
    ]);
  });

  it('unlocks when the lock has run out, and a success clears the failures; the next lockout is twice as long', async () => {
    for (let i = 0; i < 5; i++) await loginOn(a.url, STAFF.admin.email, `nope ${i}`);
    await a.db.sql.query("UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1", [
      `account:${STAFF.admin.email}`,
    ]);

    expect((await loginOn(b.app.url, STAFF.admin.email, TEST_PASSWORD)).data!.login.token).toEqual(expect.any(String));
    expect(
      await a.db.sql.query('SELECT 1 FROM login_throttle WHERE key = $1', [`account:${STAFF.admin.email}`]),
    ).toEqual([]);

    // Unknown e-mail addresses are throttled the same way: a lockout tells nothing about existence.
    for (let i = 0; i < 4; i++) await loginOn(a.url, 'nobody@test.local', `x ${i}`);
    expect((await loginOn(a.url, 'nobody@test.local', 'x 5')).status).toBe(429);
  });

  it('locks a client address that tries many accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++)
      statuses.push((await loginOn(i % 2 ? a.url : b.app.url, `user${i}@test.local`, 'guess guess guess')).status);
    expect(statuses.slice(0, 11).every((s) => s === 200)).toBe(true);
    expect(statuses[11]).toBe(429); // the 12th failure locks the address
    expect(statuses[12]).toBe(429);
    // Locked address: a staff member's right password from it is refused too.
    expect(
      (await a.gql(ThrottleLogin, { input: { email: STAFF.analyst.email, password: TEST_PASSWORD } }, null)).status,
    ).toBe(429);
    expect(
      await a.db.prisma.auditEntry.count({ where: { action: 'login.lockout', entityType: 'ClientAddress' } }),
    ).toBe(1);
  });
});

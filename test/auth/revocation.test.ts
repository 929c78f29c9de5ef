import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { STAFF, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server';
import { postTo, sharedSecret, startSecondInstance, within } from './support';

const RevocationDeactivate = graphql(`
  mutation RevocationDeactivate($id: ID!) {
    staffDeactivate(id: $id) { staff { id active } userErrors { code field message } }
  }
`);
const RevocationReactivate = graphql(`
  mutation RevocationReactivate($id: ID!) {
    staffReactivate(id: $id) { staff { id active } userErrors { code } }
  }
`);
const RevocationUpdateRole = graphql(`
  mutation RevocationUpdateRole($id: ID!, $input: StaffUpdateRoleInput!) {
    staffUpdateRole(id: $id, input: $input) { staff { role } userErrors { code } }
  }
`);

const COUNT = '{ customers(first: 5) { totalCount } }';
const ME = '{ me { role } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }';

describe('a staff change takes effect at once on every instance', () => {
  const jwtSecret = sharedSecret();
  let a: TestServer;
  let b: Awaited<ReturnType<typeof startSecondInstance>>;

  beforeAll(async () => {
    a = await startTestServer({ jwtSecret });
    b = await startSecondInstance(a, { jwtSecret });
    await insertCustomer(a.db, { ownerId: a.staffIds.agent });
    await insertCustomer(a.db, { ownerId: a.staffIds.otherAgent });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const loginOn = async (url: string, email: string) =>
    (await postTo(url, LOGIN, { input: { email, password: TEST_PASSWORD } })).data!.login.token as string;

  it('deactivating on instance A refuses the token on instance B immediately', async () => {
    const token = await loginOn(b.app.url, STAFF.agent.email);
    // B has the agent cached now: the next request costs it no query.
    expect((await postTo(b.app.url, COUNT, {}, token)).data).toEqual({ customers: { totalCount: 1 } });

    const res = await a.gql(RevocationDeactivate, { id: toGlobalId('StaffUser', a.staffIds.agent) }, 'admin');
    expect(res.data!.staffDeactivate).toEqual({
      staff: { id: toGlobalId('StaffUser', a.staffIds.agent), active: false },
      userErrors: [],
    });

    await within(250, async () => (await postTo(b.app.url, COUNT, {}, token)).status === 401);
    const onB = await postTo(b.app.url, COUNT, {}, token);
    const onA = await postTo(a.url, COUNT, {}, token);
    expect(onB.status).toBe(401);
    expect(onB.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(onA.status).toBe(401);
    expect(
      (await postTo(b.app.url, LOGIN, { input: { email: STAFF.agent.email, password: TEST_PASSWORD } })).data!.login,
    ).toEqual({ token: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] });

    // Reactivated, the user logs in again, but the token from before stays revoked.
    await a.gql(RevocationReactivate, { id: toGlobalId('StaffUser', a.staffIds.agent) }, 'admin');
    expect((await postTo(b.app.url, COUNT, {}, token)).status).toBe(401);
    const fresh = await loginOn(b.app.url, STAFF.agent.email);
    expect((await postTo(a.url, COUNT, {}, fresh)).data).toEqual({ customers: { totalCount: 1 } });
  });

  it('a staff user deleted in the database (plain SQL) loses access on every instance at once', async () => {
    const { id } = await a.db.prisma.staffUser.create({
      data: {
        email: 'leaver@test.local',
        name: 'Lee Leaver',
        role: 'MANAGER',
        passwordHash: (await a.db.prisma.staffUser.findUniqueOrThrow({ where: { id: a.staffIds.admin } })).passwordHash,
      },
    });
    const token = await loginOn(a.url, 'leaver@test.local');
    expect((await postTo(b.app.url, COUNT, {}, token)).data).toEqual({ customers: { totalCount: 2 } });
    expect((await postTo(a.url, COUNT, {}, token)).status).toBe(200);

    await a.db.sql.query('DELETE FROM staff_users WHERE id = $1', [id]);

    for (const url of [a.url, b.app.url]) {
      await within(250, async () => (await postTo(url, COUNT, {}, token)).status === 401);
      const res = await postTo(
        url,
        'mutation { customerCreate(input: { firstName: "X", lastName: "Y", email: "xy@example.com", consent: { dataProcessing: true } }) { customer { id } } }',
        {},
        token,
      );
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await a.db.prisma.customer.count({ where: { email: 'xy@example.com' } })).toBe(0);
  });

  it('a role change applies to existing tokens on every instance: the stored role wins', async () => {
    const token = await loginOn(a.url, STAFF.otherAgent.email);
    expect((await postTo(b.app.url, ME, {}, token)).data).toEqual({ me: { role: 'AGENT' } });
    expect((await postTo(b.app.url, COUNT, {}, token)).data).toEqual({ customers: { totalCount: 1 } });

    const changed = await a.gql(
      RevocationUpdateRole,
      { id: toGlobalId('StaffUser', a.staffIds.otherAgent), input: { role: 'MANAGER' } },
      'admin',
    );
    expect(changed.data!.staffUpdateRole).toEqual({ staff: { role: 'MANAGER' }, userErrors: [] });

    await within(250, async () => (await postTo(b.app.url, COUNT, {}, token)).data?.customers.totalCount === 2);
    expect((await postTo(b.app.url, ME, {}, token)).data).toEqual({ me: { role: 'MANAGER' } });
  });

  it('a cached token costs no SQL statement per request', async () => {
    const token = await loginOn(a.url, STAFF.manager.email);
    await postTo(a.url, '{ __typename }', {}, token); // fills the cache
    const statements: string[] = [];
    const stop = a.db.onQuery((q) => statements.push(q));
    try {
      await postTo(a.url, '{ me { role } }', {}, token);
    } finally {
      stop();
    }
    // `me` itself reads the staff row once; authentication adds nothing.
    expect(statements).toHaveLength(1);
  });
});

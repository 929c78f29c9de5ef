import { hashPassword } from '../../src/auth/password';
import type { StaffRole } from '../../src/generated/prisma/enums';
import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { databaseSnapshot } from '../helpers/snapshot';
import { STAFF, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server';

const StaffCreate = graphql(`
  mutation StaffCreate($input: StaffCreateInput!) {
    staffCreate(input: $input) { staff { id email name role active } generatedPassword userErrors { code field message } }
  }
`);
const StaffUpdateRole = graphql(`
  mutation StaffUpdateRole($id: ID!, $input: StaffUpdateRoleInput!) {
    staffUpdateRole(id: $id, input: $input) { staff { role } userErrors { code field } }
  }
`);
const StaffDeactivate = graphql(`
  mutation StaffDeactivate($id: ID!) {
    staffDeactivate(id: $id) { staff { active } userErrors { code field } }
  }
`);
const StaffResetPassword = graphql(`
  mutation StaffResetPassword($id: ID!, $input: StaffResetPasswordInput!) {
    staffResetPassword(id: $id, input: $input) { staff { id } generatedPassword userErrors { code field } }
  }
`);
const PasswordChange = graphql(`
  mutation PasswordChange($input: PasswordChangeInput!) {
    passwordChange(input: $input) { token userErrors { code field message } }
  }
`);
const StaffLogin = graphql(`
  mutation StaffLogin($input: LoginInput!) {
    login(input: $input) { token userErrors { code } }
  }
`);
const StaffMe = graphql(`
  query StaffMe { me { email role } }
`);

describe('staff management by ADMIN, password change by everyone', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const login = (email: string, password: string) => server.gql(StaffLogin, { input: { email, password } }, null);
  /** A staff user of the test's own (password TEST_PASSWORD) and a token: tests that change a password leave the shared STAFF alone. */
  const ownStaff = async (email: string, role: StaffRole) => {
    const passwordHash = await hashPassword(TEST_PASSWORD);
    const row = await server.db.prisma.staffUser.create({ data: { email, name: 'Own User', role, passwordHash } });
    const token = (await login(email, TEST_PASSWORD)).data!.login.token!;
    expect(token).toEqual(expect.any(String));
    return { id: row.id, email, token };
  };

  it('an ADMIN creates a staff user with a generated password that works once shown; audited', async () => {
    const res = await server.gql(
      StaffCreate,
      { input: { email: 'New.Hire@Test.local', name: ' Nina New ', role: 'AGENT' } },
      'admin',
    );

    const created = res.data!.staffCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.staff).toMatchObject({
      email: 'new.hire@test.local',
      name: 'Nina New',
      role: 'AGENT',
      active: true,
    });
    expect(created.generatedPassword).toMatch(/^[\w-]{20}$/);
    expect((await login('new.hire@test.local', created.generatedPassword!)).data!.login.token).toEqual(
      expect.any(String),
    );
    const row = await server.db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'new.hire@test.local' } });
    expect(row.passwordHash).not.toContain(created.generatedPassword);
    expect(
      await server.db.prisma.auditEntry.count({
        where: { action: 'staff.create', entityId: row.id, actorId: server.staffIds.admin },
      }),
    ).toBe(1);
  });

  it.each([
    [
      'a short password',
      { email: 'x1@test.local', name: 'X', role: 'AGENT', password: 'short' },
      'VALIDATION',
      ['input', 'password'],
    ],
    [
      'a common password',
      { email: 'x2@test.local', name: 'X', role: 'AGENT', password: 'Password2024!' },
      'VALIDATION',
      ['input', 'password'],
    ],
    [
      'the e-mail as password',
      { email: 'x3.long@test.local', name: 'X', role: 'AGENT', password: 'x3.long@test.local' },
      'VALIDATION',
      ['input', 'password'],
    ],
    [
      'an empty name',
      { email: 'x4@test.local', name: '   ', role: 'AGENT', password: 'a fine long passphrase' },
      'VALIDATION',
      ['input', 'name'],
    ],
    [
      'a taken e-mail',
      { email: STAFF.agent.email.toUpperCase(), name: 'X', role: 'AGENT', password: 'a fine long passphrase' },
      'DUPLICATE',
      ['input', 'email'],
    ],
  ])('refuses %s with a user error and writes nothing', async (_name, input, code, field) => {
    const before = await databaseSnapshot(server.db);
    const res = await server.gql(StaffCreate, { input: input as never }, 'admin');

    expect(res.data!.staffCreate).toMatchObject({
      staff: null,
      userErrors: [expect.objectContaining({ code, field })],
    });
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it.each(['manager', 'agent', 'analyst'] as const)('refuses every staff mutation to a %s (FORBIDDEN)', async (who) => {
    const id = toGlobalId('StaffUser', server.staffIds.otherAgent);
    const results = [
      await server.gql(StaffCreate, { input: { email: 'y@test.local', name: 'Y', role: 'ADMIN' } }, who),
      await server.gql(StaffUpdateRole, { id, input: { role: 'ADMIN' } }, who),
      await server.gql(StaffDeactivate, { id }, who),
      await server.gql(StaffResetPassword, { id, input: {} }, who),
    ];
    for (const res of results) expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await server.db.prisma.staffUser.count({ where: { email: 'y@test.local' } })).toBe(0);
  });

  it('refuses changing your own role or deactivating yourself (an ADMIN always remains), NOT_FOUND for an unknown id', async () => {
    const self = toGlobalId('StaffUser', server.staffIds.admin);
    expect(
      (await server.gql(StaffUpdateRole, { id: self, input: { role: 'AGENT' } }, 'admin')).data!.staffUpdateRole
        .userErrors,
    ).toEqual([{ code: 'FORBIDDEN', field: ['id'] }]);
    expect((await server.gql(StaffDeactivate, { id: self }, 'admin')).data!.staffDeactivate.userErrors).toEqual([
      { code: 'FORBIDDEN', field: ['id'] },
    ]);
    expect(
      (
        await server.gql(
          StaffDeactivate,
          { id: toGlobalId('StaffUser', server.staffIds.manager).replace(/.$/, '') },
          'admin',
        )
      ).data!.staffDeactivate.userErrors,
    ).toEqual([{ code: 'NOT_FOUND', field: ['id'] }]);
  });

  it("a password reset revokes the user's tokens; the new password works", async () => {
    const user = await ownStaff('reset.me@test.local', 'AGENT');
    const res = await server.gql(
      StaffResetPassword,
      { id: toGlobalId('StaffUser', user.id), input: { password: 'a brand new passphrase' } },
      'admin',
    );

    expect(res.data!.staffResetPassword).toMatchObject({ generatedPassword: null, userErrors: [] });
    expect((await server.gql(StaffMe, {}, { token: user.token })).status).toBe(401);
    expect((await login(user.email, TEST_PASSWORD)).data!.login.token).toBeNull();
    expect((await login(user.email, 'a brand new passphrase')).data!.login.token).toEqual(expect.any(String));
  });

  it('everyone changes their own password with the current one; other tokens stop working, the returned one works', async () => {
    const user = await ownStaff('change.mine@test.local', 'ANALYST');
    const other = user.token;
    const wrong = await server.gql(
      PasswordChange,
      { input: { currentPassword: 'not it at all', newPassword: 'analysing all day long' } },
      { token: other },
    );
    expect(wrong.data!.passwordChange.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_CREDENTIALS', field: ['input', 'currentPassword'] }),
    ]);
    const weak = await server.gql(
      PasswordChange,
      { input: { currentPassword: TEST_PASSWORD, newPassword: 'qwerty123456' } },
      { token: other },
    );
    expect(weak.data!.passwordChange.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'newPassword'] }),
    ]);

    const ok = await server.gql(
      PasswordChange,
      { input: { currentPassword: TEST_PASSWORD, newPassword: 'analysing all day long' } },
      { token: other },
    );
    expect(ok.data!.passwordChange.userErrors).toEqual([]);
    expect((await server.gql(StaffMe, {}, { token: other })).status).toBe(401);
    expect((await server.gql(StaffMe, {}, { token: ok.data!.passwordChange.token! })).data!.me).toEqual({
      email: user.email,
      role: 'ANALYST',
    });
    expect(
      await server.db.prisma.auditEntry.count({
        where: { action: 'staff.passwordChange', actorId: user.id },
      }),
    ).toBe(1);
  });
});

// Customer writes at the same time, on PostgreSQL only (test/helpers/concurrency.ts): the
// customer row lock, the version check and the unique e-mail index decide, never the process.
import { Client } from 'pg';
import { graphql } from '../generated';
import type { CustomerCreateInput } from '../generated/graphql';
import { describeConcurrency, untilLockWait } from '../helpers/concurrency';
import { insertCustomer } from '../helpers/factories';
import { databaseSnapshot } from '../helpers/snapshot';
import { startTestServer, type TestServer } from '../helpers/server';

const ConcCustCreate = graphql(`
  mutation ConcCustCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer { id email }
      userErrors { code field message }
    }
  }
`);

const ConcCustUpdate = graphql(`
  mutation ConcCustUpdate($id: ID!, $input: CustomerUpdateInput!) {
    customerUpdate(id: $id, input: $input) {
      customer { id version firstName }
      userErrors { code field message }
    }
  }
`);

let sequence = 0;
const validInput = (overrides: Partial<CustomerCreateInput> = {}): CustomerCreateInput => ({
  firstName: 'Grace',
  lastName: 'Hopper',
  email: `grace-${++sequence}-${Date.now()}@example.com`,
  phone: '+14155550123',
  consent: { dataProcessing: true, marketing: true },
  addresses: [
    { label: 'Home', line1: '1 Main St', city: 'Arlington', country: 'US', isDefault: true },
    { label: 'Office', line1: '2 Navy Yard', city: 'Washington', country: 'US' },
  ],
  ...overrides,
});

const rows = (snapshot: Record<string, string>) =>
  Object.fromEntries(Object.entries(snapshot).map(([table, value]) => [table, Number(value.split(':')[0])]));

describeConcurrency('customer writes at the same time', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    for (const who of ['admin', 'agent', 'manager'] as const) await server.token(who);
  });
  afterAll(() => server.close());

  it('two updates with the same version: exactly one wins, the other gets VERSION_CONFLICT', async () => {
    const c = await insertCustomer(server.db, {
      ownerId: server.staffIds.agent,
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    const [a, b] = await Promise.all([
      server.gql(ConcCustUpdate, { id: c.globalId, input: { version: 1, firstName: 'First' } }, 'agent'),
      server.gql(ConcCustUpdate, { id: c.globalId, input: { version: 1, firstName: 'Second' } }, 'manager'),
    ]);
    const outcomes = [a, b].map((r) => r.data!.customerUpdate);
    const winners = outcomes.filter((o) => o.userErrors.length === 0);
    const losers = outcomes.filter((o) => o.userErrors.length > 0);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0].customer).toBeNull();
    expect(losers[0].userErrors).toEqual([
      expect.objectContaining({ code: 'VERSION_CONFLICT', field: ['input', 'version'] }),
    ]);
    expect(winners[0].customer!.version).toBe(2);
    const row = await server.db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.version).toBe(2);
    expect(row.firstName).toBe(winners[0].customer!.firstName);
    expect(await server.db.prisma.auditEntry.count({ where: { entityType: 'Customer', entityId: c.id } })).toBe(1);
  });

  it('an update waits for the row lock of a transaction changing the customer, then sees its version: VERSION_CONFLICT', async () => {
    // Deterministic, unlike two requests racing: another transaction has changed the row (version 2)
    // and not committed yet. With the row lock, the update reads the customer only after that
    // commit and refuses version 1; without it, it would read version 1, pass its check, wait at
    // its own UPDATE and then overwrite the other change (version 3).
    const c = await insertCustomer(server.db, { ownerId: server.staffIds.agent, firstName: 'Ada', lastName: 'Lock' });
    const holder = new Client({ connectionString: server.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("UPDATE customers SET first_name = 'Holder', version = version + 1 WHERE id = $1", [c.id]);
      const pending = server.gql(ConcCustUpdate, { id: c.globalId, input: { version: 1, firstName: 'Late' } }, 'agent');
      await untilLockWait(server.db, 'customerUpdate');
      await holder.query('COMMIT');
      const res = (await pending).data!.customerUpdate;
      expect(res.customer).toBeNull();
      expect(res.userErrors).toEqual([
        expect.objectContaining({ code: 'VERSION_CONFLICT', field: ['input', 'version'] }),
      ]);
      const row = await server.db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
      expect({ firstName: row.firstName, version: row.version }).toEqual({ firstName: 'Holder', version: 2 });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  it('two creates with the same e-mail: one customer, one account, one notification', async () => {
    const input = validInput({
      email: `race-${Date.now()}@example.com`,
      addresses: [{ line1: '1 R St', city: 'Oslo', country: 'NO' }],
    });
    const results = await Promise.all([server.gql(ConcCustCreate, { input }), server.gql(ConcCustCreate, { input })]);
    for (const r of results) expect(r.errors).toBeUndefined();
    const codes = results.map((r) => r.data!.customerCreate.userErrors.map((e) => e.code).join(',')).sort();
    expect(codes).toEqual(['', 'DUPLICATE']);
    const found = await server.db.prisma.customer.findMany({
      where: { email: input.email },
      include: { addresses: true, loyaltyAccount: true, notifications: true, consentChanges: true },
    });
    expect(found).toHaveLength(1);
    expect(found[0].addresses).toHaveLength(1);
    expect(found[0].loyaltyAccount).not.toBeNull();
    expect(found[0].notifications).toHaveLength(1);
    expect(
      await server.db.prisma.auditEntry.count({ where: { action: 'customer.create', entityId: found[0].id } }),
    ).toBe(1);
  });

  it('four creates with one new e-mail (two upper-cased): exactly one succeeds, the others are DUPLICATE and leave nothing behind', async () => {
    const before = rows(await databaseSnapshot(server.db));
    const email = `race4-${Date.now()}@example.com`;
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        server.gql(ConcCustCreate, { input: validInput({ email: i % 2 ? email.toUpperCase() : email }) }),
      ),
    );
    const payloads = results.map((r) => r.data!.customerCreate);
    expect(payloads.filter((p) => p.customer?.email === email)).toHaveLength(1);
    expect(
      payloads.filter((p) => !p.customer).map((p) => p.userErrors.map(({ code, field }) => ({ code, field }))),
    ).toEqual(Array(3).fill([{ code: 'DUPLICATE', field: ['input', 'email'] }]));
    const after = rows(await databaseSnapshot(server.db));
    const delta = Object.fromEntries(Object.keys(after).map((table) => [table, after[table] - before[table]]));
    expect(delta).toMatchObject({
      customers: 1,
      addresses: 2,
      loyalty_accounts: 1,
      notifications: 1,
      audit_log: 1,
      consent_changes: 2,
    });
  });

  const signups = async () =>
    (await server.db.sql.query<{ n: number }>('SELECT coalesce(sum(customers), 0)::int AS n FROM daily_signups'))[0].n;

  it('an e-mail committed by another transaction after the check fails at the unique index: DUPLICATE, and nothing of the customer is left', async () => {
    const email = `late-${Date.now()}@example.com`;
    const blocker = new Client({ connectionString: server.db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('INSERT INTO customers (first_name, last_name, email) VALUES ($1, $2, $3)', [
        'Con',
        'Current',
        email,
      ]);
      const before = await databaseSnapshot(server.db);
      const signupsBefore = await signups();
      const pending = server.gql(ConcCustCreate, { input: validInput({ email }) });
      // Past its e-mail check, the create waits on the uncommitted unique index entry.
      await untilLockWait(server.db, 'customerCreate');
      await blocker.query('COMMIT');
      const res = await pending;
      expect(res.errors).toBeUndefined();
      expect(res.data!.customerCreate).toEqual({
        customer: null,
        userErrors: [
          { code: 'DUPLICATE', field: ['input', 'email'], message: 'Another customer already has this e-mail' },
        ],
      });
      const after = await databaseSnapshot(server.db);
      // The other transaction's customer only (and its count in the per-day signups rollup).
      expect(rows(after).customers).toBe(rows(before).customers + 1);
      expect(await signups()).toBe(signupsBefore + 1);
      const untouched = { customers: undefined, daily_signups: undefined };
      expect({ ...after, ...untouched }).toEqual({ ...before, ...untouched });
    } finally {
      await blocker.end();
    }
  });

  it('an update to an e-mail committed by another transaction after the check fails at the unique index: DUPLICATE, the customer unchanged', async () => {
    const email = `late-update-${Date.now()}@example.com`;
    const c = await insertCustomer(server.db, { ownerId: server.staffIds.agent, firstName: 'Ed', lastName: 'Mail' });
    const blocker = new Client({ connectionString: server.db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('INSERT INTO customers (first_name, last_name, email) VALUES ($1, $2, $3)', [
        'Con',
        'Current',
        email,
      ]);
      const pending = server.gql(ConcCustUpdate, { id: c.globalId, input: { version: 1, email } }, 'agent');
      // Past its e-mail check, the update waits on the uncommitted unique index entry.
      await untilLockWait(server.db, 'customerUpdate');
      await blocker.query('COMMIT');
      const res = await pending;
      expect(res.errors).toBeUndefined();
      expect(res.data!.customerUpdate).toEqual({
        customer: null,
        userErrors: [
          { code: 'DUPLICATE', field: ['input', 'email'], message: 'Another customer already has this e-mail' },
        ],
      });
      const row = await server.db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
      expect({ email: row.email, version: row.version }).toEqual({ email: c.email, version: 1 });
      expect(await server.db.prisma.auditEntry.count({ where: { entityType: 'Customer', entityId: c.id } })).toBe(0);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
  });
});

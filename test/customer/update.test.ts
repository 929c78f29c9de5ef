import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const CustUpdate = graphql(`
  mutation CustUpdate($id: ID!, $input: CustomerUpdateInput!) {
    customerUpdate(id: $id, input: $input) {
      customer {
        id version firstName lastName email phone birthDate occupation annualIncome dependants notes tags lastContactAt updatedAt
        consent { marketing marketingGivenAt }
        owner { id }
      }
      userErrors { code field message }
    }
  }
`);

const CustChangeStatus = graphql(`
  mutation CustChangeStatus($id: ID!, $input: CustomerStatusChangeInput!) {
    customerChangeStatus(id: $id, input: $input) {
      customer { id status version }
      userErrors { code field message }
    }
  }
`);

const CustDelete = graphql(`
  mutation CustDelete($id: ID!) {
    customerDelete(id: $id) {
      deletedCustomerId
      userErrors { code field message }
    }
  }
`);

const CustCreateForDelete = graphql(`
  mutation CustCreateForDelete($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer { id }
      userErrors { code }
    }
  }
`);

const CustExists = graphql(`
  query CustExists($id: ID!) {
    customer(id: $id) { id }
  }
`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('customerUpdate', () => {
  const ownCustomer = (seed: Parameters<typeof insertCustomer>[1] = {}) =>
    insertCustomer(server.db, { ownerId: server.staffIds.agent, firstName: 'Grace', lastName: 'Hopper', ...seed });
  const auditOf = (id: string) =>
    server.db.prisma.auditEntry.findMany({ where: { entityType: 'Customer', entityId: id }, orderBy: { id: 'asc' } });

  it('changes the given fields, bumps the version and audits exactly the changed field names', async () => {
    const c = await ownCustomer({ tags: ['old'] });
    const res = await server.gql(
      CustUpdate,
      {
        id: c.globalId,
        input: {
          version: 1,
          firstName: ' Amazing ',
          lastName: 'Hopper',
          email: 'Grace.H@Example.ORG',
          phone: '+442071838750',
          tags: ['VIP', 'vip', ' Gold '],
        },
      },
      'agent',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.customerUpdate.userErrors).toEqual([]);
    expect(res.data!.customerUpdate.customer).toMatchObject({
      id: c.globalId,
      version: 2,
      firstName: 'Amazing',
      lastName: 'Hopper',
      email: 'grace.h@example.org',
      phone: '+442071838750',
      tags: ['vip', 'gold'],
    });
    const row = await server.db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({
      version: 2,
      firstName: 'Amazing',
      email: 'grace.h@example.org',
      tags: ['vip', 'gold'],
    });
    const audit = await auditOf(c.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'customer.update', actorId: server.staffIds.agent, actorRole: 'AGENT' });
    // lastName was sent unchanged, so it is not listed.
    expect([...audit[0].changedFields].sort()).toEqual(['email', 'firstName', 'phone', 'tags']);
  });

  it('a no-op update keeps the version and writes no audit entry', async () => {
    const c = await ownCustomer({ tags: ['a', 'b'] });
    const res = await server.gql(
      CustUpdate,
      {
        id: c.globalId,
        input: { version: 1, firstName: 'Grace', lastName: 'Hopper', tags: ['A', 'b'], email: c.email.toUpperCase() },
      },
      'agent',
    );
    expect(res.data!.customerUpdate.userErrors).toEqual([]);
    expect(res.data!.customerUpdate.customer).toMatchObject({ version: 1, firstName: 'Grace', tags: ['a', 'b'] });
    expect(res.data!.customerUpdate.customer!.updatedAt).toBe(c.updatedAt.toISOString());
    expect((await server.db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).version).toBe(1);
    expect(await auditOf(c.id)).toEqual([]);
  });

  it('explicit null clears optional fields; omitted fields stay', async () => {
    const c = await ownCustomer({ birthDate: new Date('1985-03-04T00:00:00Z') });
    await server.db.prisma.customer.update({
      where: { id: c.id },
      data: {
        occupation: 'Admiral',
        annualIncome: '120000.00',
        dependants: 3,
        notes: 'Prefers mornings',
        lastContactAt: new Date('2024-01-02T03:04:05Z'),
      },
    });
    const res = await server.gql(
      CustUpdate,
      {
        id: c.globalId,
        input: {
          version: 1,
          phone: null,
          birthDate: null,
          occupation: null,
          annualIncome: null,
          dependants: null,
          notes: null,
          lastContactAt: null,
        },
      },
      'agent',
    );
    expect(res.data!.customerUpdate.userErrors).toEqual([]);
    expect(res.data!.customerUpdate.customer).toMatchObject({
      version: 2,
      firstName: 'Grace',
      email: c.email,
      phone: null,
      birthDate: null,
      occupation: null,
      annualIncome: null,
      dependants: null,
      notes: null,
      lastContactAt: null,
    });
    const audit = await auditOf(c.id);
    expect([...audit[0].changedFields].sort()).toEqual([
      'annualIncome',
      'birthDate',
      'dependants',
      'lastContactAt',
      'notes',
      'occupation',
      'phone',
    ]);
  });

  it('a marketing consent change records a consent row each time it really changes', async () => {
    const c = await ownCustomer();
    const grant = await server.gql(
      CustUpdate,
      { id: c.globalId, input: { version: 1, marketingConsent: true } },
      'agent',
    );
    const granted = grant.data!.customerUpdate.customer!;
    expect(granted.consent.marketing).toBe(true);
    expect(granted.consent.marketingGivenAt).not.toBeNull();
    expect(granted.version).toBe(2);
    const again = await server.gql(
      CustUpdate,
      { id: c.globalId, input: { version: 2, marketingConsent: true } },
      'agent',
    );
    expect(again.data!.customerUpdate.customer!.version).toBe(2);
    const withdraw = await server.gql(
      CustUpdate,
      { id: c.globalId, input: { version: 2, marketingConsent: false } },
      'agent',
    );
    expect(withdraw.data!.customerUpdate.customer!.consent).toEqual({ marketing: false, marketingGivenAt: null });
    const rows = await server.db.prisma.consentChange.findMany({
      where: { customerId: c.id },
      orderBy: { changedAt: 'asc' },
    });
    expect(rows.map((r) => [r.kind, r.granted, r.actorId, r.source])).toEqual([
      ['MARKETING', true, server.staffIds.agent, 'customerUpdate'],
      ['MARKETING', false, server.staffIds.agent, 'customerUpdate'],
    ]);
  });

  it('a manager can hand the customer to another owner', async () => {
    const c = await ownCustomer();
    const owner = toGlobalId('StaffUser', server.staffIds.otherAgent);
    const res = await server.gql(CustUpdate, { id: c.globalId, input: { version: 1, ownerId: owner } }, 'manager');
    expect(res.data!.customerUpdate.customer).toMatchObject({ version: 2, owner: { id: owner } });
    expect((await auditOf(c.id))[0].changedFields).toEqual(['ownerId']);
  });
});

describe('customerChangeStatus', () => {
  const change = (
    id: string,
    status: 'ACTIVE' | 'INACTIVE' | 'SUSPENDED',
    who: 'agent' | 'manager',
    version?: number,
  ) =>
    server.gql(CustChangeStatus, { id, input: { status, reason: 'test', version } }, who).then((r) => {
      expect(r.errors).toBeUndefined();
      return r.data!.customerChangeStatus;
    });
  const actions = (id: string) =>
    server.db.prisma.auditEntry
      .findMany({ where: { entityType: 'Customer', entityId: id }, orderBy: { id: 'asc' } })
      .then((rows) => rows.map((r) => [r.action, r.actorRole, r.changedFields, r.reason]));

  it('an agent moves their own customer ACTIVE → INACTIVE → ACTIVE', async () => {
    const c = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    expect(await change(c.globalId, 'INACTIVE', 'agent', 1)).toEqual({
      customer: { id: c.globalId, status: 'INACTIVE', version: 2 },
      userErrors: [],
    });
    expect(await change(c.globalId, 'ACTIVE', 'agent')).toEqual({
      customer: { id: c.globalId, status: 'ACTIVE', version: 3 },
      userErrors: [],
    });
    expect((await server.db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('ACTIVE');
    expect(await actions(c.id)).toEqual([
      ['customer.status.ACTIVE->INACTIVE', 'AGENT', ['status'], 'test'],
      ['customer.status.INACTIVE->ACTIVE', 'AGENT', ['status'], 'test'],
    ]);
  });

  it('a manager suspends and reactivates a customer (also from INACTIVE)', async () => {
    const c = await insertCustomer(server.db, { ownerId: server.staffIds.agent, status: 'INACTIVE' });
    expect((await change(c.globalId, 'SUSPENDED', 'manager')).customer).toEqual({
      id: c.globalId,
      status: 'SUSPENDED',
      version: 2,
    });
    expect((await change(c.globalId, 'ACTIVE', 'manager', 2)).customer).toEqual({
      id: c.globalId,
      status: 'ACTIVE',
      version: 3,
    });
    expect(await actions(c.id)).toEqual([
      ['customer.status.INACTIVE->SUSPENDED', 'MANAGER', ['status'], 'test'],
      ['customer.status.SUSPENDED->ACTIVE', 'MANAGER', ['status'], 'test'],
    ]);
  });
});

describe('customerDelete', () => {
  it('erases the customer with addresses, loyalty account, notifications and consents; the audit forgets who it was', async () => {
    const created = await server.gql(
      CustCreateForDelete,
      {
        input: {
          firstName: 'Erin',
          lastName: 'Erased',
          email: 'erin@example.com',
          consent: { dataProcessing: true, marketing: true },
          addresses: [
            { line1: '1 Gone St', city: 'Oslo', country: 'NO' },
            { line1: '2 Gone St', city: 'Oslo', country: 'NO' },
          ],
        },
      },
      'agent',
    );
    const globalId = created.data!.customerCreate.customer!.id;
    const { id } = await server.db.prisma.customer.findUniqueOrThrow({ where: { email: 'erin@example.com' } });
    await server.gql(CustChangeStatus, { id: globalId, input: { status: 'INACTIVE' } }, 'agent');
    const keeper = await insertCustomer(server.db);
    await server.gql(CustChangeStatus, { id: keeper.globalId, input: { status: 'INACTIVE' } }, 'manager');

    const earlier = await server.db.prisma.auditEntry.findMany({ where: { entityId: id }, orderBy: { id: 'asc' } });
    expect(earlier.map((e) => e.action)).toEqual(['customer.create', 'customer.status.ACTIVE->INACTIVE']);
    const prisma = server.db.prisma;
    expect(await prisma.notification.count({ where: { customerId: id } })).toBe(1);

    const res = await server.gql(CustDelete, { id: globalId }, 'manager');
    expect(res.errors).toBeUndefined();
    expect(res.data!.customerDelete).toEqual({ deletedCustomerId: globalId, userErrors: [] });

    expect((await server.gql(CustExists, { id: globalId })).data!.customer).toBeNull();
    expect(await prisma.customer.count({ where: { id } })).toBe(0);
    expect(await prisma.address.count({ where: { customerId: id } })).toBe(0);
    expect(await prisma.loyaltyAccount.count({ where: { customerId: id } })).toBe(0);
    expect(await prisma.notification.count({ where: { customerId: id } })).toBe(0);
    expect(await prisma.consentChange.count({ where: { customerId: id } })).toBe(0);

    expect(await prisma.auditEntry.count({ where: { entityId: id } })).toBe(0);
    const after = await prisma.auditEntry.findMany({
      where: { id: { in: earlier.map((e) => e.id) } },
      orderBy: { id: 'asc' },
    });
    expect(after.map((e) => [e.action, e.entityId, e.actorId])).toEqual(
      earlier.map((e) => [e.action, null, e.actorId]),
    );
    const erase = await prisma.auditEntry.findMany({ where: { action: 'customer.erase' } });
    expect(erase.map((e) => [e.entityType, e.entityId, e.actorId, e.actorRole])).toEqual([
      ['Customer', null, server.staffIds.manager, 'MANAGER'],
    ]);

    // Other customers keep their data and audit trail.
    expect(await prisma.customer.count({ where: { id: keeper.id } })).toBe(1);
    expect(await prisma.address.count({ where: { customerId: keeper.id } })).toBe(1);
    expect(await prisma.auditEntry.count({ where: { entityId: keeper.id } })).toBe(1);
  });
});

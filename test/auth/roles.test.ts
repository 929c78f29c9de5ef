import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { databaseSnapshot } from '../helpers/snapshot';

const AuthRolesCreate = graphql(`
  mutation AuthRolesCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer { id owner { id name } }
      userErrors { code field message }
    }
  }
`);

const AuthRolesUpdate = graphql(`
  mutation AuthRolesUpdate($id: ID!, $input: CustomerUpdateInput!) {
    customerUpdate(id: $id, input: $input) {
      customer { id owner { id } }
      userErrors { code field }
    }
  }
`);

const AuthRolesChangeStatus = graphql(`
  mutation AuthRolesChangeStatus($id: ID!, $input: CustomerStatusChangeInput!) {
    customerChangeStatus(id: $id, input: $input) {
      customer { status }
      userErrors { code field }
    }
  }
`);

const AuthRolesDelete = graphql(`
  mutation AuthRolesDelete($id: ID!) {
    customerDelete(id: $id) {
      deletedCustomerId
      userErrors { code }
    }
  }
`);

let emailCounter = 0;
const newCustomer = (extra: { ownerId?: string } = {}) => ({
  firstName: 'Nina',
  lastName: 'New',
  email: `nina.new.${++emailCounter}@example.com`,
  consent: { dataProcessing: true },
  ...extra,
});

describe('what each writing role may do', () => {
  let server: TestServer;
  const staffGlobalId = (key: keyof TestServer['staffIds']) => toGlobalId('StaffUser', server.staffIds[key]);
  const statusOf = async (id: string) => (await server.db.prisma.customer.findUniqueOrThrow({ where: { id } })).status;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('an agent who creates a customer becomes its owner', async () => {
    const res = await server.gql(AuthRolesCreate, { input: newCustomer() }, 'agent');

    expect(res.errors).toBeUndefined();
    const { customer, userErrors } = res.data!.customerCreate;
    expect(userErrors).toEqual([]);
    expect(customer!.owner).toEqual({ id: staffGlobalId('agent'), name: 'Alice Agent' });
    const row = await server.db.prisma.customer.findUniqueOrThrow({
      where: { email: `nina.new.${emailCounter}@example.com` },
    });
    expect(row.ownerId).toBe(server.staffIds.agent);
  });

  it('an agent may not create a customer for someone else (FORBIDDEN), and nothing is written', async () => {
    const before = await databaseSnapshot(server.db);
    const res = await server.gql(
      AuthRolesCreate,
      { input: newCustomer({ ownerId: staffGlobalId('otherAgent') }) },
      'agent',
    );

    expect(res.errors).toBeUndefined();
    expect(res.data!.customerCreate).toEqual({
      customer: null,
      userErrors: [
        { code: 'FORBIDDEN', field: ['input', 'ownerId'], message: 'Agents can only create customers they own' },
      ],
    });
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it('a manager may create a customer for an agent', async () => {
    const res = await server.gql(
      AuthRolesCreate,
      { input: newCustomer({ ownerId: staffGlobalId('otherAgent') }) },
      'manager',
    );

    expect(res.data!.customerCreate.userErrors).toEqual([]);
    expect(res.data!.customerCreate.customer!.owner).toEqual({ id: staffGlobalId('otherAgent'), name: 'Bob Agent' });
  });

  it('an agent may not hand their customer to someone else (FORBIDDEN), a manager may', async () => {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const before = await databaseSnapshot(server.db);
    const byAgent = await server.gql(
      AuthRolesUpdate,
      { id: customer.globalId, input: { version: customer.version, ownerId: staffGlobalId('otherAgent') } },
      'agent',
    );

    expect(byAgent.data!.customerUpdate).toEqual({
      customer: null,
      userErrors: [{ code: 'FORBIDDEN', field: ['input', 'ownerId'] }],
    });
    expect(await databaseSnapshot(server.db)).toEqual(before);

    const byManager = await server.gql(
      AuthRolesUpdate,
      { id: customer.globalId, input: { version: customer.version, ownerId: staffGlobalId('otherAgent') } },
      'manager',
    );
    expect(byManager.data!.customerUpdate).toEqual({
      customer: { id: customer.globalId, owner: { id: staffGlobalId('otherAgent') } },
      userErrors: [],
    });
  });

  it('an agent may make their customer INACTIVE but not SUSPENDED (FORBIDDEN); a manager may suspend', async () => {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });

    const suspendByAgent = await server.gql(
      AuthRolesChangeStatus,
      { id: customer.globalId, input: { status: 'SUSPENDED' } },
      'agent',
    );
    expect(suspendByAgent.data!.customerChangeStatus).toEqual({
      customer: null,
      userErrors: [{ code: 'FORBIDDEN', field: ['input', 'status'] }],
    });
    expect(await statusOf(customer.id)).toBe('ACTIVE');

    const deactivateByAgent = await server.gql(
      AuthRolesChangeStatus,
      { id: customer.globalId, input: { status: 'INACTIVE' } },
      'agent',
    );
    expect(deactivateByAgent.data!.customerChangeStatus).toEqual({ customer: { status: 'INACTIVE' }, userErrors: [] });

    const suspendByManager = await server.gql(
      AuthRolesChangeStatus,
      { id: customer.globalId, input: { status: 'SUSPENDED' } },
      'manager',
    );
    expect(suspendByManager.data!.customerChangeStatus).toEqual({ customer: { status: 'SUSPENDED' }, userErrors: [] });
    expect(await statusOf(customer.id)).toBe('SUSPENDED');
  });

  it('SUSPENDED → ACTIVE is refused to the owning agent (FORBIDDEN) and allowed to a manager and an admin', async () => {
    const first = await insertCustomer(server.db, { ownerId: server.staffIds.agent, status: 'SUSPENDED' });
    const second = await insertCustomer(server.db, { ownerId: server.staffIds.agent, status: 'SUSPENDED' });

    const byAgent = await server.gql(
      AuthRolesChangeStatus,
      { id: first.globalId, input: { status: 'ACTIVE' } },
      'agent',
    );
    expect(byAgent.data!.customerChangeStatus).toEqual({
      customer: null,
      userErrors: [{ code: 'FORBIDDEN', field: ['input', 'status'] }],
    });
    expect(await statusOf(first.id)).toBe('SUSPENDED');

    const byManager = await server.gql(
      AuthRolesChangeStatus,
      { id: first.globalId, input: { status: 'ACTIVE' } },
      'manager',
    );
    const byAdmin = await server.gql(
      AuthRolesChangeStatus,
      { id: second.globalId, input: { status: 'ACTIVE' } },
      'admin',
    );
    expect(byManager.data!.customerChangeStatus).toEqual({ customer: { status: 'ACTIVE' }, userErrors: [] });
    expect(byAdmin.data!.customerChangeStatus).toEqual({ customer: { status: 'ACTIVE' }, userErrors: [] });
  });

  it('customerDelete by an agent, even of their own customer, is a top-level FORBIDDEN error and erases nothing', async () => {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const before = await databaseSnapshot(server.db);
    const res = await server.gql(AuthRolesDelete, { id: customer.globalId }, 'agent');

    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'You are not allowed to do this',
        path: ['customerDelete'],
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it('customerDelete by a manager erases the customer', async () => {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const res = await server.gql(AuthRolesDelete, { id: customer.globalId }, 'manager');

    expect(res.data!.customerDelete).toEqual({ deletedCustomerId: customer.globalId, userErrors: [] });
    expect(await server.db.prisma.customer.findUnique({ where: { id: customer.id } })).toBeNull();
  });
});

import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';
import { databaseSnapshot } from '../helpers/snapshot';

const AuthCustomerList = graphql(`
  query AuthCustomerList {
    customers(first: 100) {
      totalCount
      edges { node { id } }
    }
  }
`);

const AuthCustomersOfOwner = graphql(`
  query AuthCustomersOfOwner($ownerId: String!) {
    customers(first: 100, filter: { ownerId: $ownerId }) { totalCount }
  }
`);

const AuthCustomerById = graphql(`
  query AuthCustomerById($id: ID!) {
    customer(id: $id) { id email }
  }
`);

const AuthNodeById = graphql(`
  query AuthNodeById($id: ID!) {
    node(id: $id) {
      __typename
      id
    }
  }
`);

const AuthScopeUpdate = graphql(`
  mutation AuthScopeUpdate($id: ID!, $input: CustomerUpdateInput!) {
    customerUpdate(id: $id, input: $input) {
      customer { id firstName }
      userErrors { code field message }
    }
  }
`);

const AuthScopeChangeStatus = graphql(`
  mutation AuthScopeChangeStatus($id: ID!, $input: CustomerStatusChangeInput!) {
    customerChangeStatus(id: $id, input: $input) {
      customer { id status }
      userErrors { code field message }
    }
  }
`);

const AuthScopeAddressCreate = graphql(`
  mutation AuthScopeAddressCreate($customerId: ID!, $input: AddressInput!) {
    addressCreate(customerId: $customerId, input: $input) {
      address { id }
      userErrors { code field message }
    }
  }
`);

const AuthScopeAddressSetDefault = graphql(`
  mutation AuthScopeAddressSetDefault($id: ID!) {
    addressSetDefault(id: $id) {
      address { id isDefault }
      userErrors { code field message }
    }
  }
`);

type Row = Awaited<ReturnType<typeof insertCustomer>>;

describe('an AGENT sees and changes only the customers they own', () => {
  let server: TestServer;
  let mine: Row[];
  let theirs: Row;
  let unowned: Row;
  /** Global id of a non-default address of `theirs`. */
  let theirSecondAddress: string;

  beforeAll(async () => {
    server = await startTestServer();
    const { agent, otherAgent } = server.staffIds;
    mine = [await insertCustomer(server.db, { ownerId: agent }), await insertCustomer(server.db, { ownerId: agent })];
    theirs = await insertCustomer(server.db, { ownerId: otherAgent, addresses: 2 });
    unowned = await insertCustomer(server.db, { ownerId: null });
    const second = await server.db.prisma.address.findFirstOrThrow({
      where: { customerId: theirs.id, isDefault: false },
    });
    theirSecondAddress = toGlobalId('Address', second.id);
  });
  afterAll(() => server.close());

  const listAs = async (who: StaffKey) => {
    const res = await server.gql(AuthCustomerList, {}, who);
    expect(res.errors).toBeUndefined();
    const { totalCount, edges } = res.data!.customers;
    return { totalCount, ids: edges.map((e) => e.node.id).sort() };
  };

  it('customers lists only their own customers, and totalCount counts only those', async () => {
    expect(await listAs('agent')).toEqual({ totalCount: 2, ids: mine.map((c) => c.globalId).sort() });
    expect(await listAs('otherAgent')).toEqual({ totalCount: 1, ids: [theirs.globalId] });
  });

  it("filtering by another agent as owner does not widen an agent's scope", async () => {
    const ownerId = toGlobalId('StaffUser', server.staffIds.otherAgent);
    const asAgent = await server.gql(AuthCustomersOfOwner, { ownerId }, 'agent');
    const asManager = await server.gql(AuthCustomersOfOwner, { ownerId }, 'manager');

    expect(asAgent.data!.customers.totalCount).toBe(0);
    expect(asManager.data!.customers.totalCount).toBe(1);
  });

  it.each(['manager', 'admin'] as const)('as %s, every customer is visible, owned by anyone or nobody', async (who) => {
    expect(await listAs(who)).toEqual({ totalCount: 4, ids: [...mine, theirs, unowned].map((c) => c.globalId).sort() });
  });

  it("customer(id) of another agent's customer is null, not an error", async () => {
    const other = await server.gql(AuthCustomerById, { id: theirs.globalId }, 'agent');
    const own = await server.gql(AuthCustomerById, { id: mine[0].globalId }, 'agent');

    expect(other.status).toBe(200);
    expect(other.errors).toBeUndefined();
    expect(other.data).toEqual({ customer: null });
    expect(own.data!.customer).toEqual({ id: mine[0].globalId, email: mine[0].email });
  });

  it("node(id) of another agent's customer, or of its address, is null, not an error", async () => {
    const customer = await server.gql(AuthNodeById, { id: theirs.globalId }, 'agent');
    const address = await server.gql(AuthNodeById, { id: theirSecondAddress }, 'agent');
    const own = await server.gql(AuthNodeById, { id: mine[0].globalId }, 'agent');

    expect(customer.errors).toBeUndefined();
    expect(customer.data).toEqual({ node: null });
    expect(address.errors).toBeUndefined();
    expect(address.data).toEqual({ node: null });
    expect(own.data!.node).toEqual({ __typename: 'Customer', id: mine[0].globalId });
  });

  it("customerUpdate of another agent's customer is NOT_FOUND, exactly like a customer that does not exist, and changes nothing", async () => {
    const before = await databaseSnapshot(server.db);
    const res = await server.gql(
      AuthScopeUpdate,
      { id: theirs.globalId, input: { version: theirs.version, firstName: 'Hijacked' } },
      'agent',
    );
    const missing = await server.gql(
      AuthScopeUpdate,
      { id: toGlobalId('Customer', randomUUID()), input: { version: 1, firstName: 'Hijacked' } },
      'agent',
    );

    expect(res.errors).toBeUndefined();
    expect(res.data!.customerUpdate).toEqual({
      customer: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['id'], message: 'Customer not found' }],
    });
    expect(res.data).toEqual(missing.data);
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it("customerChangeStatus of another agent's customer is NOT_FOUND and changes nothing", async () => {
    const before = await databaseSnapshot(server.db);
    const res = await server.gql(
      AuthScopeChangeStatus,
      { id: theirs.globalId, input: { status: 'INACTIVE' } },
      'agent',
    );

    expect(res.errors).toBeUndefined();
    expect(res.data!.customerChangeStatus).toEqual({
      customer: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['id'], message: 'Customer not found' }],
    });
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it("addressCreate on another agent's customer is NOT_FOUND and changes nothing", async () => {
    const before = await databaseSnapshot(server.db);
    const input = { line1: '9 Intruder Road', city: 'Elsewhere', country: 'US' };
    const res = await server.gql(AuthScopeAddressCreate, { customerId: theirs.globalId, input }, 'agent');

    expect(res.errors).toBeUndefined();
    expect(res.data!.addressCreate).toEqual({
      address: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['customerId'], message: 'Customer not found' }],
    });
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it("addressSetDefault on another agent's customer's address is NOT_FOUND, exactly like an address that does not exist, and changes nothing", async () => {
    const before = await databaseSnapshot(server.db);
    const res = await server.gql(AuthScopeAddressSetDefault, { id: theirSecondAddress }, 'agent');
    const missing = await server.gql(AuthScopeAddressSetDefault, { id: toGlobalId('Address', randomUUID()) }, 'agent');

    expect(res.errors).toBeUndefined();
    expect(res.data!.addressSetDefault).toEqual({
      address: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['id'], message: 'Address not found' }],
    });
    expect(res.data).toEqual(missing.data);
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it('the owning agent can do what the other agent could not', async () => {
    // Control for the refusals above: the same operations succeed for the customer's owner.
    const status = await server.gql(
      AuthScopeChangeStatus,
      { id: theirs.globalId, input: { status: 'INACTIVE' } },
      'otherAgent',
    );
    const setDefault = await server.gql(AuthScopeAddressSetDefault, { id: theirSecondAddress }, 'otherAgent');

    expect(status.data!.customerChangeStatus).toEqual({
      customer: { id: theirs.globalId, status: 'INACTIVE' },
      userErrors: [],
    });
    expect(setDefault.data!.addressSetDefault).toEqual({
      address: { id: theirSecondAddress, isDefault: true },
      userErrors: [],
    });
  });
});

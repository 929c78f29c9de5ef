import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import type { CustomerStatus, CustomerUpdateInput } from '../generated/graphql';
import { expectNoLeak, unchanged } from '../helpers/bad-input';
import { insertCustomer, insertCustomers } from '../helpers/factories';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';

const BadInputUpdate = graphql(`
  mutation BadInputUpdate($id: ID!, $input: CustomerUpdateInput!) {
    customerUpdate(id: $id, input: $input) {
      customer { id version firstName }
      userErrors { code field message }
    }
  }
`);

const BadInputChangeStatus = graphql(`
  mutation BadInputChangeStatus($id: ID!, $input: CustomerStatusChangeInput!) {
    customerChangeStatus(id: $id, input: $input) {
      customer { id status }
      userErrors { code field message }
    }
  }
`);

const BadInputCustomerById = graphql(`
  query BadInputCustomerById($id: ID!) {
    customer(id: $id) { id version status }
  }
`);

const BadInputBulkStatus = graphql(`
  mutation BadInputBulkStatus($input: CustomerBulkStatusInput!) {
    customerBulkUpdateStatus(input: $input) {
      succeeded
      failed
      results { id success customer { status } userErrors { code field message } }
      userErrors { code field message }
    }
  }
`);

const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';

describe('changes to customers with bad input: a precise user error and no write', () => {
  let server: TestServer;
  let customer: Awaited<ReturnType<typeof insertCustomer>>;
  let other: Awaited<ReturnType<typeof insertCustomer>>;
  let addressId: string;

  beforeAll(async () => {
    server = await startTestServer();
    customer = await insertCustomer(server.db, { email: 'first@example.com', ownerId: server.staffIds.agent });
    other = await insertCustomer(server.db, { email: 'second@example.com', ownerId: server.staffIds.otherAgent });
    const address = await server.db.prisma.address.findFirstOrThrow({ where: { customerId: customer.id } });
    addressId = toGlobalId('Address', address.id);
  });
  afterAll(() => server.close());

  const update = (id: string, input: CustomerUpdateInput, who: StaffKey = 'admin') =>
    unchanged(server.db, () => server.gql(BadInputUpdate, { id, input }, who));
  const changeStatus = (id: string, status: CustomerStatus, who: StaffKey = 'admin') =>
    unchanged(server.db, () => server.gql(BadInputChangeStatus, { id, input: { status } }, who));
  const errorsOf = (errors: { code: string; field?: string[] | null }[]) =>
    errors.map(({ code, field }) => ({ code, field }));

  it('a stale version on customerUpdate is VERSION_CONFLICT at input.version', async () => {
    const current = (await server.gql(BadInputCustomerById, { id: customer.globalId })).data!.customer!;
    const res = await update(customer.globalId, { version: current.version - 1, firstName: 'Changed' });
    expect(res.data!.customerUpdate.customer).toBeNull();
    expect(errorsOf(res.data!.customerUpdate.userErrors)).toEqual([
      { code: 'VERSION_CONFLICT', field: ['input', 'version'] },
    ]);
    expect(res.data!.customerUpdate.userErrors[0].message).toContain(`version ${current.version}`);
    expectNoLeak(res);
  });

  it.each([
    ['the same e-mail', 'second@example.com'],
    ['the e-mail in another case', 'SECOND@Example.COM'],
  ])('customerUpdate to %s as another customer is DUPLICATE at input.email', async (_, email) => {
    const res = await update(customer.globalId, { version: customer.version, email });
    expect(errorsOf(res.data!.customerUpdate.userErrors)).toEqual([{ code: 'DUPLICATE', field: ['input', 'email'] }]);
    expectNoLeak(res);
  });

  it('customerUpdate emptying the first name is VALIDATION at input.firstName', async () => {
    const res = await update(customer.globalId, { version: customer.version, firstName: ' ' });
    expect(errorsOf(res.data!.customerUpdate.userErrors)).toEqual([
      { code: 'VALIDATION', field: ['input', 'firstName'] },
    ]);
  });

  it.each<[string, CustomerStatus, CustomerStatus]>([
    ['ACTIVE → ACTIVE', 'ACTIVE', 'ACTIVE'],
    ['ACTIVE → DELETED', 'ACTIVE', 'DELETED'],
    ['SUSPENDED → INACTIVE', 'SUSPENDED', 'INACTIVE'],
    ['INACTIVE → DELETED', 'INACTIVE', 'DELETED'],
  ])('the illegal status transition %s is INVALID_TRANSITION at input.status', async (_, from, to) => {
    const subject = await insertCustomer(server.db, { status: from });
    const res = await changeStatus(subject.globalId, to);
    expect(res.data!.customerChangeStatus.customer).toBeNull();
    expect(errorsOf(res.data!.customerChangeStatus.userErrors)).toEqual([
      { code: 'INVALID_TRANSITION', field: ['input', 'status'] },
    ]);
    expectNoLeak(res);
  });

  it('a legal transition (control) does change the customer', async () => {
    const subject = await insertCustomer(server.db, { status: 'ACTIVE' });
    const res = await server.gql(BadInputChangeStatus, { id: subject.globalId, input: { status: 'INACTIVE' } });
    expect(res.data!.customerChangeStatus).toEqual({
      customer: { id: subject.globalId, status: 'INACTIVE' },
      userErrors: [],
    });
  });

  it.each([
    ['an unknown id', () => toGlobalId('Customer', UNKNOWN_UUID)],
    ['a malformed id', () => 'not-a-global-id'],
    ['a global id whose uuid part is malformed', () => Buffer.from('Customer:123').toString('base64url')],
    ['the id of an Address', () => addressId],
    ['the id of a staff member', () => toGlobalId('StaffUser', server.staffIds.agent)],
  ])('%s as a customer id is NOT_FOUND at id (update, status change) and null for customer(id)', async (_, id) => {
    const updated = await update(id(), { version: 1, firstName: 'Nobody' });
    expect(errorsOf(updated.data!.customerUpdate.userErrors)).toEqual([{ code: 'NOT_FOUND', field: ['id'] }]);
    const changed = await changeStatus(id(), 'INACTIVE');
    expect(errorsOf(changed.data!.customerChangeStatus.userErrors)).toEqual([{ code: 'NOT_FOUND', field: ['id'] }]);
    const read = await server.gql(BadInputCustomerById, { id: id() });
    expect(read).toEqual({ status: 200, data: { customer: null } });
  });

  it("another agent's customer does not exist for an AGENT: NOT_FOUND on changes, null when read", async () => {
    const updated = await update(other.globalId, { version: other.version, firstName: 'Stolen' }, 'agent');
    expect(errorsOf(updated.data!.customerUpdate.userErrors)).toEqual([{ code: 'NOT_FOUND', field: ['id'] }]);
    expect(updated.data!.customerUpdate.userErrors[0].message).toBe('Customer not found');
    const changed = await changeStatus(other.globalId, 'INACTIVE', 'agent');
    expect(errorsOf(changed.data!.customerChangeStatus.userErrors)).toEqual([{ code: 'NOT_FOUND', field: ['id'] }]);
    expect(await server.gql(BadInputCustomerById, { id: other.globalId }, 'agent')).toEqual({
      status: 200,
      data: { customer: null },
    });
    // The same agent can change their own customer (control).
    const own = await server.gql(
      BadInputUpdate,
      { id: customer.globalId, input: { version: customer.version, firstName: 'Own' } },
      'agent',
    );
    expect(own.data!.customerUpdate.userErrors).toEqual([]);
    customer = { ...customer, version: own.data!.customerUpdate.customer!.version };
  });

  it('an AGENT suspending a customer is FORBIDDEN at input.status (only managers may)', async () => {
    const res = await changeStatus(customer.globalId, 'SUSPENDED', 'agent');
    expect(errorsOf(res.data!.customerChangeStatus.userErrors)).toEqual([
      { code: 'FORBIDDEN', field: ['input', 'status'] },
    ]);
  });

  it('a bulk operation with 101 ids is LIMIT_EXCEEDED at input.ids, and so is one with none', async () => {
    const ids = Array.from({ length: 101 }, () => customer.globalId);
    for (const list of [ids, []]) {
      const res = await unchanged(server.db, () =>
        server.gql(BadInputBulkStatus, { input: { ids: list, status: 'INACTIVE' } }),
      );
      expect(res.data!.customerBulkUpdateStatus).toMatchObject({ results: null, succeeded: null, failed: null });
      expect(errorsOf(res.data!.customerBulkUpdateStatus.userErrors)).toEqual([
        { code: 'LIMIT_EXCEEDED', field: ['input', 'ids'] },
      ]);
      expectNoLeak(res);
    }
  });

  it('a bulk operation with some bad ids reports NOT_FOUND for those (at input.ids.<index>) and succeeds for the rest', async () => {
    const [a, b] = await insertCustomers(server.db, 2, { status: 'ACTIVE' });
    const ids = [a.globalId, 'garbage', toGlobalId('Customer', UNKNOWN_UUID), addressId, b.globalId, other.globalId];
    // For this agent every one of them is invisible or bad: nothing changes.
    const asAgent = await unchanged(server.db, () =>
      server.gql(BadInputBulkStatus, { input: { ids, status: 'INACTIVE' } }, 'agent'),
    );
    expect(asAgent.data!.customerBulkUpdateStatus.results!.map((r) => errorsOf(r.userErrors))).toEqual(
      ids.map((_, i) => [{ code: 'NOT_FOUND', field: ['input', 'ids', String(i)] }]),
    );
    const asAdmin = await server.gql(BadInputBulkStatus, { input: { ids, status: 'INACTIVE' } });
    const payload = asAdmin.data!.customerBulkUpdateStatus;
    expect(payload.userErrors).toEqual([]);
    expect({ succeeded: payload.succeeded, failed: payload.failed }).toEqual({ succeeded: 3, failed: 3 });
    expect(
      payload.results!.map((r) => ({
        id: r.id,
        success: r.success,
        status: r.customer?.status ?? null,
        errors: errorsOf(r.userErrors),
      })),
    ).toEqual([
      { id: a.globalId, success: true, status: 'INACTIVE', errors: [] },
      { id: 'garbage', success: false, status: null, errors: [{ code: 'NOT_FOUND', field: ['input', 'ids', '1'] }] },
      { id: ids[2], success: false, status: null, errors: [{ code: 'NOT_FOUND', field: ['input', 'ids', '2'] }] },
      { id: addressId, success: false, status: null, errors: [{ code: 'NOT_FOUND', field: ['input', 'ids', '3'] }] },
      { id: b.globalId, success: true, status: 'INACTIVE', errors: [] },
      { id: other.globalId, success: true, status: 'INACTIVE', errors: [] },
    ]);
    const rows = await server.db.prisma.customer.findMany({
      where: { id: { in: [a.id, b.id, other.id] } },
      select: { status: true },
    });
    expect(rows.map((r) => r.status)).toEqual(['INACTIVE', 'INACTIVE', 'INACTIVE']);
  });
});

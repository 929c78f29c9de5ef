// The audit trail, readable: auditEntries with its filters, Customer.auditTrail, and the nested
// connections under a list of customers in one statement each.
import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { expectNoLeak, unchanged } from '../helpers/bad-input';
import { insertCustomer, insertCustomers } from '../helpers/factories';
import { countAtFiveAndFifty, startTestServer, type TestServer } from '../helpers/server';
import { ConsentChange } from '../privacy/privacy.documents';

const Entries = graphql(`
  query AuditEntries($first: Int, $after: String, $filter: AuditEntryFilter) {
    auditEntries(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id at action entityType entityId actorRole changedFields reason actor { name } customer { id } } }
    }
  }
`);

const Trail = graphql(`
  query AuditCustomerTrail($id: ID!, $first: Int) {
    customer(id: $id) {
      auditTrail(first: $first) { totalCount edges { node { action entityType entityId } } }
    }
  }
`);

const TrailEarn = graphql(`
  mutation AuditTrailEarn($customerId: ID!, $input: LoyaltyPointsInput!) {
    loyaltyPointsEarn(customerId: $customerId, input: $input) { account { tier } userErrors { code } }
  }
`);

const CustomersNested = graphql(`
  query AuditCustomersNested($first: Int!) {
    customers(first: $first) {
      edges {
        node {
          id
          consentHistory(first: 3) { totalCount edges { node { kind to } } }
          auditTrail(first: 3) { edges { node { action } } }
        }
      }
    }
  }
`);

const AddressAdd = graphql(`
  mutation AuditAddressAdd($customerId: ID!, $input: AddressInput!) {
    addressCreate(customerId: $customerId, input: $input) { address { id } userErrors { code field } }
  }
`);
const AddressDelete = graphql(`
  mutation AuditAddressDelete($id: ID!) {
    addressDelete(id: $id) { userErrors { code field } }
  }
`);

let server: TestServer;
// The server starts slowly on a loaded machine (PGlite, migrations): more than the default hook time.
beforeAll(async () => {
  server = await startTestServer();
}, 180_000);
afterAll(() => server.close());

const why = { source: 'web form', reason: 'asked' };

describe('auditEntries', () => {
  it('filters by customer (its own entries and those of what it owns), entity, actor, action and time', async () => {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const from = new Date();
    await server.gql(ConsentChange, { id: customer.globalId, input: { marketing: true, ...why } }, 'agent');
    const added = await server.gql(
      AddressAdd,
      { customerId: customer.globalId, input: { line1: '1 Audit Rd', city: 'Bergen', country: 'NO' } },
      'agent',
    );
    const addressId = added.data!.addressCreate.address!.id;
    await server.gql(AddressDelete, { id: addressId }, 'manager');

    const byCustomer = await server.gql(Entries, { first: 10, filter: { customerId: customer.globalId } }, 'manager');
    expect(byCustomer.errors).toBeUndefined();
    expect(
      byCustomer.data!.auditEntries.edges.map((e) => [e.node.action, e.node.entityType, e.node.actor?.name]),
    ).toEqual([
      ['address.delete', 'Address', 'Max Manager'],
      ['address.create', 'Address', 'Alice Agent'],
      ['customer.consent.change', 'Customer', 'Alice Agent'],
    ]);
    expect(byCustomer.data!.auditEntries.totalCount).toBe(3);
    expect(byCustomer.data!.auditEntries.edges.every((e) => e.node.customer?.id === customer.globalId)).toBe(true);
    expect(byCustomer.data!.auditEntries.edges[2].node).toMatchObject({
      entityId: customer.globalId,
      reason: 'asked',
      actorRole: 'AGENT',
    });

    const byEntity = await server.gql(Entries, { first: 10, filter: { entityId: addressId } }, 'admin');
    expect(byEntity.data!.auditEntries.edges.map((e) => e.node.action)).toEqual(['address.delete', 'address.create']);
    const byActor = await server.gql(
      Entries,
      {
        first: 10,
        filter: { actorId: toGlobalId('StaffUser', server.staffIds.manager), customerId: customer.globalId },
      },
      'admin',
    );
    expect(byActor.data!.auditEntries.edges.map((e) => e.node.action)).toEqual(['address.delete']);
    const byPrefix = await server.gql(
      Entries,
      { first: 10, filter: { action: 'address.*', customerId: customer.globalId } },
      'admin',
    );
    expect(byPrefix.data!.auditEntries.totalCount).toBe(2);
    const byType = await server.gql(
      Entries,
      { first: 10, filter: { entityType: 'Customer', customerId: customer.globalId } },
      'admin',
    );
    expect(byType.data!.auditEntries.totalCount).toBe(1);
    const future = await server.gql(
      Entries,
      { first: 10, filter: { from: new Date(Date.now() + 60_000).toISOString() } },
      'admin',
    );
    expect(future.data!.auditEntries.totalCount).toBe(0);
    const window = await server.gql(
      Entries,
      {
        first: 10,
        filter: {
          customerId: customer.globalId,
          from: from.toISOString(),
          to: new Date(Date.now() + 1000).toISOString(),
        },
      },
      'admin',
    );
    expect(window.data!.auditEntries.totalCount).toBe(3);
    const beforeAll = await server.gql(
      Entries,
      { first: 10, filter: { customerId: customer.globalId, to: from.toISOString() } },
      'admin',
    );
    expect(beforeAll.data!.auditEntries.totalCount).toBe(0);

    // Pages follow each other without overlap.
    const page1 = await server.gql(Entries, { first: 2, filter: { customerId: customer.globalId } }, 'admin');
    const page2 = await server.gql(
      Entries,
      { first: 2, after: page1.data!.auditEntries.pageInfo.endCursor, filter: { customerId: customer.globalId } },
      'admin',
    );
    expect(page1.data!.auditEntries.pageInfo.hasNextPage).toBe(true);
    expect(page2.data!.auditEntries.edges.map((e) => e.node.action)).toEqual(['customer.consent.change']);
    expect(page2.data!.auditEntries.pageInfo.hasNextPage).toBe(false);

    const trail = await server.gql(Trail, { id: customer.globalId, first: 10 }, 'manager');
    expect(trail.data!.customer!.auditTrail!.edges.map((e) => e.node.action)).toEqual([
      'address.delete',
      'address.create',
      'customer.consent.change',
    ]);
  });

  it("shows a loyalty tier upgrade in the customer's trail, with the earn that caused it", async () => {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const earned = await server.gql(
      TrailEarn,
      {
        customerId: customer.globalId,
        input: { points: 500, reason: 'Large purchase', idempotencyKey: `trail-${customer.id}` },
      },
      'agent',
    );
    expect(earned.data!.loyaltyPointsEarn).toEqual({ account: { tier: 'SILVER' }, userErrors: [] });
    const trail = await server.gql(Trail, { id: customer.globalId, first: 10 }, 'manager');
    expect(trail.data!.customer!.auditTrail!.edges.map((e) => [e.node.action, e.node.entityType])).toEqual([
      ['loyalty.points.earn', 'LoyaltyAccount'],
      ['loyalty.tier.upgrade', 'LoyaltyAccount'],
    ]);
  });

  it('is for managers and admins only', async () => {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    for (const who of ['agent', 'analyst'] as const) {
      const list = await server.gql(Entries, { first: 1 }, who);
      expect(list.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expectNoLeak(list);
      const trail = await server.gql(Trail, { id: customer.globalId, first: 1 }, who);
      expect(trail.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(trail.data!.customer!.auditTrail).toBeNull();
    }
  });

  it.each([
    ['a malformed customer ID', { customerId: 'nope' }, ['filter', 'customerId']],
    ['a customer ID given as actor', { actorId: toGlobalId('Customer', randomUUID()) }, ['filter', 'actorId']],
    [
      'an entity ID of another type than entityType',
      { entityType: 'Policy', entityId: toGlobalId('Customer', randomUUID()) },
      ['filter', 'entityId'],
    ],
    ['an empty time range', { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, ['filter', 'to']],
    ['a "*" inside the action', { action: 'cust*omer' }, ['filter', 'action']],
    ['an action of 201 characters', { action: 'x'.repeat(201) }, ['filter', 'action']],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_, filter, field) => {
    const res = await unchanged(server.db, () => server.gql(Entries, { first: 5, filter }, 'admin'));
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(res.errors)).toContain(JSON.stringify(field));
    expectNoLeak(res);
  });

  it('refuses a foreign cursor and a page size over 100', async () => {
    const foreign = await server.gql(Entries, { first: 5, after: Buffer.from('["x"]').toString('base64url') }, 'admin');
    expect(foreign.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const big = await server.gql(Entries, { first: 101 }, 'admin');
    expect(big.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('nested connections under a list of customers', () => {
  it('customers(first: N) { consentHistory(first: 3) auditTrail(first: 3) } issues as many statements for N = 5 as for N = 50', async () => {
    const customers = await insertCustomers(server.db, 50, { ownerId: server.staffIds.agent });
    for (const c of customers.slice(0, 10))
      await server.gql(ConsentChange, { id: c.globalId, input: { marketing: true, ...why } }, 'agent');
    const token = await server.token('admin');
    const { five, fifty } = await countAtFiveAndFifty(server.db, (first) =>
      server.gql(CustomersNested, { first }, { token }),
    );
    expect(five.result.errors).toBeUndefined();
    expect(fifty.result.errors).toBeUndefined();
    const nodes = fifty.result.data!.customers.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    const changed = nodes.filter((n) => n.consentHistory.totalCount === 1);
    expect(changed.length).toBeGreaterThanOrEqual(10);
    expect(changed.every((n) => n.auditTrail!.edges[0].node.action === 'customer.consent.change')).toBe(true);
    expect(fifty.statements).toBe(five.statements);
  });
});

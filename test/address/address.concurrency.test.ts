// Address writes at the same time, on PostgreSQL only (test/helpers/concurrency.ts): the customer
// row lock and the partial unique index keep exactly one default address.
import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { describeConcurrency } from '../helpers/concurrency';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const AddrConcurrentSetDefault = graphql(`
  mutation AddrConcurrentSetDefault($id: ID!) {
    addressSetDefault(id: $id) {
      address { id isDefault }
      userErrors { code message }
    }
  }
`);

const AddrConcurrentCreate = graphql(`
  mutation AddrConcurrentCreate($customerId: ID!, $input: AddressInput!) {
    addressCreate(customerId: $customerId, input: $input) {
      address { id isDefault }
      userErrors { code message }
    }
  }
`);

const AddrConcurrentDelete = graphql(`
  mutation AddrConcurrentDelete($id: ID!) {
    addressDelete(id: $id) {
      deletedAddressId
      promotedDefault { id }
      userErrors { code message }
    }
  }
`);

let server: TestServer;
const addressesOf = (customerId: string) =>
  server.db.prisma.address.findMany({ where: { customerId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

describeConcurrency('concurrent address changes keep exactly one default', () => {
  beforeAll(async () => {
    server = await startTestServer();
    await server.token('agent'); // log in once up front, so the concurrent calls below race only on addresses
  });
  afterAll(() => server.close());

  it('10 concurrent addressSetDefault calls on different addresses: all succeed, one default remains', async () => {
    const c = await insertCustomer(server.db, { ownerId: server.staffIds.agent, addresses: 10 });
    const addresses = await addressesOf(c.id);
    expect(addresses).toHaveLength(10);
    const results = await Promise.all(
      addresses.map((a) => server.gql(AddrConcurrentSetDefault, { id: toGlobalId('Address', a.id) }, 'agent')),
    );
    for (const r of results) {
      expect(r.errors).toBeUndefined();
      expect(r.data!.addressSetDefault.userErrors).toEqual([]);
      expect(r.data!.addressSetDefault.address!.isDefault).toBe(true);
    }
    const after = await addressesOf(c.id);
    expect(after).toHaveLength(10);
    expect(after.filter((a) => a.isDefault)).toHaveLength(1);
  });

  it('10 concurrent addressCreate with isDefault: true: 10 addresses, one default', async () => {
    const c = await insertCustomer(server.db, { ownerId: server.staffIds.agent, addresses: 0 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        server.gql(
          AddrConcurrentCreate,
          {
            customerId: c.globalId,
            input: { label: `L${i}`, line1: `${i} Race St`, city: 'Vienna', country: 'AT', isDefault: true },
          },
          'agent',
        ),
      ),
    );
    for (const r of results) {
      expect(r.errors).toBeUndefined();
      expect(r.data!.addressCreate.userErrors).toEqual([]);
    }
    const after = await addressesOf(c.id);
    expect(after.map((a) => a.label).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `L${i}`).sort());
    expect(after.filter((a) => a.isDefault)).toHaveLength(1);
  });

  it('deleting the default while another address is made the default: one default remains', async () => {
    for (let round = 0; round < 5; round++) {
      const c = await insertCustomer(server.db, { ownerId: server.staffIds.agent, addresses: 3 });
      const [def, ...others] = await server.db.prisma.address.findMany({
        where: { customerId: c.id },
        orderBy: { isDefault: 'desc' },
      });
      expect(def.isDefault).toBe(true);
      const target = others[round % 2];
      const [deleted, setDefault] = await Promise.all([
        server.gql(AddrConcurrentDelete, { id: toGlobalId('Address', def.id) }, 'agent'),
        server.gql(AddrConcurrentSetDefault, { id: toGlobalId('Address', target.id) }, 'agent'),
      ]);
      expect(deleted.errors).toBeUndefined();
      expect(deleted.data!.addressDelete.userErrors).toEqual([]);
      expect(setDefault.errors).toBeUndefined();
      expect(setDefault.data!.addressSetDefault.userErrors).toEqual([]);
      const after = await addressesOf(c.id);
      expect(after.map((a) => a.id).sort()).toEqual(others.map((a) => a.id).sort());
      const defaults = after.filter((a) => a.isDefault);
      expect(defaults).toHaveLength(1);
      // In either order the target ends as the default: delete first promotes another address,
      // which setDefault then replaces; setDefault first leaves the deleted address non-default.
      expect(defaults[0].id).toBe(target.id);
    }
  });
});

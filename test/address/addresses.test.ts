import { fromGlobalId, toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const AddrCreate = graphql(`
  mutation AddrCreate($customerId: ID!, $input: AddressInput!) {
    addressCreate(customerId: $customerId, input: $input) {
      address { id label line1 line2 city region postalCode country latitude longitude isDefault customer { id } }
      userErrors { code field message }
    }
  }
`);

const AddrUpdate = graphql(`
  mutation AddrUpdate($id: ID!, $input: AddressUpdateInput!) {
    addressUpdate(id: $id, input: $input) {
      address { id label line1 line2 city postalCode country isDefault }
      userErrors { code field message }
    }
  }
`);

const AddrSetDefault = graphql(`
  mutation AddrSetDefault($id: ID!) {
    addressSetDefault(id: $id) {
      address { id isDefault }
      userErrors { code field message }
    }
  }
`);

const AddrDelete = graphql(`
  mutation AddrDelete($id: ID!) {
    addressDelete(id: $id) {
      deletedAddressId
      promotedDefault { id label isDefault }
      userErrors { code field message }
    }
  }
`);

const AddrOfCustomer = graphql(`
  query AddrOfCustomer($id: ID!) {
    customer(id: $id) {
      addresses { id label isDefault }
      defaultAddress { id label }
    }
  }
`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const newCustomer = () => insertCustomer(server.db, { ownerId: server.staffIds.agent, addresses: 0 });
const defaultsOf = (customerId: string) =>
  server.db.prisma.address.findMany({ where: { customerId, isDefault: true }, select: { label: true } });
const addressesOf = async (globalId: string) => {
  const res = await server.gql(AddrOfCustomer, { id: globalId }, 'agent');
  expect(res.errors).toBeUndefined();
  return res.data!.customer!;
};
async function create(customerId: string, label: string, isDefault?: boolean) {
  const res = await server.gql(
    AddrCreate,
    { customerId, input: { label, line1: `1 ${label} St`, city: 'Berlin', country: 'DE', isDefault } },
    'agent',
  );
  expect(res.errors).toBeUndefined();
  expect(res.data!.addressCreate.userErrors).toEqual([]);
  return res.data!.addressCreate.address!;
}
/** Gives the customer's addresses distinct creation times (oldest first in `labels` order). */
async function ageAddresses(customerId: string, labels: string[]) {
  for (const [i, label] of labels.entries()) {
    await server.db.prisma.address.updateMany({
      where: { customerId, label },
      data: { createdAt: new Date(Date.UTC(2020, 0, 1 + i)) },
    });
  }
}

describe('addresses', () => {
  it("the customer's first address becomes the default even when isDefault is false; later ones do not", async () => {
    const c = await newCustomer();
    const first = await server.gql(
      AddrCreate,
      {
        customerId: c.globalId,
        input: {
          label: ' Home ',
          line1: ' 1 Main St ',
          line2: 'Apt 4',
          city: 'Berlin',
          region: 'BE',
          postalCode: '10115',
          country: 'DE',
          latitude: 52.52,
          longitude: 13.405,
          isDefault: false,
        },
      },
      'agent',
    );
    expect(first.data!.addressCreate).toEqual({
      address: {
        id: expect.any(String),
        label: 'Home',
        line1: '1 Main St',
        line2: 'Apt 4',
        city: 'Berlin',
        region: 'BE',
        postalCode: '10115',
        country: 'DE',
        latitude: 52.52,
        longitude: 13.405,
        isDefault: true,
        customer: { id: c.globalId },
      },
      userErrors: [],
    });
    const second = await create(c.globalId, 'Office');
    expect(second.isDefault).toBe(false);
    expect(await defaultsOf(c.id)).toEqual([{ label: 'Home' }]);
    // This customer's addresses only: other tests of the file create addresses too, in any order.
    const ids = [first.data!.addressCreate.address!.id, second.id].map((id) => fromGlobalId(id, 'Address')!.id).sort();
    const audit = await server.db.prisma.auditEntry.findMany({
      where: { entityType: 'Address', action: 'address.create', actorId: server.staffIds.agent, entityId: { in: ids } },
    });
    expect(audit.map((a) => a.entityId).sort()).toEqual(ids);
  });

  it('adding an address with isDefault moves the default to it', async () => {
    const c = await newCustomer();
    await create(c.globalId, 'A');
    await create(c.globalId, 'B');
    const third = await create(c.globalId, 'C', true);
    expect(third.isDefault).toBe(true);
    expect(await defaultsOf(c.id)).toEqual([{ label: 'C' }]);
  });

  it('addressSetDefault unsets the old default; customer.addresses lists the default first, then oldest first', async () => {
    const c = await newCustomer();
    const a = await create(c.globalId, 'A');
    const b = await create(c.globalId, 'B');
    const cc = await create(c.globalId, 'C');
    await ageAddresses(c.id, ['A', 'B', 'C']);
    const res = await server.gql(AddrSetDefault, { id: cc.id }, 'agent');
    expect(res.data!.addressSetDefault).toEqual({ address: { id: cc.id, isDefault: true }, userErrors: [] });
    expect(await defaultsOf(c.id)).toEqual([{ label: 'C' }]);
    const view = await addressesOf(c.globalId);
    expect(view.addresses).toEqual([
      { id: cc.id, label: 'C', isDefault: true },
      { id: a.id, label: 'A', isDefault: false },
      { id: b.id, label: 'B', isDefault: false },
    ]);
    expect(view.defaultAddress).toEqual({ id: cc.id, label: 'C' });
    // Setting the current default again changes nothing.
    const again = await server.gql(AddrSetDefault, { id: cc.id }, 'agent');
    expect(again.data!.addressSetDefault).toEqual({ address: { id: cc.id, isDefault: true }, userErrors: [] });
    expect(await server.db.prisma.auditEntry.count({ where: { action: 'address.setDefault' } })).toBe(1);
  });

  it('deleting the default promotes the oldest remaining address and returns it', async () => {
    const c = await newCustomer();
    await create(c.globalId, 'A');
    const b = await create(c.globalId, 'B');
    const cc = await create(c.globalId, 'C', true);
    await ageAddresses(c.id, ['C', 'B', 'A']); // B is older than A
    const res = await server.gql(AddrDelete, { id: cc.id }, 'agent');
    expect(res.errors).toBeUndefined();
    expect(res.data!.addressDelete).toEqual({
      deletedAddressId: cc.id,
      promotedDefault: { id: b.id, label: 'B', isDefault: true },
      userErrors: [],
    });
    expect(await defaultsOf(c.id)).toEqual([{ label: 'B' }]);
    const view = await addressesOf(c.globalId);
    expect(view.addresses.map((x) => [x.label, x.isDefault])).toEqual([
      ['B', true],
      ['A', false],
    ]);
    expect(view.defaultAddress).toEqual({ id: b.id, label: 'B' });
  });

  it('deleting a non-default address promotes nothing; deleting the last one leaves none', async () => {
    const c = await newCustomer();
    const a = await create(c.globalId, 'A');
    const b = await create(c.globalId, 'B');
    const first = await server.gql(AddrDelete, { id: b.id }, 'agent');
    expect(first.data!.addressDelete).toEqual({ deletedAddressId: b.id, promotedDefault: null, userErrors: [] });
    expect(await defaultsOf(c.id)).toEqual([{ label: 'A' }]);
    const last = await server.gql(AddrDelete, { id: a.id }, 'agent');
    expect(last.data!.addressDelete).toEqual({ deletedAddressId: a.id, promotedDefault: null, userErrors: [] });
    expect(await server.db.prisma.address.count({ where: { customerId: c.id } })).toBe(0);
    expect(await addressesOf(c.globalId)).toEqual({ addresses: [], defaultAddress: null });
    // The next address added becomes the default again.
    expect((await create(c.globalId, 'New')).isDefault).toBe(true);
  });

  it('addressUpdate changes the given fields, clears line2 with null and keeps the default flag', async () => {
    const c = await newCustomer();
    const a = await create(c.globalId, 'A');
    await server.gql(AddrUpdate, { id: a.id, input: { line2: 'Floor 2' } }, 'agent');
    const res = await server.gql(
      AddrUpdate,
      { id: a.id, input: { city: ' Munich ', postalCode: '80331', line2: null, country: 'de' } },
      'agent',
    );
    expect(res.data!.addressUpdate).toEqual({
      address: {
        id: a.id,
        label: 'A',
        line1: '1 A St',
        line2: null,
        city: 'Munich',
        postalCode: '80331',
        country: 'DE',
        isDefault: true,
      },
      userErrors: [],
    });
  });

  it('customer.defaultAddress works for a customer created with several addresses', async () => {
    const c = await insertCustomer(server.db, { addresses: 3 });
    const view = await server.gql(AddrOfCustomer, { id: c.globalId });
    const defaultRow = await server.db.prisma.address.findFirstOrThrow({
      where: { customerId: c.id, isDefault: true },
    });
    expect(view.data!.customer!.defaultAddress).toEqual({ id: toGlobalId('Address', defaultRow.id), label: 'Home' });
    expect(view.data!.customer!.addresses[0]).toEqual({
      id: toGlobalId('Address', defaultRow.id),
      label: 'Home',
      isDefault: true,
    });
    expect(view.data!.customer!.addresses.filter((x) => x.isDefault)).toHaveLength(1);
  });
});

describe('one default address per customer', () => {
  it('the database itself refuses a second default address (partial unique index)', async () => {
    const c = await insertCustomer(server.db, { addresses: 2 });
    const rowsOf = () => server.db.prisma.address.findMany({ where: { customerId: c.id } });
    const second = (await rowsOf()).find((a) => !a.isDefault)!;
    await expect(
      server.db.sql.query('UPDATE addresses SET is_default = true WHERE id = $1', [second.id]),
    ).rejects.toMatchObject({
      code: '23505',
      message: expect.stringContaining('addresses_one_default_per_customer'),
    });
    const defaults = (await rowsOf()).filter((a) => a.isDefault);
    expect(defaults).toHaveLength(1);
    expect(defaults[0].id).not.toBe(second.id);
  });
});

import { print } from 'graphql';
import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import type { AddressInput, AddressUpdateInput } from '../generated/graphql';
import { expectNoLeak, expectTopLevelError, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';

const BadInputAddressCreate = graphql(`
  mutation BadInputAddressCreate($customerId: ID!, $input: AddressInput!) {
    addressCreate(customerId: $customerId, input: $input) {
      address { id city }
      userErrors { code field message }
    }
  }
`);

const BadInputAddressUpdate = graphql(`
  mutation BadInputAddressUpdate($id: ID!, $input: AddressUpdateInput!) {
    addressUpdate(id: $id, input: $input) {
      address { id city }
      userErrors { code field message }
    }
  }
`);

const BadInputAddressDelete = graphql(`
  mutation BadInputAddressDelete($id: ID!) {
    addressDelete(id: $id) {
      deletedAddressId
      userErrors { code field message }
    }
  }
`);

const BadInputAddressSetDefault = graphql(`
  mutation BadInputAddressSetDefault($id: ID!) {
    addressSetDefault(id: $id) {
      address { id }
      userErrors { code field message }
    }
  }
`);

const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
const valid: AddressInput = { label: 'Home', line1: '1 Elm Street', city: 'Springfield', country: 'US' };
const errorsOf = (errors: { code: string; field?: string[] | null }[]) =>
  errors.map(({ code, field }) => ({ code, field }));

describe('address mutations with bad input: a precise error and no write', () => {
  let server: TestServer;
  let customer: Awaited<ReturnType<typeof insertCustomer>>;
  let otherAgents: Awaited<ReturnType<typeof insertCustomer>>;
  let addressId: string;

  beforeAll(async () => {
    server = await startTestServer();
    customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent, addresses: 2 });
    otherAgents = await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent });
    const address = await server.db.prisma.address.findFirstOrThrow({
      where: { customerId: customer.id, isDefault: false },
    });
    addressId = toGlobalId('Address', address.id);
  });
  afterAll(() => server.close());

  const create = async (customerId: string, input: AddressInput, who: StaffKey = 'admin') => {
    const res = await unchanged(server.db, () => server.gql(BadInputAddressCreate, { customerId, input }, who));
    expect(res.data!.addressCreate.address).toBeNull();
    expectNoLeak(res);
    return errorsOf(res.data!.addressCreate.userErrors);
  };
  const update = async (id: string, input: AddressUpdateInput, who: StaffKey = 'admin') => {
    const res = await unchanged(server.db, () => server.gql(BadInputAddressUpdate, { id, input }, who));
    expect(res.data!.addressUpdate.address).toBeNull();
    expectNoLeak(res);
    return errorsOf(res.data!.addressUpdate.userErrors);
  };
  const notCoerced = async (
    document: typeof BadInputAddressCreate | typeof BadInputAddressUpdate,
    variables: Record<string, unknown>,
    inputPath: string,
  ) => {
    const res = await unchanged(server.db, () => server.post({ query: print(document), variables }, 'admin'));
    expect(expectTopLevelError(res, 400, 'BAD_USER_INPUT').message).toContain(`at "${inputPath}"`);
  };

  it('a valid address is created (control: the snapshot sees it)', async () => {
    const before = await server.db.prisma.address.count();
    const res = await server.gql(BadInputAddressCreate, { customerId: customer.globalId, input: valid });
    expect(res.data!.addressCreate.userErrors).toEqual([]);
    expect(await server.db.prisma.address.count()).toBe(before + 1);
  });

  it('addressCreate with empty line1 and city is VALIDATION at input.line1 and input.city', async () => {
    expect(await create(customer.globalId, { ...valid, line1: '', city: '   ' })).toEqual([
      { code: 'VALIDATION', field: ['input', 'line1'] },
      { code: 'VALIDATION', field: ['input', 'city'] },
    ]);
  });

  it('addressCreate with a latitude but no longitude is VALIDATION at input.latitude', async () => {
    expect(await create(customer.globalId, { ...valid, latitude: 45 })).toEqual([
      { code: 'VALIDATION', field: ['input', 'latitude'] },
    ]);
  });

  it('a latitude above 90 does not coerce: 400 BAD_USER_INPUT at input.latitude', async () => {
    await notCoerced(
      BadInputAddressCreate,
      { customerId: customer.globalId, input: { ...valid, latitude: 90.5, longitude: 10 } },
      'input.latitude',
    );
    await notCoerced(
      BadInputAddressUpdate,
      { id: addressId, input: { latitude: 91, longitude: 10 } },
      'input.latitude',
    );
  });

  it('a longitude beyond 180 does not coerce: 400 BAD_USER_INPUT at input.longitude', async () => {
    await notCoerced(
      BadInputAddressCreate,
      { customerId: customer.globalId, input: { ...valid, latitude: 10, longitude: -180.5 } },
      'input.longitude',
    );
  });

  it.each(['XX', 'usa', 'U'])(
    'an invalid country (%s) does not coerce: 400 BAD_USER_INPUT at input.country',
    async (country) => {
      await notCoerced(
        BadInputAddressCreate,
        { customerId: customer.globalId, input: { ...valid, country } },
        'input.country',
      );
    },
  );

  it('addressCreate for an unknown, malformed or wrong-type customer id is NOT_FOUND at customerId', async () => {
    for (const id of [toGlobalId('Customer', UNKNOWN_UUID), 'nonsense', addressId]) {
      expect(await create(id, valid)).toEqual([{ code: 'NOT_FOUND', field: ['customerId'] }]);
    }
  });

  it("addressCreate on another agent's customer, as an AGENT, is NOT_FOUND at customerId", async () => {
    expect(await create(otherAgents.globalId, valid, 'agent')).toEqual([{ code: 'NOT_FOUND', field: ['customerId'] }]);
  });

  it('addressCreate beyond 20 addresses is LIMIT_EXCEEDED at customerId', async () => {
    const full = await insertCustomer(server.db, { addresses: 20 });
    expect(await create(full.globalId, valid)).toEqual([{ code: 'LIMIT_EXCEEDED', field: ['customerId'] }]);
  });

  it('addressUpdate with an unknown, malformed or wrong-type id is NOT_FOUND at id', async () => {
    for (const id of [toGlobalId('Address', UNKNOWN_UUID), 'nonsense', customer.globalId]) {
      expect(await update(id, { city: 'Shelbyville' })).toEqual([{ code: 'NOT_FOUND', field: ['id'] }]);
    }
  });

  it("addressUpdate of another agent's customer's address, as an AGENT, is NOT_FOUND at id", async () => {
    const theirs = await server.db.prisma.address.findFirstOrThrow({ where: { customerId: otherAgents.id } });
    expect(await update(toGlobalId('Address', theirs.id), { city: 'Shelbyville' }, 'agent')).toEqual([
      { code: 'NOT_FOUND', field: ['id'] },
    ]);
  });

  it('addressUpdate clearing line1, city or country (null) is VALIDATION at that field', async () => {
    expect(await update(addressId, { line1: null, city: null, country: null })).toEqual([
      { code: 'VALIDATION', field: ['input', 'line1'] },
      { code: 'VALIDATION', field: ['input', 'city'] },
      { code: 'VALIDATION', field: ['input', 'country'] },
    ]);
  });

  it('addressUpdate with a postal code over 20 characters is VALIDATION at input.postalCode', async () => {
    expect(await update(addressId, { postalCode: '1'.repeat(21) })).toEqual([
      { code: 'VALIDATION', field: ['input', 'postalCode'] },
    ]);
  });

  it('addressUpdate giving only a latitude to an address without coordinates is VALIDATION at input.latitude', async () => {
    expect(await update(addressId, { latitude: 45 })).toEqual([{ code: 'VALIDATION', field: ['input', 'latitude'] }]);
  });

  it('addressDelete and addressSetDefault with an unknown id are NOT_FOUND at id', async () => {
    const id = toGlobalId('Address', UNKNOWN_UUID);
    const deleted = await unchanged(server.db, () => server.gql(BadInputAddressDelete, { id }));
    expect(deleted.data!.addressDelete).toEqual({
      deletedAddressId: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['id'], message: 'Address not found' }],
    });
    const setDefault = await unchanged(server.db, () => server.gql(BadInputAddressSetDefault, { id }));
    expect(setDefault.data!.addressSetDefault).toEqual({
      address: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['id'], message: 'Address not found' }],
    });
  });
});

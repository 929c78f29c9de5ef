import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { databaseSnapshot } from '../helpers/snapshot';

const AuthAnalystCustomer = graphql(`
  query AuthAnalystCustomer($id: ID!) {
    customer(id: $id) {
      firstName
      email
      phone
      birthDate
      addresses { line1 line2 city country }
    }
  }
`);

const AuthAnalystList = graphql(`
  query AuthAnalystList {
    customers(first: 10) {
      totalCount
      edges { node { id email phone birthDate defaultAddress { line1 line2 city } } }
    }
  }
`);

const AuthAnalystSearch = graphql(`
  query AuthAnalystSearch($search: String!) {
    customers(first: 10, filter: { search: $search }) { totalCount }
  }
`);

const AuthAnalystAddressNode = graphql(`
  query AuthAnalystAddressNode($id: ID!) {
    node(id: $id) {
      ... on Address { line1 line2 city customer { email } }
    }
  }
`);

const AuthAnalystCreate = graphql(`
  mutation AuthAnalystCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) { customer { id } userErrors { code } }
  }
`);

const AuthAnalystUpdate = graphql(`
  mutation AuthAnalystUpdate($id: ID!, $input: CustomerUpdateInput!) {
    customerUpdate(id: $id, input: $input) { customer { id } userErrors { code } }
  }
`);

const AuthAnalystAddressCreate = graphql(`
  mutation AuthAnalystAddressCreate($customerId: ID!, $input: AddressInput!) {
    addressCreate(customerId: $customerId, input: $input) { address { id } userErrors { code } }
  }
`);

const FORBIDDEN = (path: string) => [
  expect.objectContaining({
    message: 'You are not allowed to do this',
    path: [path],
    extensions: { code: 'FORBIDDEN' },
  }),
];

describe('an ANALYST reads everything, masked, and changes nothing', () => {
  let server: TestServer;
  let jane: Awaited<ReturnType<typeof insertCustomer>>;
  let janeAddress: string;

  beforeAll(async () => {
    server = await startTestServer();
    // Owned by an agent: analysts see all customers, not only their own.
    jane = await insertCustomer(server.db, {
      ownerId: server.staffIds.agent,
      firstName: 'Jane',
      email: 'jane.doe@example.com',
      birthDate: new Date('1985-04-12T00:00:00Z'),
    });
    const address = await server.db.prisma.address.findFirstOrThrow({ where: { customerId: jane.id } });
    await server.db.prisma.address.update({ where: { id: address.id }, data: { line2: 'Apartment 4B' } });
    janeAddress = toGlobalId('Address', address.id);
  });
  afterAll(() => server.close());

  it('sees e-mail and phone masked, no birth date and no street lines, but the city', async () => {
    const res = await server.gql(AuthAnalystCustomer, { id: jane.globalId }, 'analyst');

    expect(res.errors).toBeUndefined();
    expect(res.data!.customer).toEqual({
      firstName: 'Jane',
      email: 'j***@example.com',
      phone: '+1******0123',
      birthDate: null,
      addresses: [{ line1: null, line2: null, city: 'Springfield', country: 'US' }],
    });
  });

  it('while an admin sees the same customer unmasked', async () => {
    const res = await server.gql(AuthAnalystCustomer, { id: jane.globalId }, 'admin');

    expect(res.data!.customer).toEqual({
      firstName: 'Jane',
      email: 'jane.doe@example.com',
      phone: '+14155550123',
      birthDate: '1985-04-12',
      addresses: [{ line1: '1 Test Street', line2: 'Apartment 4B', city: 'Springfield', country: 'US' }],
    });
  });

  it('sees the customer list masked too', async () => {
    const res = await server.gql(AuthAnalystList, {}, 'analyst');

    expect(res.errors).toBeUndefined();
    expect(res.data!.customers).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            id: jane.globalId,
            email: 'j***@example.com',
            phone: '+1******0123',
            birthDate: null,
            defaultAddress: { line1: null, line2: null, city: 'Springfield' },
          },
        },
      ],
    });
  });

  it('cannot confirm a masked e-mail or phone by searching for it, but finds customers by name', async () => {
    const count = async (search: string, who: 'analyst' | 'admin') =>
      (await server.gql(AuthAnalystSearch, { search }, who)).data!.customers.totalCount;
    expect(await count('jane.doe@example.com', 'admin')).toBe(1);
    expect(await count('jane.doe@example.com', 'analyst')).toBe(0);
    expect(await count('4155550123', 'admin')).toBeGreaterThan(0);
    expect(await count('4155550123', 'analyst')).toBe(0);
    // A phone number typed with spaces is searched as one term: still never for an analyst.
    expect(await count('+1 415 555 0123', 'admin')).toBeGreaterThan(0);
    expect(await count('+1 415 555 0123', 'analyst')).toBe(0);
    expect(await count('Jane', 'analyst')).toBe(1);
  });

  it('sees an address fetched by node(id) masked, and its customer too', async () => {
    const res = await server.gql(AuthAnalystAddressNode, { id: janeAddress }, 'analyst');

    expect(res.errors).toBeUndefined();
    expect(res.data!.node).toEqual({
      line1: null,
      line2: null,
      city: 'Springfield',
      customer: { email: 'j***@example.com' },
    });
  });

  it('customerCreate is a top-level FORBIDDEN error and writes nothing', async () => {
    const before = await databaseSnapshot(server.db);
    const input = {
      firstName: 'Ann',
      lastName: 'Other',
      email: 'ann.other@example.com',
      consent: { dataProcessing: true },
    };
    const res = await server.gql(AuthAnalystCreate, { input }, 'analyst');

    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual(FORBIDDEN('customerCreate'));
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it('customerUpdate is a top-level FORBIDDEN error and changes nothing', async () => {
    const before = await databaseSnapshot(server.db);
    const res = await server.gql(
      AuthAnalystUpdate,
      { id: jane.globalId, input: { version: jane.version, firstName: 'Janet' } },
      'analyst',
    );

    expect(res.data).toBeNull();
    expect(res.errors).toEqual(FORBIDDEN('customerUpdate'));
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it('addressCreate is a top-level FORBIDDEN error and adds nothing', async () => {
    const before = await databaseSnapshot(server.db);
    const input = { line1: '2 Other Street', city: 'Shelbyville', country: 'US' };
    const res = await server.gql(AuthAnalystAddressCreate, { customerId: jane.globalId, input }, 'analyst');

    expect(res.data).toBeNull();
    expect(res.errors).toEqual(FORBIDDEN('addressCreate'));
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });
});

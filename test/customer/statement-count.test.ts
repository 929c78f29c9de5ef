import { graphql } from '../generated';
import { countAtFiveAndFifty, startTestServer, type TestServer } from '../helpers/server';
import { insertCustomers } from '../helpers/factories';

const CustomersWithRelations = graphql(`
  query CustomersWithRelations($first: Int!) {
    customers(first: $first) {
      edges {
        node {
          id
          addresses { city isDefault }
          owner { name }
          loyalty { tier }
        }
      }
    }
  }
`);

describe('DataLoaders keep the statement count flat', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await insertCustomers(server.db, 50, { ownerId: server.staffIds.agent, addresses: 2 });
  });
  afterAll(() => server.close());

  it('customers(first: N) { addresses, owner, loyalty { tier } } issues as many statements for N = 5 as for N = 50', async () => {
    const token = await server.token('admin');
    const { five, fifty } = await countAtFiveAndFifty(server.db, (first) =>
      server.gql(CustomersWithRelations, { first }, { token }),
    );

    expect(five.result.errors).toBeUndefined();
    expect(five.result.data!.customers.edges).toHaveLength(5);
    expect(fifty.result.data!.customers.edges).toHaveLength(50);
    expect(
      fifty.result.data!.customers.edges.every(
        (e) =>
          e.node.addresses.length === 2 && e.node.owner?.name === 'Alice Agent' && e.node.loyalty?.tier === 'BRONZE',
      ),
    ).toBe(true);
    // The page's keys, the planned rows with their addresses and loyalty accounts, and the owners.
    expect(five.statements).toBe(3);
    expect(fifty.statements).toBe(five.statements);
  });
});

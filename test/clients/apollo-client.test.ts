// docs/clients.md, run: the Apollo Client 4 setup it shows (docs/clients/*.ts, the very files the
// document includes) against the real server, counting every request the client sends.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CombinedGraphQLErrors } from '@apollo/client';
import { buildSchema, getNamedType, isInterfaceType, isObjectType } from 'graphql';
import { possibleTypes, typePolicies } from '../../docs/clients/apollo-cache';
import { createApiClient } from '../../docs/clients/apollo-client';
import { addCreatedCustomer } from '../../docs/clients/customer-list-updates';
import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { STAFF, TEST_PASSWORD, startTestServer, type TestServer } from '../helpers/server';

const ROOT = join(__dirname, '../..');

graphql(`
  fragment ClientCustomerItem on Customer {
    id
    firstName
    lastName
    email
  }
`);

const ClientLogin = graphql(`
  mutation ClientLogin($input: LoginInput!) {
    login(input: $input) {
      token
      userErrors { code field message }
    }
  }
`);

const ClientCustomers = graphql(`
  query ClientCustomers($first: Int!, $after: String, $filter: CustomerFilter) {
    customers(first: $first, after: $after, filter: $filter, sort: { field: NAME, direction: ASC }) {
      totalCount
      edges { cursor node { ...ClientCustomerItem } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const ClientCustomerCreate = graphql(`
  mutation ClientCustomerCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer { ...ClientCustomerItem }
      userErrors { code field message }
    }
  }
`);

describe('the Apollo Client setup of docs/clients.md', () => {
  let server: TestServer;
  const sent: string[] = [];
  let token: string | null = null;
  let unauthenticated = 0;
  const countingFetch: typeof fetch = (input, init) => {
    sent.push((JSON.parse(String(init?.body)) as { operationName: string }).operationName);
    return fetch(input, init);
  };
  const client = () =>
    createApiClient({
      uri: server.url,
      getToken: () => token,
      onUnauthenticated: () => (unauthenticated += 1),
      fetch: countingFetch,
    });

  beforeAll(async () => {
    server = await startTestServer();
    for (const lastName of ['Abbott', 'Baker', 'Carter', 'Dixon', 'Evans'])
      await insertCustomer(server.db, {
        firstName: 'Client',
        lastName,
        email: `client.${lastName.toLowerCase()}@example.com`,
      });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    sent.length = 0;
    token = null;
    unauthenticated = 0;
  });

  it('logs in, lists, appends a page with fetchMore, and a create updates the cached list with no refetch', async () => {
    const apollo = client();
    const { data: login } = await apollo.mutate({
      mutation: ClientLogin,
      variables: { input: { email: STAFF.admin.email, password: TEST_PASSWORD } },
    });
    expect(login!.login.userErrors).toEqual([]);
    token = login!.login.token!;

    const list = apollo.watchQuery({ query: ClientCustomers, variables: { first: 2 } });
    const results: { lastNames: string[]; totalCount: number }[] = [];
    const subscription = list.subscribe((result) => {
      if (result.dataState !== 'complete') return;
      const { customers } = result.data;
      results.push({ lastNames: customers.edges.map((e) => e.node.lastName), totalCount: customers.totalCount });
    });
    const settled = async (predicate: (last: (typeof results)[number]) => boolean) => {
      for (let i = 0; i < 100 && !(results.length && predicate(results[results.length - 1])); i++)
        await new Promise((wait) => setTimeout(wait, 20));
      return results[results.length - 1];
    };
    expect(await settled((r) => r.lastNames.length === 2)).toEqual({ lastNames: ['Abbott', 'Baker'], totalCount: 5 });

    // fetchMore asks for the next page only; relayStylePagination appends its edges.
    const current = list.getCurrentResult();
    if (current.dataState !== 'complete') throw new Error(`page 1 is ${current.dataState}`);
    const page2 = await list.fetchMore({ variables: { after: current.data.customers.pageInfo.endCursor } });
    expect(page2.data!.customers.edges.map((e) => e.node.lastName)).toEqual(['Carter', 'Dixon']);
    expect(await settled((r) => r.lastNames.length === 4)).toEqual({
      lastNames: ['Abbott', 'Baker', 'Carter', 'Dixon'],
      totalCount: 5,
    });

    // A filtered list in the cache too: the update drops it (it may or may not include the new one).
    const filtered = { first: 10, filter: { search: 'Evans' } };
    await apollo.query({ query: ClientCustomers, variables: filtered });
    expect(apollo.readQuery({ query: ClientCustomers, variables: filtered })!.customers.totalCount).toBe(1);
    expect(sent).toEqual(['ClientLogin', 'ClientCustomers', 'ClientCustomers', 'ClientCustomers']);

    const { data: created } = await apollo.mutate({
      mutation: ClientCustomerCreate,
      variables: {
        input: {
          firstName: 'Client',
          lastName: 'Fisher',
          email: 'client.fisher@example.com',
          consent: { dataProcessing: true },
        },
      },
      update(cache, { data }) {
        if (data?.customerCreate.customer) addCreatedCustomer(cache, data.customerCreate.customer);
      },
    });
    expect(created!.customerCreate.userErrors).toEqual([]);
    expect(await settled((r) => r.lastNames.length === 5)).toEqual({
      lastNames: ['Fisher', 'Abbott', 'Baker', 'Carter', 'Dixon'],
      totalCount: 6,
    });
    expect(apollo.readQuery({ query: ClientCustomers, variables: filtered })).toBeNull();
    // Nothing but the mutation went to the server: the list came from the cache.
    await new Promise((wait) => setTimeout(wait, 200));
    expect(sent).toEqual([
      'ClientLogin',
      'ClientCustomers',
      'ClientCustomers',
      'ClientCustomers',
      'ClientCustomerCreate',
    ]);
    subscription.unsubscribe();
  });

  it('reports expected failures as userErrors in data, and leaves the cached list alone', async () => {
    const apollo = client();
    token = await server.token('admin');
    await apollo.query({ query: ClientCustomers, variables: { first: 10 } });
    const before = apollo.readQuery({ query: ClientCustomers, variables: { first: 10 } });
    const { data, error } = await apollo.mutate({
      mutation: ClientCustomerCreate,
      variables: {
        input: {
          firstName: 'Client',
          lastName: 'Twin',
          // Abbott's (beforeAll), not Fisher's: the create test may run after this one, or not at all.
          email: 'client.abbott@example.com',
          consent: { dataProcessing: true },
        },
      },
      update(cache, { data: result }) {
        if (result?.customerCreate.customer) addCreatedCustomer(cache, result.customerCreate.customer);
      },
    });
    expect(error).toBeUndefined();
    expect(data!.customerCreate.customer).toBeNull();
    expect(data!.customerCreate.userErrors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE', field: ['input', 'email'] }),
    ]);
    expect(apollo.readQuery({ query: ClientCustomers, variables: { first: 10 } })).toEqual(before);
  });

  it('reports a failed operation as CombinedGraphQLErrors with extensions.code, and tells the app when the token is missing', async () => {
    const apollo = client();
    const failure = await apollo.query({ query: ClientCustomers, variables: { first: 1 } }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(CombinedGraphQLErrors.is(failure)).toBe(true);
    expect((failure as CombinedGraphQLErrors).errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(unauthenticated).toBe(1);
  });
});

describe('docs/clients/apollo-cache.ts covers schema.graphql', () => {
  const schema = buildSchema(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));
  const objectTypes = Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith('__'));

  it('has relayStylePagination, keyed by every argument but first/after, for every connection field', () => {
    const expected: Record<string, string[]> = {};
    for (const type of objectTypes) {
      for (const field of Object.values(type.getFields())) {
        if (!getNamedType(field.type).name.endsWith('Connection')) continue;
        expected[`${type.name}.${field.name}`] = field.args
          .map((arg) => arg.name)
          .filter((name) => name !== 'first' && name !== 'after')
          .sort();
      }
    }
    const actual: Record<string, string[]> = {};
    for (const [typeName, policy] of Object.entries(typePolicies)) {
      for (const [fieldName, fieldPolicy] of Object.entries(policy.fields ?? {})) {
        const keyArgs = (fieldPolicy as { keyArgs?: false | string[] }).keyArgs;
        actual[`${typeName}.${fieldName}`] = keyArgs ? [...keyArgs].sort() : [];
      }
    }
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('lists the implementations of every interface in possibleTypes, and keeps non-Node objects with an id unnormalised', () => {
    const interfaces = Object.values(schema.getTypeMap()).filter(isInterfaceType);
    expect(possibleTypes).toEqual(
      Object.fromEntries(
        interfaces.map((i) => [
          i.name,
          schema
            .getPossibleTypes(i)
            .map((t) => t.name)
            .sort(),
        ]),
      ),
    );
    const idButNoNode = objectTypes
      .filter((type) => type.getFields().id && !type.getInterfaces().some((i) => i.name === 'Node'))
      .map((type) => type.name);
    expect(
      Object.entries(typePolicies)
        .filter(([, policy]) => policy.keyFields === false)
        .map(([name]) => name)
        .sort(),
    ).toEqual(idButNoNode.sort());
  });

  it('is what docs/clients.md shows', () => {
    const doc = readFileSync(join(ROOT, 'docs/clients.md'), 'utf8');
    for (const file of ['apollo-cache.ts', 'apollo-client.ts', 'customer-list-updates.ts']) {
      const block = new RegExp(
        `<!-- docs/clients/${file.replace('.', '\\.')} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\n`,
      ).exec(doc);
      expect(block?.[1]).toBe(readFileSync(join(ROOT, 'docs/clients', file), 'utf8'));
    }
  });
});

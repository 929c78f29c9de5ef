import { graphql } from '../generated';
import { startTestServer, type TestServer } from '../helpers/server';

const AuthMeWithoutIntrospection = graphql(`
  query AuthMeWithoutIntrospection {
    me { role }
  }
`);

describe('with introspection disabled', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ introspection: false });
  });
  afterAll(() => server.close());

  it('refuses __schema without a token as a 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await server.post({ query: '{ __schema { queryType { name } } }' }, null);

    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors![0].message).toMatch(/introspection/i);
  });

  it('refuses __schema and __type even with a valid token', async () => {
    const schema = await server.post({ query: '{ __schema { queryType { name } } }' }, 'admin');
    const type = await server.post({ query: '{ __type(name: "Customer") { name } }' }, 'admin');

    for (const res of [schema, type]) {
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('still serves ordinary operations', async () => {
    const res = await server.gql(AuthMeWithoutIntrospection, {}, 'manager');

    expect(res.status).toBe(200);
    expect(res.data!.me.role).toBe('MANAGER');
  });
});

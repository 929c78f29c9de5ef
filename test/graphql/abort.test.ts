// Issue 8, "work abandoned when the client disconnects": once the request's signal is aborted
// (the HTTP layer aborts it when the client closes the connection early), root fields and fields
// with arguments do not start; nothing reaches the services or the database.
import { execute, parse } from 'graphql';
import { buildAppSchema } from '../../src/graphql/schema';

describe('stop work on disconnect', () => {
  const actor = { id: '00000000-0000-4000-8000-000000000001', role: 'ADMIN', email: 'a@example.com', name: 'A' };
  const services = new Proxy(
    {},
    {
      get: () => {
        throw new Error('a service was called');
      },
    },
  );

  it.each([
    ['a query', '{ customers(first: 1) { totalCount } }', 'customers'],
    ['a mutation', 'mutation { login(input: { email: "a@example.com", password: "x" }) { token } }', 'login'],
  ])('%s of a gone client fails with CLIENT_CLOSED_REQUEST before any resolver runs', async (_, query, field) => {
    const controller = new AbortController();
    controller.abort();
    const result = await execute({
      schema: await buildAppSchema(),
      document: parse(query),
      contextValue: { actor, services, signal: controller.signal },
    });
    expect(result.errors?.map((e) => [e.path, e.extensions.code])).toEqual([[[field], 'CLIENT_CLOSED_REQUEST']]);
  });

  it('a connected client reaches the resolvers (control)', async () => {
    const result = await execute({
      schema: await buildAppSchema(),
      document: parse('{ customers(first: 1) { totalCount } }'),
      contextValue: { actor, services, signal: new AbortController().signal },
    });
    expect(result.errors?.[0].message).toMatch(/a service was called|Cannot read/);
  });
});

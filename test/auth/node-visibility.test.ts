// node(id)/nodes(ids) for EVERY type implementing Node in the schema (read from the built schema,
// so a new Node type is covered without anyone remembering): the owning agent sees the object,
// another agent gets null for anything belonging to a customer they do not own.
import { isObjectType, type GraphQLInterfaceType } from 'graphql';
import { buildAppSchema } from '../../src/graphql/schema';
import { NODE_FIXTURES } from '../helpers/node-fixtures';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';
import type { NodeType } from '../../src/graphql/relay';

const NODE = 'query NodeVisibility($id: ID!) { node(id: $id) { __typename id } }';
const NODES = 'query NodesVisibility($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }';

let server: TestServer;
let nodeTypes: string[];
beforeAll(async () => {
  const schema = await buildAppSchema();
  nodeTypes = schema
    .getPossibleTypes(schema.getType('Node') as GraphQLInterfaceType)
    .filter(isObjectType)
    .map((t) => t.name)
    .sort();
  server = await startTestServer();
  for (const who of ['agent', 'otherAgent', 'admin'] as const) await server.token(who);
});
afterAll(() => server.close());

const node = async (id: string, who: StaffKey) => {
  const res = await server.post({ query: NODE, variables: { id } }, who);
  expect(res.errors).toBeUndefined();
  return (res.data as { node: { __typename: string; id: string } | null }).node;
};
const nodes = async (ids: string[], who: StaffKey) => {
  const res = await server.post({ query: NODES, variables: { ids } }, who);
  expect(res.errors).toBeUndefined();
  return (res.data as { nodes: ({ __typename: string; id: string } | null)[] }).nodes;
};

describe('node(id) and nodes(ids) for every Node type of the schema', () => {
  it('every Node type has a fixture (add one to test/helpers/node-fixtures.ts for a new type)', () => {
    expect(nodeTypes.length).toBeGreaterThanOrEqual(10);
    expect(nodeTypes.filter((type) => !NODE_FIXTURES[type as NodeType])).toEqual([]);
  });

  it('the owning agent gets each object; another agent gets null for customer data, and the object for staff-wide data', async () => {
    const seen: Record<string, unknown> = {};
    for (const type of nodeTypes) {
      const fixture = NODE_FIXTURES[type as NodeType]!;
      const id = await fixture.create(server, server.staffIds.agent);
      const own = { __typename: type, id };
      // ADMIN-only objects (webhook configuration) are null to every agent, the "owner" included.
      expect({ type, owner: await node(id, 'agent') }).toEqual({ type, owner: fixture.scope === 'admin' ? null : own });
      expect({ type, admin: await node(id, 'admin') }).toEqual({ type, admin: own });
      const expected = fixture.scope === 'everyone' ? own : null;
      // Mixed with a visible object, so a null cannot come from the whole query failing.
      const visible = await NODE_FIXTURES.Customer!.create(server, server.staffIds.otherAgent);
      seen[type] = { node: await node(id, 'otherAgent'), nodes: await nodes([visible, id], 'otherAgent') };
      expect({ type, ...(seen[type] as object) }).toEqual({
        type,
        node: expected,
        nodes: [{ __typename: 'Customer', id: visible }, expected],
      });
    }
  });
});

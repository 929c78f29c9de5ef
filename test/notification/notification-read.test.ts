// Reading notifications through HTTP: the outbox query per role (agents: their own customers;
// analysts: payloads masked), Customer.notifications in one statement for any number of
// customers, paging, filters and bad filters.
import { toGlobalId } from '../../src/graphql/relay';
import { expectTopLevelError } from '../helpers/bad-input';
import { insertCustomer, insertCustomers } from '../helpers/factories';
import { countAtFiveAndFifty, startTestServer, type StaffKey, type TestServer } from '../helpers/server';

let server: TestServer;
let mine: Awaited<ReturnType<typeof insertCustomer>>;
let theirs: Awaited<ReturnType<typeof insertCustomer>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  mine = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
  theirs = await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent });
  const create = async (key: string, data: Parameters<typeof server.db.prisma.notification.create>[0]['data']) => {
    ids[key] = toGlobalId('Notification', (await server.db.prisma.notification.create({ data })).id);
  };
  await create('mineCancelled', {
    type: 'POLICY_CANCELLED',
    customerId: mine.id,
    channel: 'EMAIL',
    payload: {
      policyNumber: 'P-000042',
      policyType: 'AUTO',
      reason: 'Jane moved to Lyon',
      cancelledAt: '2026-01-01T00:00:00.000Z',
    },
    createdAt: new Date('2026-01-01T10:00:00Z'),
  });
  await create('mineClaim', {
    type: 'CLAIM_STATUS_CHANGED',
    customerId: mine.id,
    status: 'DEAD',
    attempts: 8,
    lastError: 'recipient jane@example.com rejected',
    payload: { claimNumber: 'CL-000007', from: 'OPEN', to: 'APPROVED' },
    createdAt: new Date('2026-01-02T10:00:00Z'),
  });
  await create('theirs', {
    type: 'WELCOME',
    customerId: theirs.id,
    channel: 'SMS',
    status: 'SENT',
    payload: { customerNumber: theirs.number },
    createdAt: new Date('2026-01-03T10:00:00Z'),
  });
  await create('staff', {
    type: 'FEEDBACK_RECEIVED',
    customerId: null,
    payload: { orderNumber: 'O-1', customerId: mine.id, rating: 2 },
    createdAt: new Date('2026-01-04T10:00:00Z'),
  });
});
afterAll(() => server.close());

const OUTBOX = `query Outbox($first: Int, $after: String, $filter: NotificationFilter) {
  notifications(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id type channel status attempts payload lastError nextAttemptAt createdAt customer { id } } }
  }
}`;
type Node = {
  id: string;
  type: string;
  status: string;
  payload: Record<string, unknown>;
  lastError: string | null;
  customer: { id: string } | null;
};
type Outbox = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Node }[] };

async function outbox(who: StaffKey, variables: Record<string, unknown> = {}): Promise<Outbox> {
  const res = await server.post({ query: OUTBOX, variables: { first: 50, ...variables } }, who);
  expect(res.errors).toBeUndefined();
  return (res.data as { notifications: Outbox }).notifications;
}
const idsOf = (o: Outbox) => o.edges.map((e) => e.node.id);

describe('the notification outbox by role', () => {
  it('ADMIN and MANAGER see every notification, newest first, with payloads as written', async () => {
    for (const who of ['admin', 'manager'] as const) {
      const all = await outbox(who);
      expect(idsOf(all)).toEqual([ids.staff, ids.theirs, ids.mineClaim, ids.mineCancelled]);
      expect(all.totalCount).toBe(4);
      expect(all.edges[2].node).toMatchObject({
        status: 'DEAD',
        lastError: 'recipient jane@example.com rejected',
        payload: { claimNumber: 'CL-000007', from: 'OPEN', to: 'APPROVED' },
        customer: { id: mine.globalId },
      });
      expect(all.edges[0].node.customer).toBeNull();
    }
  });

  it('an AGENT sees the notifications of their own customers only (no staff notifications)', async () => {
    const own = await outbox('agent');
    expect(idsOf(own)).toEqual([ids.mineClaim, ids.mineCancelled]);
    expect(own.totalCount).toBe(2);
    expect(idsOf(await outbox('otherAgent'))).toEqual([ids.theirs]);
    // Filtering by another agent's customer finds nothing rather than revealing it.
    expect(idsOf(await outbox('agent', { filter: { customerId: theirs.globalId } }))).toEqual([]);
  });

  it('an ANALYST sees every notification with personal data left out of payloads and errors', async () => {
    const all = await outbox('analyst');
    expect(idsOf(all)).toEqual([ids.staff, ids.theirs, ids.mineClaim, ids.mineCancelled]);
    const byId = Object.fromEntries(all.edges.map((e) => [e.node.id, e.node]));
    expect(byId[ids.mineCancelled].payload).toEqual({ policyType: 'AUTO', cancelledAt: '2026-01-01T00:00:00.000Z' });
    expect(byId[ids.mineClaim].payload).toEqual({ from: 'OPEN', to: 'APPROVED' });
    expect(byId[ids.mineClaim].lastError).toBeNull();
    expect(byId[ids.theirs].payload).toEqual({});
    expect(byId[ids.staff].payload).toEqual({ rating: 2 });
    expect(JSON.stringify(all)).not.toMatch(/P-000042|CL-000007|Lyon|jane@|O-1/);
  });

  it("node(id): agents see their own customers' notifications only; analysts masked", async () => {
    const NODE = `query N($id: ID!) { node(id: $id) { id ... on Notification { payload } } }`;
    const node = async (id: string, who: StaffKey) =>
      ((await server.post({ query: NODE, variables: { id } }, who)).data as { node: { payload: unknown } | null }).node;
    expect(await node(ids.mineClaim, 'agent')).not.toBeNull();
    expect(await node(ids.staff, 'agent')).toBeNull();
    expect(await node(ids.theirs, 'agent')).toBeNull();
    expect(await node(ids.staff, 'manager')).not.toBeNull();
    expect((await node(ids.mineClaim, 'analyst'))?.payload).toEqual({ from: 'OPEN', to: 'APPROVED' });
  });

  it('filters by status, type, channel, customer and time written; pages with after', async () => {
    expect(idsOf(await outbox('admin', { filter: { status: ['DEAD', 'SENT'] } }))).toEqual([ids.theirs, ids.mineClaim]);
    expect(idsOf(await outbox('admin', { filter: { type: ['WELCOME', 'FEEDBACK_RECEIVED'] } }))).toEqual([
      ids.staff,
      ids.theirs,
    ]);
    expect(idsOf(await outbox('admin', { filter: { channel: ['SMS'] } }))).toEqual([ids.theirs]);
    expect(idsOf(await outbox('admin', { filter: { customerId: mine.globalId } }))).toEqual([
      ids.mineClaim,
      ids.mineCancelled,
    ]);
    expect(idsOf(await outbox('admin', { filter: { customerId: 'not-an-id' } }))).toEqual([]);
    expect(
      idsOf(
        await outbox('admin', {
          filter: { createdAfter: '2026-01-02T10:00:00.000Z', createdBefore: '2026-01-04T10:00:00.000Z' },
        }),
      ),
    ).toEqual([ids.theirs, ids.mineClaim]);
    const first = await outbox('admin', { first: 3 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await outbox('admin', { first: 3, after: first.pageInfo.endCursor });
    expect([...idsOf(first), ...idsOf(rest)]).toEqual([ids.staff, ids.theirs, ids.mineClaim, ids.mineCancelled]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses bad filters and paging with precise errors', async () => {
    const errorsOf = async (variables: Record<string, unknown>) => {
      const res = await server.post({ query: OUTBOX, variables }, 'admin');
      return res.errors?.map((e) => [e.extensions?.code, e.extensions?.field ?? null]);
    };
    const tooMany = await server.post({ query: OUTBOX, variables: { first: 101 } }, 'admin');
    expect(expectTopLevelError(tooMany, 400, 'BAD_USER_INPUT').message).toContain('first must be between 1 and 100');
    expect(await errorsOf({ first: 5, after: 'garbage' })).toEqual([['BAD_USER_INPUT', ['after']]]);
    expect(
      await errorsOf({
        filter: { createdAfter: '2026-02-01T00:00:00.000Z', createdBefore: '2026-01-01T00:00:00.000Z' },
      }),
    ).toEqual([['BAD_USER_INPUT', ['filter', 'createdBefore']]]);
    const wrongEnum = await server.post({ query: OUTBOX, variables: { filter: { status: ['LOST'] } } }, 'admin');
    expectTopLevelError(wrongEnum, 400, 'BAD_USER_INPUT');
  });
});

describe('Customer.notifications', () => {
  const LIST = `query L($first: Int!) { customers(first: $first) { edges { node { id notifications(first: 3) { totalCount pageInfo { hasNextPage } edges { node { id type payload } } } } } } }`;

  it('loads in as many statements for 50 customers as for 5, newest first, 3 per customer', async () => {
    const customers = await insertCustomers(server.db, 50);
    await server.db.prisma.notification.createMany({
      data: customers.flatMap((c) =>
        [1, 2, 3, 4].map((i) => ({
          type: 'WELCOME' as const,
          customerId: c.id,
          payload: { n: i },
          createdAt: new Date(Date.UTC(2026, 0, i)),
        })),
      ),
    });
    const token = await server.token('admin');
    const { five, fifty } = await countAtFiveAndFifty(server.db, (first) =>
      server.post({ query: LIST, variables: { first } }, { token } as never),
    );
    type Res = {
      customers: {
        edges: {
          node: {
            id: string;
            notifications: {
              totalCount: number;
              pageInfo: { hasNextPage: boolean };
              edges: { node: { payload: { n: number } } }[];
            };
          };
        }[];
      };
    };
    const data = fifty.result.data as Res;
    expect(fifty.result.errors).toBeUndefined();
    expect(data.customers.edges).toHaveLength(50);
    const seeded = new Set(customers.map((c) => c.globalId));
    for (const { node } of data.customers.edges.filter((e) => seeded.has(e.node.id))) {
      expect(node.notifications.edges.map((e) => e.node.payload.n)).toEqual([4, 3, 2]);
      expect(node.notifications.pageInfo.hasNextPage).toBe(true);
    }
    expect(fifty.statements).toBe(five.statements);
    // The outbox tests of this file count every notification: leave none of these behind,
    // whichever order the tests run in.
    await server.db.prisma.notification.deleteMany({ where: { customerId: { in: customers.map((c) => c.id) } } });
  });

  it("pages one customer's notifications with after", async () => {
    const ONE = `query One($id: ID!, $after: String) { node(id: $id) { ... on Customer { notifications(first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } } } }`;
    type R = {
      node: {
        notifications: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string } }[] };
      };
    };
    const page = async (after?: string) =>
      ((await server.post({ query: ONE, variables: { id: mine.globalId, after } }, 'agent')).data as R).node
        .notifications;
    const p1 = await page();
    const p2 = await page(p1.pageInfo.endCursor);
    expect([...p1.edges, ...p2.edges].map((e) => e.node.id)).toEqual([ids.mineClaim, ids.mineCancelled]);
    expect(p2.pageInfo.hasNextPage).toBe(false);
  });
});

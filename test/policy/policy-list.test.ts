import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { day, insertPolicy } from './policy.documents';

const PolicyList = graphql(`
  query PolicyList($first: Int, $after: String, $filter: PolicyFilter) {
    policies(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { policyNumber insurer status customer { firstName } } }
    }
  }
`);

const PolicyOfCustomer = graphql(`
  query PolicyOfCustomer($id: ID!, $first: Int, $after: String, $filter: PolicyFilter) {
    customer(id: $id) {
      policies(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { node { policyNumber type } }
      }
    }
  }
`);

const PolicyRenewalCandidates = graphql(`
  query PolicyRenewalCandidates($type: PolicyType, $withinDays: Int!, $first: Int, $after: String) {
    renewalCandidates(type: $type, withinDays: $withinDays, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { policyNumber endDate customer { firstName } } }
    }
  }
`);

const PolicyBulkRenew = graphql(`
  mutation PolicyBulkRenew($input: PolicyBulkRenewInput!) {
    policyBulkRenew(input: $input) {
      succeeded
      failed
      results { id success policy { endDate status } userErrors { code field message } }
      userErrors { code field message }
    }
  }
`);

describe('policy lists: policies, Customer.policies, renewalCandidates, policyBulkRenew', () => {
  let server: TestServer;
  let ann: Awaited<ReturnType<typeof insertCustomer>>;
  let bob: Awaited<ReturnType<typeof insertCustomer>>;
  const numbers: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    ann = await insertCustomer(server.db, { firstName: 'Ann', ownerId: server.staffIds.agent });
    bob = await insertCustomer(server.db, { firstName: 'Bob', ownerId: server.staffIds.otherAgent });
    const t0 = Date.now() - 3_600_000;
    const seed = async (key: string, customerId: string, seed: Parameters<typeof insertPolicy>[2], i: number) => {
      numbers[key] = (
        await insertPolicy(server.db, customerId, { ...seed, createdAt: new Date(t0 + i * 1000) })
      ).number;
    };
    await seed(
      'annAuto',
      ann.id,
      { type: 'AUTO', insurer: 'Acme', premium: '50', coverageAmount: '10000', endDate: day(10) },
      1,
    );
    await seed(
      'annHome',
      ann.id,
      { type: 'HOME', insurer: 'Beta', premium: '150', coverageAmount: '300000', endDate: day(40) },
      2,
    );
    await seed(
      'annLife',
      ann.id,
      { type: 'LIFE', insurer: 'acme', premium: '80', coverageAmount: '500000', endDate: day(3000) },
      3,
    );
    await seed('annOld', ann.id, { type: 'AUTO', status: 'CANCELLED', insurer: 'Acme', endDate: day(5) }, 4);
    await seed(
      'bobAuto',
      bob.id,
      { type: 'AUTO', insurer: 'Acme', premium: '60', coverageAmount: '20000', endDate: day(20) },
      5,
    );
  });
  afterAll(() => server.close());

  const list = async (filter: Record<string, unknown> | null, who: 'admin' | 'agent' = 'admin') => {
    const res = await server.gql(PolicyList, { first: 100, filter }, who);
    expect(res.errors).toBeUndefined();
    return res.data!.policies;
  };
  const numbersOf = (connection: { edges: { node: { policyNumber: string } }[] }) =>
    connection.edges.map((e) => e.node.policyNumber);

  it('lists newest first and filters by type, status, insurer (case-insensitive), premium and coverage ranges, expiry window and customer', async () => {
    expect(numbersOf(await list(null))).toEqual([
      numbers.bobAuto,
      numbers.annOld,
      numbers.annLife,
      numbers.annHome,
      numbers.annAuto,
    ]);
    expect(numbersOf(await list({ type: ['AUTO'], status: ['ACTIVE'] }))).toEqual([numbers.bobAuto, numbers.annAuto]);
    expect(numbersOf(await list({ insurer: 'ACME', status: ['ACTIVE'] }))).toEqual([
      numbers.bobAuto,
      numbers.annLife,
      numbers.annAuto,
    ]);
    expect(numbersOf(await list({ premiumMin: '60', premiumMax: '150' }))).toEqual([
      numbers.bobAuto,
      numbers.annOld,
      numbers.annLife,
      numbers.annHome,
    ]);
    expect(numbersOf(await list({ coverageMin: '20000', coverageMax: '300000' }))).toEqual([
      numbers.bobAuto,
      numbers.annOld,
      numbers.annHome,
    ]);
    expect(numbersOf(await list({ expiringWithinDays: 30 }))).toEqual([numbers.bobAuto, numbers.annAuto]);
    expect(numbersOf(await list({ customerId: bob.globalId }))).toEqual([numbers.bobAuto]);
    expect((await list({ type: ['TRAVEL'] })).totalCount).toBe(0);
  });

  it('pages with opaque cursors and counts across pages', async () => {
    const first = await server.gql(PolicyList, { first: 2 });
    expect(first.data!.policies).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    const second = await server.gql(PolicyList, { first: 2, after: first.data!.policies.pageInfo.endCursor });
    const third = await server.gql(PolicyList, { first: 2, after: second.data!.policies.pageInfo.endCursor });
    expect([
      ...numbersOf(first.data!.policies),
      ...numbersOf(second.data!.policies),
      ...numbersOf(third.data!.policies),
    ]).toEqual(numbersOf(await list(null)));
    expect(third.data!.policies.pageInfo.hasNextPage).toBe(false);
  });

  it('shows an agent only the policies of their own customers', async () => {
    expect(numbersOf(await list(null, 'agent'))).toEqual([
      numbers.annOld,
      numbers.annLife,
      numbers.annHome,
      numbers.annAuto,
    ]);
    expect((await list({ customerId: bob.globalId }, 'agent')).totalCount).toBe(0);
  });

  it('a bad filter or cursor is a top-level BAD_USER_INPUT, not an internal error', async () => {
    const days = await server.gql(PolicyList, { filter: { expiringWithinDays: 5000 } });
    expect(days.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['filter', 'expiringWithinDays'],
    });
    const cursor = await server.gql(PolicyList, { after: 'bm90LWEtY3Vyc29y' });
    expect(cursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('Customer.policies pages and filters per customer, with totalCount', async () => {
    const page1 = await server.gql(PolicyOfCustomer, { id: ann.globalId, first: 2 });
    expect(page1.data!.customer!.policies).toMatchObject({
      totalCount: 4,
      pageInfo: { hasNextPage: true, hasPreviousPage: false },
    });
    const page2 = await server.gql(PolicyOfCustomer, {
      id: ann.globalId,
      first: 2,
      after: page1.data!.customer!.policies.pageInfo.endCursor,
    });
    expect(page2.data!.customer!.policies).toMatchObject({
      totalCount: 4,
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
    expect([...numbersOf(page1.data!.customer!.policies), ...numbersOf(page2.data!.customer!.policies)]).toEqual([
      numbers.annOld,
      numbers.annLife,
      numbers.annHome,
      numbers.annAuto,
    ]);
    const past = await server.gql(PolicyOfCustomer, {
      id: ann.globalId,
      first: 2,
      after: page2.data!.customer!.policies.pageInfo.endCursor,
    });
    expect(past.data!.customer!.policies).toMatchObject({ totalCount: 4, edges: [] });
    const autos = await server.gql(PolicyOfCustomer, {
      id: ann.globalId,
      filter: { type: ['AUTO'], status: ['ACTIVE'] },
    });
    expect(autos.data!.customer!.policies).toMatchObject({
      totalCount: 1,
      edges: [{ node: { policyNumber: numbers.annAuto, type: 'AUTO' } }],
    });
  });

  it('renewalCandidates: ACTIVE policies of a type (or all) ending within N days, soonest first, with their customers', async () => {
    const all = await server.gql(PolicyRenewalCandidates, { withinDays: 45 });
    expect(all.data!.renewalCandidates.edges.map((e) => [e.node.policyNumber, e.node.customer.firstName])).toEqual([
      [numbers.annAuto, 'Ann'],
      [numbers.bobAuto, 'Bob'],
      [numbers.annHome, 'Ann'],
    ]);
    const autos = await server.gql(PolicyRenewalCandidates, { type: 'AUTO', withinDays: 15 });
    expect(autos.data!.renewalCandidates).toMatchObject({
      totalCount: 1,
      edges: [{ node: { policyNumber: numbers.annAuto, endDate: day(10) } }],
    });
    const paged = await server.gql(PolicyRenewalCandidates, { withinDays: 45, first: 2 });
    const rest = await server.gql(PolicyRenewalCandidates, {
      withinDays: 45,
      first: 2,
      after: paged.data!.renewalCandidates.pageInfo.endCursor,
    });
    expect(rest.data!.renewalCandidates.edges.map((e) => e.node.policyNumber)).toEqual([numbers.annHome]);
    const agent = await server.gql(PolicyRenewalCandidates, { withinDays: 45 }, 'agent');
    expect(agent.data!.renewalCandidates.edges.map((e) => e.node.customer.firstName)).toEqual(['Ann', 'Ann']);
  });
});

// Its own server: the policies it creates would otherwise show in the lists above, whichever
// order the tests run in.
describe('policyBulkRenew', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('renews each chosen policy on its own and reports every one', async () => {
    const ann = await insertCustomer(server.db, { firstName: 'Ann', ownerId: server.staffIds.agent });
    const bob = await insertCustomer(server.db, { firstName: 'Bob', ownerId: server.staffIds.otherAgent });
    const ok = await insertPolicy(server.db, ann.id, { endDate: day(7) });
    const cancelled = await insertPolicy(server.db, ann.id, { status: 'CANCELLED' });
    const foreign = await insertPolicy(server.db, bob.id, { endDate: day(7) });
    const res = await server.gql(
      PolicyBulkRenew,
      { input: { policyIds: [ok.globalId, cancelled.globalId, foreign.globalId, 'garbage'], termMonths: 12 } },
      'agent',
    );
    const payload = res.data!.policyBulkRenew;
    expect(payload).toMatchObject({ succeeded: 1, failed: 3, userErrors: [] });
    expect(payload.results!.map((r) => [r.success, r.userErrors.map((e) => [e.code, e.field])])).toEqual([
      [true, []],
      [false, [['INVALID_TRANSITION', ['input', 'policyIds', '1']]]],
      [false, [['NOT_FOUND', ['input', 'policyIds', '2']]]],
      [false, [['NOT_FOUND', ['input', 'policyIds', '3']]]],
    ]);
    expect(payload.results![0].policy!.status).toBe('ACTIVE');
    const tooMany = await server.gql(PolicyBulkRenew, {
      input: { policyIds: Array(101).fill(ok.globalId), termMonths: 1 },
    });
    expect(tooMany.data!.policyBulkRenew.userErrors).toEqual([
      expect.objectContaining({ code: 'LIMIT_EXCEEDED', field: ['input', 'policyIds'] }),
    ]);
  });
});

import type { SegmentCriteriaInput } from '../generated/graphql';
import { unchangedAll as unchanged } from './unchanged';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  CustomerSegments,
  CustomersInSegment,
  SegmentArchive,
  SegmentCreate,
  SegmentDelete,
  SegmentMembers,
  SegmentMembersAdd,
  SegmentMembersRemove,
  SegmentNode,
  SegmentPreviewQuery,
  SegmentRecalculate,
  SegmentUpdate,
} from './segment.documents';

const ids = (edges: { node: { id: string } }[]) => edges.map((e) => e.node.id).sort();
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

/** VIP-ish: tagged "vip", spent at least 100, and viewed a product at least twice in 30 days. */
const vipCriteria: SegmentCriteriaInput = {
  and: [
    { condition: { field: 'TAGS', operator: 'CONTAINS', value: 'vip' } },
    { condition: { field: 'TOTAL_SPENT', operator: 'GTE', value: '100.00' } },
    {
      condition: {
        field: 'EVENT_COUNT',
        operator: 'GTE',
        value: 2,
        event: { type: 'product_view', withinLastDays: 30 },
      },
    },
  ],
};

describe('segments over the API', () => {
  let server: TestServer;
  let c: Record<'rich' | 'poor' | 'idle' | 'other' | 'london', { id: string; globalId: string }>;

  const track = (customerId: string, type: string, days: number, times = 1) =>
    server.db.sql.query(
      `INSERT INTO customer_events (customer_id, type, occurred_at) SELECT $1::uuid, $2, $3::timestamptz FROM generate_series(1, $4::int)`,
      [customerId, type, daysAgo(days).toISOString(), times],
    );

  beforeAll(async () => {
    server = await startTestServer();
    const agent = server.staffIds.agent;
    c = {
      rich: await insertCustomer(server.db, {
        ownerId: agent,
        tags: ['vip'],
        totalSpent: '250.00',
        city: 'Paris',
        country: 'FR',
      }),
      poor: await insertCustomer(server.db, { ownerId: agent, tags: ['vip'], totalSpent: '20.00', country: 'FR' }),
      idle: await insertCustomer(server.db, { ownerId: agent, tags: ['vip'], totalSpent: '500.00' }),
      other: await insertCustomer(server.db, {
        ownerId: server.staffIds.otherAgent,
        tags: ['vip'],
        totalSpent: '300.00',
      }),
      london: await insertCustomer(server.db, { tags: ['50%_off'], city: 'London', country: 'GB' }),
    };
    await track(c.rich.id, 'product_view', 3, 2);
    await track(c.poor.id, 'product_view', 1, 5);
    await track(c.idle.id, 'product_view', 45, 4); // too long ago
    await track(c.other.id, 'product_view', 2, 3);
    for (const who of ['admin', 'manager', 'agent', 'analyst'] as const) await server.token(who);
  });
  afterAll(() => server.close());

  it('creates a DYNAMIC segment, computes its members in the database, and exposes them everywhere', async () => {
    const res = await server.gql(
      SegmentCreate,
      { input: { name: ' Engaged VIPs ', criteria: vipCriteria } },
      'manager',
    );
    expect(res.data!.segmentCreate.userErrors).toEqual([]);
    const segment = res.data!.segmentCreate.segment!;
    expect(segment).toMatchObject({ name: 'Engaged VIPs', kind: 'DYNAMIC', status: 'ACTIVE', memberCount: 2 });
    expect(segment.lastCalculatedAt).not.toBeNull();

    const members = await server.gql(SegmentMembers, { id: segment.id }, 'admin');
    expect(ids(members.data!.segment!.customers.edges)).toEqual([c.rich.globalId, c.other.globalId].sort());
    expect(members.data!.segment!.membershipChanges.totalCount).toBe(2);

    // An agent sees only their own customers among the members.
    const asAgent = await server.gql(SegmentMembers, { id: segment.id }, 'agent');
    expect(ids(asAgent.data!.segment!.customers.edges)).toEqual([c.rich.globalId]);
    expect(asAgent.data!.segment!.customers.totalCount).toBe(1);

    const list = await server.gql(CustomersInSegment, { segmentId: segment.id }, 'admin');
    expect(list.data!.customers.totalCount).toBe(2);
    // Segments are readable by every role; node(id) refetches them.
    const node = await server.gql(SegmentNode, { id: segment.id }, 'agent');
    expect(node.data!.node).toEqual({ __typename: 'Segment', id: segment.id, name: 'Engaged VIPs', memberCount: 2 });
    const mine = await server.gql(CustomerSegments, { id: c.rich.globalId }, 'analyst');
    // (other tests of this file may have put the same customer in segments of their own)
    expect(mine.data!.customer!.segments.map((s) => s.name)).toContain('Engaged VIPs');
  });

  it('recalculates set-based: joiners and leavers are recorded as history', async () => {
    const created = await server.gql(
      SegmentCreate,
      {
        input: {
          name: 'Recent viewers',
          criteria: {
            condition: {
              field: 'EVENT_COUNT',
              operator: 'GTE',
              value: 1,
              event: { type: 'checkout', withinLastDays: 7 },
            },
          },
        },
      },
      'admin',
    );
    const id = created.data!.segmentCreate.segment!.id;
    expect(created.data!.segmentCreate.segment!.memberCount).toBe(0);

    await track(c.poor.id, 'checkout', 1);
    await track(c.london.id, 'checkout', 2);
    let run = await server.gql(SegmentRecalculate, { id }, 'manager');
    expect(run.data!.segmentRecalculate.recalculation).toEqual({ memberCount: 2, joined: 2, left: 0 });

    await server.db.sql.query(`DELETE FROM customer_events WHERE customer_id = $1::uuid AND type = 'checkout'`, [
      c.london.id,
    ]);
    run = await server.gql(SegmentRecalculate, { id }, 'manager');
    expect(run.data!.segmentRecalculate.recalculation).toEqual({ memberCount: 1, joined: 0, left: 1 });

    const members = await server.gql(SegmentMembers, { id }, 'admin');
    const history = members.data!.segment!.membershipChanges.edges.map((e) => [e.node.change, e.node.customer.id]);
    expect(history[0]).toEqual(['LEFT', c.london.globalId]); // newest first
    expect(members.data!.segment!.membershipChanges.edges.map((e) => e.node.change).sort()).toEqual([
      'JOINED',
      'JOINED',
      'LEFT',
    ]);
  });

  it("previews a tree without saving anything, within the caller's visibility", async () => {
    const criteria: SegmentCriteriaInput = {
      or: [
        { condition: { field: 'CITY', operator: 'STARTS_WITH', value: 'par' } },
        { condition: { field: 'TAGS', operator: 'CONTAINS', value: '50%_off' } },
      ],
    };
    const res = await unchanged(server.db, () => server.gql(SegmentPreviewQuery, { criteria, first: 10 }, 'admin'));
    expect(res.errors).toBeUndefined();
    expect(res.data!.segmentPreview.count).toBe(2);
    expect(ids(res.data!.segmentPreview.customers.map((x) => ({ node: x })))).toEqual(
      [c.rich.globalId, c.london.globalId].sort(),
    );
    const agent = await server.gql(SegmentPreviewQuery, { criteria }, 'agent');
    expect(agent.data!.segmentPreview.count).toBe(1);
    // LIKE metacharacters in a value match literally: "50%" is not a wildcard.
    const literal = await server.gql(
      SegmentPreviewQuery,
      { criteria: { condition: { field: 'CITY', operator: 'CONTAINS', value: '%' } } },
      'admin',
    );
    expect(literal.data!.segmentPreview.count).toBe(0);
  });

  it('refuses invalid trees with the path of the bad part and leaves the database unchanged', async () => {
    const bad = async (criteria: SegmentCriteriaInput) => {
      const res = await unchanged(server.db, () =>
        server.gql(SegmentCreate, { input: { name: 'Bad', criteria } }, 'admin'),
      );
      return res.data!.segmentCreate.userErrors.map((e) => [e.code, e.field!.join('.')]);
    };
    expect(
      await bad({
        and: [
          { condition: { field: 'STATUS', operator: 'EQ', value: 'ACTIVE' } },
          { condition: { field: 'TOTAL_SPENT', operator: 'GT', value: 'lots' } },
        ],
      }),
    ).toEqual([['VALIDATION', 'input.criteria.and.1.condition.value']]);
    expect(await bad({ condition: { field: 'STATUS', operator: 'GT', value: 'ACTIVE' } })).toEqual([
      ['VALIDATION', 'input.criteria.condition.operator'],
    ]);
    expect(await bad({ and: [], or: [] })).toEqual([['VALIDATION', 'input.criteria']]);
    expect(await bad({ condition: { field: 'EVENT_COUNT', operator: 'GTE', value: 1 } })).toEqual([
      ['VALIDATION', 'input.criteria.condition.event'],
    ]);
    let deep: SegmentCriteriaInput = { condition: { field: 'AGE', operator: 'GT', value: 30 } };
    for (let i = 0; i < 6; i++) deep = { not: deep };
    expect((await bad(deep))[0]).toEqual(['VALIDATION', 'input.criteria.not.not.not.not.not']);
    const wide = {
      or: Array.from({ length: 51 }, () => ({
        condition: { field: 'AGE' as const, operator: 'GT' as const, value: 1 },
      })),
    };
    expect((await bad(wide))[0][0]).toBe('VALIDATION');
    expect(await bad({ condition: { field: 'SEGMENT', operator: 'EQ', segmentId: c.rich.globalId } })).toEqual([
      ['NOT_FOUND', 'input.criteria.condition.segmentId'],
    ]);
    // The taken name is this test's own, so the check does not depend on which tests ran before.
    const taken = await server.gql(SegmentCreate, { input: { name: 'Taken name', criteria: vipCriteria } }, 'admin');
    expect(taken.data!.segmentCreate.userErrors).toEqual([]);
    const dup = await unchanged(server.db, () =>
      server.gql(SegmentCreate, { input: { name: 'Taken name', criteria: vipCriteria } }, 'admin'),
    );
    expect(dup.data!.segmentCreate.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['DUPLICATE', ['input', 'name']],
    ]);
    const noTree = await unchanged(server.db, () => server.gql(SegmentCreate, { input: { name: 'No tree' } }, 'admin'));
    expect(noTree.data!.segmentCreate.userErrors.map((e) => e.field)).toEqual([['input', 'criteria']]);
  });

  it('refuses a reference that would make a cycle of segments', async () => {
    const a = (
      await server.gql(
        SegmentCreate,
        { input: { name: 'A', criteria: { condition: { field: 'AGE', operator: 'IS_EMPTY', value: true } } } },
        'admin',
      )
    ).data!.segmentCreate.segment!.id;
    const b = (
      await server.gql(
        SegmentCreate,
        { input: { name: 'B', criteria: { condition: { field: 'SEGMENT', operator: 'EQ', segmentId: a } } } },
        'admin',
      )
    ).data!.segmentCreate.segment!;
    // Nobody has a birth date, so B (members of A) holds every customer of the database.
    const [everyone] = await server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
    expect(everyone.n).toBeGreaterThan(0);
    expect(b.memberCount).toBe(everyone.n);
    const res = await unchanged(server.db, () =>
      server.gql(
        SegmentUpdate,
        { id: a, input: { criteria: { and: [{ condition: { field: 'SEGMENT', operator: 'NE', segmentId: b.id } }] } } },
        'admin',
      ),
    );
    expect(res.data!.segmentUpdate.userErrors.map((e) => [e.code, e.field!.join('.')])).toEqual([
      ['VALIDATION', 'input.criteria.and.0.condition.segmentId'],
    ]);
    const used = await unchanged(server.db, () => server.gql(SegmentDelete, { id: a }, 'admin'));
    expect(used.data!.segmentDelete.userErrors[0].code).toBe('VALIDATION');
    expect((await server.gql(SegmentDelete, { id: b.id }, 'admin')).data!.segmentDelete.deletedSegmentId).toBe(b.id);
    expect((await server.gql(SegmentArchive, { id: a }, 'admin')).data!.segmentArchive.segment!.status).toBe(
      'ARCHIVED',
    );
  });

  it('keeps STATIC members by hand with per-item results', async () => {
    const id = (await server.gql(SegmentCreate, { input: { name: 'Hand picked', kind: 'STATIC' } }, 'admin')).data!
      .segmentCreate.segment!.id;
    const add = await server.gql(
      SegmentMembersAdd,
      { id, customerIds: [c.rich.globalId, 'nonsense', c.poor.globalId, c.rich.globalId] },
      'manager',
    );
    const payload = add.data!.segmentMembersAdd;
    expect(payload.segment!.memberCount).toBe(2);
    expect(
      payload.results!.map((r) => [r.success, r.userErrors.map((e) => `${e.code}:${e.field!.join('.')}`)]),
    ).toEqual([
      [true, []],
      [false, ['NOT_FOUND:customerIds.1']],
      [true, []],
      [true, []],
    ]);
    const remove = await server.gql(
      SegmentMembersRemove,
      { id, customerIds: [c.poor.globalId, c.london.globalId] },
      'manager',
    );
    expect(remove.data!.segmentMembersRemove.results!.map((r) => r.success)).toEqual([true, false]);
    expect(remove.data!.segmentMembersRemove.segment!.memberCount).toBe(1);
    const dynamic = await unchanged(server.db, () => server.gql(SegmentRecalculate, { id }, 'admin'));
    expect(dynamic.data!.segmentRecalculate.userErrors.map((e) => e.field)).toEqual([['id']]);
  });

  it('answers unknown segment ids with NOT_FOUND on id and writes nothing', async () => {
    const unknown = Buffer.from('Segment:00000000-0000-4000-8000-000000000000').toString('base64url');
    for (const id of [unknown, 'garbage', c.rich.globalId]) {
      const results = await unchanged(server.db, async () => [
        (await server.gql(SegmentUpdate, { id, input: { name: 'X' } }, 'admin')).data!.segmentUpdate.userErrors,
        (await server.gql(SegmentArchive, { id }, 'admin')).data!.segmentArchive.userErrors,
        (await server.gql(SegmentDelete, { id }, 'admin')).data!.segmentDelete.userErrors,
        (await server.gql(SegmentRecalculate, { id }, 'admin')).data!.segmentRecalculate.userErrors,
        (await server.gql(SegmentMembersAdd, { id, customerIds: [c.rich.globalId] }, 'admin')).data!.segmentMembersAdd
          .userErrors,
        (await server.gql(SegmentMembersRemove, { id, customerIds: [c.rich.globalId] }, 'admin')).data!
          .segmentMembersRemove.userErrors,
      ]);
      for (const errors of results) expect(errors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['id']]]);
    }
    const members = await unchanged(server.db, () =>
      server.gql(SegmentMembersAdd, { id: unknown, customerIds: [] }, 'admin'),
    );
    expect(members.data!.segmentMembersAdd.userErrors.map((e) => e.code)).toEqual(['LIMIT_EXCEEDED']);
  });

  it('lets only MANAGER/ADMIN manage segments', async () => {
    for (const who of ['agent', 'analyst'] as const) {
      const res = await unchanged(server.db, () =>
        server.gql(SegmentCreate, { input: { name: `By ${who}`, criteria: vipCriteria } }, who),
      );
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });
});

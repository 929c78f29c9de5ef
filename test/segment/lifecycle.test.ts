import { graphql } from '../generated';
import { lifecycleCriteria, type LifecycleThresholdRow } from '../../src/modules/segment/segment.lifecycle';
import { validateCriteria } from '../../src/modules/segment/segment.rules';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const RecalculateAll = graphql(`
  mutation SegmentRecalculateAll {
    segmentRecalculateAll { recalculated userErrors { code } }
  }
`);

const Stages = graphql(`
  query LifecycleStages($first: Int) {
    segments(first: $first) { edges { node { name lifecycleStage memberCount customers(first: 10) { edges { node { id } } } } } }
  }
`);

const DEFAULTS: LifecycleThresholdRow[] = [
  {
    stage: 'CHURNED',
    position: 1,
    signupWithinDays: null,
    minOrders: 1,
    minTotalSpent: null,
    lastOrderWithinDays: null,
    lastOrderNotWithinDays: 365,
  },
  {
    stage: 'AT_RISK',
    position: 2,
    signupWithinDays: null,
    minOrders: 1,
    minTotalSpent: null,
    lastOrderWithinDays: null,
    lastOrderNotWithinDays: 90,
  },
  {
    stage: 'VIP',
    position: 3,
    signupWithinDays: null,
    minOrders: 1,
    minTotalSpent: '1000',
    lastOrderWithinDays: 90,
    lastOrderNotWithinDays: null,
  },
  {
    stage: 'REGULAR',
    position: 4,
    signupWithinDays: null,
    minOrders: 2,
    minTotalSpent: null,
    lastOrderWithinDays: 90,
    lastOrderNotWithinDays: null,
  },
  {
    stage: 'NEW',
    position: 5,
    signupWithinDays: 30,
    minOrders: null,
    minTotalSpent: null,
    lastOrderWithinDays: null,
    lastOrderNotWithinDays: null,
  },
];

describe('lifecycle criteria from thresholds', () => {
  it('makes each stage exclude the stages before it, within the rule-tree limits', () => {
    const trees = lifecycleCriteria(DEFAULTS);
    expect([...trees.keys()]).toEqual(['CHURNED', 'AT_RISK', 'VIP', 'REGULAR', 'NEW']);
    expect(trees.get('CHURNED')).toEqual({
      and: [
        { condition: { field: 'ORDER_COUNT', operator: 'GTE', value: 1 } },
        { condition: { field: 'LAST_ORDER_AT', operator: 'NOT_WITHIN_LAST_DAYS', value: 365 } },
      ],
    });
    const newStage = trees.get('NEW') as { and: unknown[] };
    expect((newStage.and[1] as { not: { or: unknown[] } }).not.or).toHaveLength(4);
    for (const tree of trees.values())
      expect(validateCriteria(tree as never, ['criteria'], () => null).issues).toEqual([]);
  });
});

describe('lifecycle segments in the database', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startTestServer()));
  afterAll(() => server.close());

  it('puts each customer in exactly one stage by recency, frequency and spend', async () => {
    const day = 86_400_000;
    const withOrders = async (placedDaysAgo: number[], total: string, createdDaysAgo = 400) => {
      const c = await insertCustomer(server.db, {
        totalSpent: total,
        createdAt: new Date(Date.now() - createdDaysAgo * day),
      });
      for (const [i, d] of placedDaysAgo.entries()) {
        await server.db.sql.query(
          `INSERT INTO orders (number, customer_id, total, currency, status, placed_at) VALUES ($1, $2::uuid, 10, 'USD', 'COMPLETED', $3::timestamptz)`,
          [`O-${c.id}-${i}`, c.id, new Date(Date.now() - d * day).toISOString()],
        );
      }
      await server.db.sql.query(`UPDATE customers SET order_count = $2 WHERE id = $1::uuid`, [
        c.id,
        placedDaysAgo.length,
      ]);
      return c.globalId;
    };
    const expected = {
      CHURNED: await withOrders([500], '50'),
      AT_RISK: await withOrders([120, 200], '80'),
      VIP: await withOrders([10], '1500'),
      REGULAR: await withOrders([5, 40], '90'),
      NEW: await withOrders([], '0', 3),
    };
    await withOrders([], '0'); // an old prospect without orders: no stage

    const run = await server.gql(RecalculateAll, {}, 'admin');
    expect(run.data!.segmentRecalculateAll.recalculated).toBe(5);
    const res = await server.gql(Stages, { first: 20 }, 'admin');
    const stages = Object.fromEntries(
      res
        .data!.segments.edges.filter((e) => e.node.lifecycleStage)
        .map((e) => [e.node.lifecycleStage, e.node.customers.edges.map((x) => x.node.id)]),
    );
    expect(stages).toEqual(Object.fromEntries(Object.entries(expected).map(([stage, id]) => [stage, [id]])));
  });
});

describe('scheduled recalculation', () => {
  let server: TestServer;
  beforeAll(
    async () =>
      (server = await startTestServer({
        jobsEnabled: true,
        jobsPollMs: 100,
        jobIntervals: { segment_recalculation: 1000 },
      })),
  );
  afterAll(() => server.close());

  it('recalculates due segments on its own', async () => {
    await insertCustomer(server.db, { tags: ['late'] });
    await server.db.sql.query(
      `INSERT INTO segments (name, kind, criteria) VALUES ('Late joiners', 'DYNAMIC', '{"condition":{"field":"TAGS","operator":"CONTAINS","value":"late"}}')`,
    );
    const deadline = Date.now() + 10_000;
    let count = 0;
    while (Date.now() < deadline && count === 0) {
      await new Promise((r) => setTimeout(r, 250));
      count = (
        await server.db.sql.query<{ member_count: number }>(
          `SELECT member_count FROM segments WHERE name = 'Late joiners'`,
        )
      )[0].member_count;
    }
    expect(count).toBe(1);
  });
});

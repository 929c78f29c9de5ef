// customers.totalCountEstimate: PostgreSQL's row estimate for the list's own filter and
// visibility (EXPLAIN of the same WHERE), beside the exact totalCount. On a small, freshly
// analysed table the planner's statistics cover every row, so the estimate is close to the count.
import { graphql } from '../generated';
import type { CustomerFilter } from '../generated/graphql';
import { insertCustomer } from '../helpers/factories';
import { countStatements, startTestServer, type StaffKey, type TestServer } from '../helpers/server';

const Counts = graphql(`
  query CustomerCounts($filter: CustomerFilter) {
    customers(first: 1, filter: $filter) {
      totalCount
      totalCountEstimate
    }
  }
`);

const EstimateOnly = graphql(`
  query CustomerCountEstimate($filter: CustomerFilter) {
    customers(first: 1, filter: $filter) {
      totalCountEstimate
    }
  }
`);

const CountOnly = graphql(`
  query CustomerCountExact($filter: CustomerFilter) {
    customers(first: 1, filter: $filter) {
      totalCount
    }
  }
`);

const N = 60;
const STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'INACTIVE', 'SUSPENDED'] as const;
const COUNTRIES = ['US', 'DE', 'FR'] as const;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  for (let i = 0; i < N; i++) {
    await insertCustomer(server.db, {
      status: STATUSES[i % STATUSES.length],
      country: COUNTRIES[i % COUNTRIES.length],
      ownerId: i % 4 === 0 ? server.staffIds.agent : null,
    });
  }
  // What autovacuum does on PostgreSQL after a bulk change (PGlite has none): fresh statistics.
  await server.db.sql.exec('ANALYZE customers, addresses');
});
afterAll(() => server.close());

async function counts(filter: CustomerFilter | null, who: StaffKey = 'admin') {
  const res = await server.gql(Counts, { filter }, who);
  expect(res.errors).toBeUndefined();
  return res.data!.customers;
}

describe('customers.totalCountEstimate', () => {
  it('without a filter is the table estimate, exact on a freshly analysed small table', async () => {
    const { totalCount, totalCountEstimate } = await counts(null);
    expect(totalCount).toBe(N);
    expect(totalCountEstimate).toBe(N);
  });

  it.each<[string, CustomerFilter, number]>([
    ['status', { status: ['ACTIVE'] }, 36],
    ['status and country (S5 of the benchmark)', { status: ['ACTIVE'], country: 'US' }, 12],
    ['country', { country: 'DE' }, 20],
  ])('follows the filter: %s', async (_name, filter, expected) => {
    const { totalCount, totalCountEstimate } = await counts(filter);
    expect(totalCount).toBe(expected);
    expect(Number.isInteger(totalCountEstimate)).toBe(true);
    expect(totalCountEstimate).toBeGreaterThanOrEqual(0);
    // The planner multiplies the selectivities of the conditions (assumed independent).
    expect(Math.abs(totalCountEstimate - expected)).toBeLessThanOrEqual(Math.max(3, expected * 0.35));
  });

  it("is an agent's estimate of their own customers, not of everyone's", async () => {
    const { totalCount, totalCountEstimate } = await counts(null, 'agent');
    expect(totalCount).toBe(N / 4);
    expect(Math.abs(totalCountEstimate - N / 4)).toBeLessThanOrEqual(3);
  });

  it('is about 0 when nothing matches (never negative)', async () => {
    const { totalCount, totalCountEstimate } = await counts({ country: 'JP' });
    expect(totalCount).toBe(0);
    expect(totalCountEstimate).toBeGreaterThanOrEqual(0);
    expect(totalCountEstimate).toBeLessThanOrEqual(1);
  });

  it('is explained, not counted: one EXPLAIN and no COUNT when only the estimate is selected', async () => {
    await server.token('admin'); // log in outside the counted window
    const { result, sql } = await countStatements(server.db, () =>
      server.gql(EstimateOnly, { filter: { status: ['ACTIVE'], country: 'US' } }),
    );
    expect(result.errors).toBeUndefined();
    expect(sql.filter((s) => s.startsWith('EXPLAIN'))).toHaveLength(1);
    expect(sql.some((s) => /count\(/i.test(s))).toBe(false);
  });

  it('a list without it runs no EXPLAIN', async () => {
    await server.token('admin');
    const { sql } = await countStatements(server.db, () => server.gql(CountOnly, { filter: { status: ['ACTIVE'] } }));
    expect(sql.some((s) => /count\(/i.test(s))).toBe(true);
    expect(sql.some((s) => s.startsWith('EXPLAIN'))).toBe(false);
  });
});

import { graphql } from '../generated';
import { insertCustomers } from '../helpers/factories';
import { countStatements, startTestServer, type TestServer } from '../helpers/server';
import { insertPolicy } from './policy.documents';

const PolicyCustomersWithPolicies = graphql(`
  query PolicyCustomersWithPolicies($first: Int!) {
    customers(first: $first) {
      edges {
        node {
          id
          policies(first: 10) { edges { node { policyNumber claims { status } } } }
          coverage { gaps { code } }
          riskScore { score }
        }
      }
    }
  }
`);

const PolicyCustomersEverything = graphql(`
  query PolicyCustomersEverything($first: Int!) {
    customers(first: $first) {
      edges {
        node {
          policies(first: 3, filter: { status: [ACTIVE] }) {
            totalCount
            edges { node { customer { firstName } premiumHistory { newPremium changedBy { name } } renewals { newEndDate } claims { claimNumber currency policy { policyNumber } } } }
          }
          claims(first: 5) { totalCount edges { node { claimNumber amount } } }
          riskScore { score factors { claims } }
        }
      }
    }
  }
`);

describe('policies, claims and risk scores under a customer list keep the statement count flat', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token('admin');
    // Load the caller's staff record now, so whichever test runs first counts only its own query.
    await server.post({ query: '{ __typename }' }, 'admin');
    const customers = await insertCustomers(server.db, 50, { ownerId: server.staffIds.agent, addresses: 0 });
    for (const customer of customers) {
      for (const type of ['AUTO', 'HOME'] as const) {
        const policy = await insertPolicy(server.db, customer.id, { type });
        await server.db.prisma.claim.create({ data: { policyId: policy.id, amount: '100' } });
        await server.db.prisma.policyPremiumChange.create({
          data: {
            policyId: policy.id,
            oldPremium: '90',
            newPremium: '100',
            reason: 'seed',
            changedById: server.staffIds.agent,
          },
        });
      }
      await server.db.prisma.customer.update({
        where: { id: customer.id },
        data: {
          riskScore: 700,
          riskScoreComputedAt: new Date(),
          riskScoreFactors: { age: null, claims: 2, latePayments: 0, yearsAsCustomer: 0 },
        },
      });
    }
  });
  afterAll(() => server.close());

  it('customers(first: N) { policies { claims { status } } coverage { gaps { code } } riskScore }: as many statements for N = 5 as for N = 50', async () => {
    const five = await countStatements(server.db, () =>
      server.gql(PolicyCustomersWithPolicies, { first: 5 }, { token }),
    );
    const fifty = await countStatements(server.db, () =>
      server.gql(PolicyCustomersWithPolicies, { first: 50 }, { token }),
    );
    expect(five.result.errors).toBeUndefined();
    expect(fifty.result.errors).toBeUndefined();
    const edges = fifty.result.data!.customers.edges;
    expect(edges).toHaveLength(50);
    expect(
      edges.every(
        (e) =>
          e.node.policies.edges.length === 2 &&
          e.node.policies.edges.every((p) => p.node.claims.length === 1) &&
          e.node.riskScore?.score === 700,
      ),
    ).toBe(true);
    // No LIFE or HEALTH policy among AUTO and HOME: every customer has those gaps.
    expect(
      edges.every((e) => ['NO_LIFE', 'NO_HEALTH'].every((code) => e.node.coverage.gaps.some((g) => g.code === code))),
    ).toBe(true);
    // One statement each: the customer page's keys, its rows with their first policy pages (the
    // planner: only the selected columns), the claims, all policies of the page's customers for
    // the coverage analysis, and the coverage settings (thresholds are data an ADMIN changes,
    // read once per request).
    expect(five.statements).toBe(5);
    expect(fifty.statements).toBe(five.statements);
  });

  it('the same holds with totals, histories, per-customer claim pages and links back to customers and policies', async () => {
    const five = await countStatements(server.db, () => server.gql(PolicyCustomersEverything, { first: 5 }, { token }));
    const fifty = await countStatements(server.db, () =>
      server.gql(PolicyCustomersEverything, { first: 50 }, { token }),
    );
    expect(five.result.errors).toBeUndefined();
    expect(fifty.result.data!.customers.edges).toHaveLength(50);
    expect(fifty.statements).toBe(five.statements);
    // Page keys and rows, policy pages (filtered: the loader's), claim pages, then one each: customers, premium history, its staff, renewals, claims, their policies.
    expect(five.statements).toBe(10);
  });
});

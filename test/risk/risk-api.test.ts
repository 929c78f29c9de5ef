import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { countStatements, startTestServer, type TestServer } from '../helpers/server';
import { databaseSnapshot } from '../helpers/snapshot';
import { day, insertPolicy } from '../policy/policy.documents';

const RiskOfCustomer = graphql(`
  query RiskOfCustomer($id: ID!) {
    customer(id: $id) { riskScore { score computedAt factors { age claims latePayments yearsAsCustomer } } }
  }
`);

const RiskRecompute = graphql(`
  mutation RiskRecompute($customerId: ID!) {
    customerRiskScoreRecompute(customerId: $customerId) {
      riskScore { score computedAt factors { age claims latePayments yearsAsCustomer } }
      customer { id riskScore { score } }
      userErrors { code field message }
    }
  }
`);

const yearsAgo = (years: number, days = 0) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() - days));
};

describe('Customer.riskScore and customerRiskScoreRecompute', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    // Log in and load each caller's staff record now, so that whichever test runs first counts
    // only its own query's statements.
    for (const who of ['admin'] as const) await server.post({ query: '{ __typename }' }, who);
  });
  afterAll(() => server.close());

  /** A customer aged `age`, a customer for `years` full years, with claims in the given statuses. */
  const customerWith = async (
    age: number,
    years: number,
    latePayments: number,
    claims: ('FILED' | 'REJECTED' | 'PAID')[],
    ownerId?: string,
  ) => {
    const customer = await insertCustomer(server.db, {
      birthDate: yearsAgo(age, 10),
      createdAt: yearsAgo(years, 10),
      ownerId,
    });
    const policy = await insertPolicy(server.db, customer.id, { coverageAmount: '100000' });
    // `latePayments` instalments paid two days late, plus one paid on time and one not due yet (neither counts).
    const dueOn = (days: number) => new Date(`${day(days)}T00:00:00Z`);
    await server.db.prisma.policyPremiumPayment.createMany({
      data: [
        ...Array.from({ length: latePayments }, (_, i) => ({
          policyId: policy.id,
          dueOn: dueOn(-29 + i),
          paidOn: dueOn(-27 + i),
          amount: '100',
        })),
        { policyId: policy.id, dueOn: dueOn(-5), paidOn: dueOn(-6), amount: '100' },
        { policyId: policy.id, dueOn: dueOn(3), paidOn: null, amount: '100' },
      ],
    });
    for (const status of claims)
      await server.db.prisma.claim.create({ data: { policyId: policy.id, amount: '10', status } });
    return customer;
  };

  it('is null until recomputed: reading never computes or writes', async () => {
    const customer = await customerWith(40, 1, 0, []);
    const before = await databaseSnapshot(server.db);
    const read = await countStatements(server.db, () => server.gql(RiskOfCustomer, { id: customer.globalId }));
    expect(read.result.data!.customer!.riskScore).toBeNull();
    expect(read.sql.every((s) => /^\s*SELECT/i.test(s))).toBe(true);
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it('recomputes from age, claims (all but REJECTED), late payments and years as a customer, and stores score, time and inputs', async () => {
    const customer = await customerWith(22, 3, 2, ['FILED', 'PAID', 'REJECTED']);
    const res = await server.gql(RiskRecompute, { customerId: customer.globalId }, 'agent');
    expect(res.data!.customerRiskScoreRecompute.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]); // not the agent's customer
    const ok = await server.gql(RiskRecompute, { customerId: customer.globalId });
    const payload = ok.data!.customerRiskScoreRecompute;
    // 700 − 50 (under 25) − 2 × 25 (claims) − 2 × 15 (late payments) + 3 × 10 (years)
    expect(payload.riskScore).toMatchObject({
      score: 600,
      factors: { age: 22, claims: 2, latePayments: 2, yearsAsCustomer: 3 },
    });
    expect(payload.customer!.riskScore!.score).toBe(600);
    expect(Math.abs(Date.parse(payload.riskScore!.computedAt) - Date.now())).toBeLessThan(60_000);

    const stored = await server.db.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect([stored.riskScore, stored.riskScoreComputedAt?.toISOString(), stored.version]).toEqual([
      600,
      payload.riskScore!.computedAt,
      1,
    ]);
    const read = await server.gql(RiskOfCustomer, { id: customer.globalId }, 'analyst');
    expect(read.data!.customer!.riskScore).toEqual(payload.riskScore);
    expect(
      await server.db.prisma.auditEntry.count({
        where: { entityId: customer.id, action: 'customer.riskScore.recompute' },
      }),
    ).toBe(1);
  });

  it('keeps the stored score until recomputed again', async () => {
    const customer = await customerWith(60, 10, 0, []);
    const first = await server.gql(RiskRecompute, { customerId: customer.globalId });
    expect(first.data!.customerRiskScoreRecompute.riskScore!.score).toBe(780); // 700 + 30 + 50 (capped)
    const policy = await server.db.prisma.policy.findFirstOrThrow({ where: { customerId: customer.id } });
    await server.db.prisma.claim.createMany({
      data: Array.from({ length: 4 }, () => ({ policyId: policy.id, amount: '1' })),
    });
    expect((await server.gql(RiskOfCustomer, { id: customer.globalId })).data!.customer!.riskScore!.score).toBe(780);
    const second = await server.gql(RiskRecompute, { customerId: customer.globalId });
    expect(second.data!.customerRiskScoreRecompute.riskScore).toMatchObject({ score: 680, factors: { claims: 4 } });
  });

  it('clamps at 300 however bad the inputs', async () => {
    const customer = await customerWith(19, 0, 20, Array(20).fill('FILED'));
    const res = await server.gql(RiskRecompute, { customerId: customer.globalId });
    expect(res.data!.customerRiskScoreRecompute.riskScore).toMatchObject({
      score: 300,
      factors: { age: 19, claims: 20, latePayments: 20, yearsAsCustomer: 0 },
    });
  });

  it('is for writers on visible customers: an analyst is FORBIDDEN, an agent may recompute their own customer', async () => {
    const customer = await customerWith(30, 0, 0, [], server.staffIds.agent);
    const analyst = await server.gql(RiskRecompute, { customerId: customer.globalId }, 'analyst');
    expect(analyst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const agent = await server.gql(RiskRecompute, { customerId: customer.globalId }, 'agent');
    expect(agent.data!.customerRiskScoreRecompute.riskScore!.score).toBe(700);
  });
});

// Premium payments through HTTP: recorded per policy (due, paid, late), listed as a connection
// (one statement for a list of policies), feeding the risk score's late-payment input.
import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { expectNoLeak, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { countStatements, startTestServer, type StaffKey, type TestServer } from '../helpers/server';
import { day, insertPolicy } from '../policy/policy.documents';

const PaymentRecord = graphql(`
  mutation PaymentRecord($policyId: ID!, $input: PolicyPremiumPaymentRecordInput!) {
    policyPremiumPaymentRecord(policyId: $policyId, input: $input) {
      premiumPayment { dueOn amount paidOn late daysLate policy { policyNumber } }
      policy { policyNumber premiumPayments(first: 10) { totalCount edges { node { dueOn paidOn late daysLate } } } }
      userErrors { code field message }
    }
  }
`);

const PaymentsOfPolicy = graphql(`
  query PaymentsOfPolicy($id: ID!, $first: Int!, $after: String) {
    node(id: $id) {
      ... on Policy {
        premiumPayments(first: $first, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { dueOn amount paidOn late daysLate } }
        }
      }
    }
  }
`);

const PaymentsOfPolicies = graphql(`
  query PaymentsOfPolicies($first: Int!) {
    policies(first: $first) {
      edges { node { policyNumber premiumPayments(first: 3) { totalCount edges { node { dueOn late } } } } }
    }
  }
`);

const RiskRecompute = graphql(`
  mutation PaymentRiskRecompute($customerId: ID!) {
    customerRiskScoreRecompute(customerId: $customerId) {
      riskScore { score factors { latePayments } }
      userErrors { code field message }
    }
  }
`);

describe('policyPremiumPaymentRecord and Policy.premiumPayments', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    // Log in and load each caller's staff record now, so that whichever test runs first counts
    // only its own query's statements.
    for (const who of ['admin', 'agent'] as const) await server.post({ query: '{ __typename }' }, who);
  });
  afterAll(() => server.close());

  /** A customer of the agent, 40 years a customer-free baseline, with one policy that started 60 days ago. */
  async function policyOfAgent() {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const policy = await insertPolicy(server.db, customer.id, { startDate: day(-60), endDate: day(300) });
    return { customer, policy };
  }
  const record = async (
    policyId: string,
    input: { dueOn: string; amount: string; paidOn?: string | null },
    who: StaffKey = 'agent',
  ) => {
    const res = await server.gql(PaymentRecord, { policyId, input }, who);
    expect(res.errors).toBeUndefined();
    return res.data!.policyPremiumPaymentRecord;
  };

  it('records an instalment as due, then as paid late; an on-time one is not late; the risk score counts the late ones', async () => {
    const { customer, policy } = await policyOfAgent();
    const due = await record(policy.globalId, { dueOn: day(-40), amount: '100.00' });
    expect(due.userErrors).toEqual([]);
    expect(due.premiumPayment).toMatchObject({
      dueOn: day(-40),
      amount: '100',
      paidOn: null,
      late: true,
      daysLate: 40,
    });

    const paid = await record(policy.globalId, { dueOn: day(-40), amount: '100', paidOn: day(-35) });
    expect(paid.userErrors).toEqual([]);
    expect(paid.premiumPayment).toMatchObject({ paidOn: day(-35), late: true, daysLate: 5 });

    const onTime = await record(policy.globalId, { dueOn: day(-10), amount: '100', paidOn: day(-12) }, 'manager');
    expect(onTime.premiumPayment).toMatchObject({ late: false, daysLate: 0 });
    const notYetDue = await record(policy.globalId, { dueOn: day(20), amount: '100' });
    expect(notYetDue.premiumPayment).toMatchObject({ late: false, daysLate: 0 });
    expect(notYetDue.policy!.premiumPayments).toMatchObject({
      totalCount: 3,
      edges: [{ node: { dueOn: day(20) } }, { node: { dueOn: day(-10) } }, { node: { dueOn: day(-40) } }],
    });

    // Retrying the same record changes nothing (no second audit entry).
    expect((await record(policy.globalId, { dueOn: day(-40), amount: '100', paidOn: day(-35) })).userErrors).toEqual(
      [],
    );
    expect(
      await server.db.prisma.auditEntry.findMany({
        where: { entityId: policy.id, action: 'policy.premiumPayment.record' },
        select: { changedFields: true, actorId: true },
        orderBy: { id: 'asc' },
      }),
    ).toEqual([
      { changedFields: ['premiumPayments.dueOn', 'premiumPayments.amount'], actorId: server.staffIds.agent },
      { changedFields: ['premiumPayments.paidOn'], actorId: server.staffIds.agent },
      {
        changedFields: ['premiumPayments.dueOn', 'premiumPayments.amount', 'premiumPayments.paidOn'],
        actorId: server.staffIds.manager,
      },
      { changedFields: ['premiumPayments.dueOn', 'premiumPayments.amount'], actorId: server.staffIds.agent },
    ]);

    // 700 (age unknown, new customer) − 15 × 1 late payment.
    const risk = (await server.gql(RiskRecompute, { customerId: customer.globalId }, 'agent')).data!
      .customerRiskScoreRecompute;
    expect(risk).toMatchObject({ userErrors: [], riskScore: { score: 685, factors: { latePayments: 1 } } });

    // An unpaid instalment past its due date is late too.
    await record(policy.globalId, { dueOn: day(-3), amount: '100' });
    const again = (await server.gql(RiskRecompute, { customerId: customer.globalId }, 'agent')).data!
      .customerRiskScoreRecompute;
    expect(again.riskScore).toMatchObject({ score: 670, factors: { latePayments: 2 } });
  });

  it('pages a policy\u2019s instalments latest due first, with a total on every page', async () => {
    const { policy } = await policyOfAgent();
    for (const days of [-50, -40, -30, -20, -10]) await record(policy.globalId, { dueOn: day(days), amount: '80' });
    type Page = {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor?: string | null };
      edges: { node: { dueOn: string } }[];
    };
    const pageOf = (data: unknown) => (data as { node: { premiumPayments: Page } }).node.premiumPayments;
    const first = await server.gql(PaymentsOfPolicy, { id: policy.globalId, first: 2 }, 'analyst');
    const page1 = pageOf(first.data);
    expect(page1.edges.map((e) => e.node.dueOn)).toEqual([day(-10), day(-20)]);
    expect(page1).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    const next = await server.gql(PaymentsOfPolicy, {
      id: policy.globalId,
      first: 10,
      after: page1.pageInfo.endCursor,
    });
    const page2 = pageOf(next.data);
    expect(page2.edges.map((e) => e.node.dueOn)).toEqual([day(-30), day(-40), day(-50)]);
    expect(page2).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: false } });
    const bad = await server.gql(PaymentsOfPolicy, { id: policy.globalId, first: 2, after: 'bogus' });
    expect(bad.errors?.[0].extensions?.code).toBeDefined();
    expectNoLeak(bad);
  });

  it('policies(first: N) { premiumPayments(first: 3) } issues as many statements for 3 policies as for 12', async () => {
    const customer = await insertCustomer(server.db);
    for (let i = 0; i < 12; i++) {
      const policy = await insertPolicy(server.db, customer.id, { startDate: day(-60) });
      await server.db.prisma.policyPremiumPayment.createMany({
        data: [-50, -20, -5, 10].map((d) => ({
          policyId: policy.id,
          dueOn: new Date(`${day(d)}T00:00:00Z`),
          amount: '10',
        })),
      });
    }
    const count = async (first: number) => {
      const run = await countStatements(server.db, () => server.gql(PaymentsOfPolicies, { first }, 'admin'));
      expect(run.result.errors).toBeUndefined();
      const edges = run.result.data!.policies.edges;
      expect(edges.length).toBe(first);
      return run.statements;
    };
    expect(await count(12)).toBe(await count(3));
  });

  /** Sends a bad record, asserting exactly `expected` user errors, no leak and an untouched database. */
  async function refused(
    policyId: string,
    input: { dueOn: string; amount: string; paidOn?: string | null },
    expected: { code: string; field: string[] }[],
    who: StaffKey = 'agent',
  ) {
    const res = await unchanged(server.db, () => server.gql(PaymentRecord, { policyId, input }, who));
    expect(res.errors).toBeUndefined();
    const payload = res.data!.policyPremiumPaymentRecord;
    expect(payload.premiumPayment).toBeNull();
    expect(payload.userErrors.map(({ code, field }) => ({ code, field }))).toEqual(expected);
    expectNoLeak(res);
  }

  it('bad input is a precise user error and changes nothing', async () => {
    const { policy } = await policyOfAgent();
    await record(policy.globalId, { dueOn: day(-30), amount: '100', paidOn: day(-29) });
    await refused(policy.globalId, { dueOn: day(-10), amount: '0' }, [
      { code: 'VALIDATION', field: ['input', 'amount'] },
    ]);
    await refused(policy.globalId, { dueOn: day(-10), amount: '-5' }, [
      { code: 'VALIDATION', field: ['input', 'amount'] },
    ]);
    await refused(policy.globalId, { dueOn: day(-10), amount: '1.005' }, [
      { code: 'VALIDATION', field: ['input', 'amount'] },
    ]);
    await refused(policy.globalId, { dueOn: day(-10), amount: '99999999999' }, [
      { code: 'VALIDATION', field: ['input', 'amount'] },
    ]);
    await refused(policy.globalId, { dueOn: day(-90), amount: '100' }, [
      { code: 'VALIDATION', field: ['input', 'dueOn'] },
    ]);
    await refused(policy.globalId, { dueOn: day(400), amount: '100' }, [
      { code: 'VALIDATION', field: ['input', 'dueOn'] },
    ]);
    await refused(policy.globalId, { dueOn: day(-10), amount: '100', paidOn: day(2) }, [
      { code: 'VALIDATION', field: ['input', 'paidOn'] },
    ]);
    await refused(policy.globalId, { dueOn: day(-10), amount: '100', paidOn: '1999-12-31' }, [
      { code: 'VALIDATION', field: ['input', 'paidOn'] },
    ]);
    // The instalment due on day(-30) is known: another amount, or another payment date, is refused.
    await refused(policy.globalId, { dueOn: day(-30), amount: '120' }, [
      { code: 'VALIDATION', field: ['input', 'amount'] },
    ]);
    await refused(policy.globalId, { dueOn: day(-30), amount: '100', paidOn: day(-20) }, [
      { code: 'DUPLICATE', field: ['input', 'paidOn'] },
    ]);
    // Unknown, foreign, malformed and another agent's policy: NOT_FOUND.
    await refused(toGlobalId('Policy', '00000000-0000-0000-0000-000000000000'), { dueOn: day(-1), amount: '1' }, [
      { code: 'NOT_FOUND', field: ['policyId'] },
    ]);
    await refused('bogus', { dueOn: day(-1), amount: '1' }, [{ code: 'NOT_FOUND', field: ['policyId'] }]);
    await refused(
      policy.globalId,
      { dueOn: day(-1), amount: '1' },
      [{ code: 'NOT_FOUND', field: ['policyId'] }],
      'otherAgent',
    );
    // Variables that do not coerce never reach the service.
    const badDate = await unchanged(server.db, () =>
      server.gql(PaymentRecord, { policyId: policy.globalId, input: { dueOn: '2025-02-30', amount: '1' } }),
    );
    expect(badDate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expectNoLeak(badDate);
    const analyst = await unchanged(server.db, () =>
      server.gql(PaymentRecord, { policyId: policy.globalId, input: { dueOn: day(-1), amount: '1' } }, 'analyst'),
    );
    expect(analyst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

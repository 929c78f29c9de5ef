import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { databaseSnapshot } from '../helpers/snapshot';
import { ClaimFile, ClaimTransition, day, insertPolicy } from '../policy/policy.documents';

const ClaimRead = graphql(`
  query ClaimRead($id: ID!) {
    claim(id: $id) { claimNumber status policy { policyNumber } }
    node(id: $id) { __typename ... on Claim { claimNumber } }
  }
`);

const ClaimsOfCustomer = graphql(`
  query ClaimsOfCustomer($id: ID!, $first: Int, $after: String) {
    customer(id: $id) {
      claims(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { claimNumber amount } } }
      policies(first: 10) { edges { node { policyNumber claims { claimNumber status } } } }
    }
  }
`);

describe('claims: file, move through the status machine, list per policy and per customer', () => {
  let server: TestServer;
  let customer: Awaited<ReturnType<typeof insertCustomer>>;
  let policy: Awaited<ReturnType<typeof insertPolicy>>;

  beforeAll(async () => {
    server = await startTestServer();
    customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    policy = await insertPolicy(server.db, customer.id, {
      coverageAmount: '10000',
      startDate: day(-100),
      endDate: day(265),
    });
  });
  afterAll(() => server.close());

  const file = async (amount: string, extra: Record<string, unknown> = {}) => {
    const res = await server.gql(ClaimFile, { policyId: policy.globalId, input: { amount, ...extra } }, 'agent');
    expect(res.data!.claimFile.userErrors).toEqual([]);
    return res.data!.claimFile.claim!;
  };
  const move = (id: string, status: 'IN_REVIEW' | 'APPROVED' | 'REJECTED' | 'PAID' | 'FILED', note?: string) =>
    server.gql(ClaimTransition, { id, input: { status, note } }, 'agent').then((r) => r.data!.claimTransition);

  it('files a claim for up to the coverage amount, numbered CLM-000001, CLM-000002…, in the policy currency', async () => {
    const claim = await file('10000.00', { description: 'Rear-ended at a light', incidentDate: day(-3) });
    // Numbered from one sequence: the other tests of this file may have filed claims first.
    const filedBefore = await server.db.prisma.claim.count({
      where: { number: { lt: Number(claim.claimNumber.slice(4)) } },
    });
    const expected = (n: number) => `CLM-${String(n).padStart(6, '0')}`;
    expect(claim).toMatchObject({
      claimNumber: expected(filedBefore + 1),
      amount: '10000',
      currency: 'USD',
      status: 'FILED',
      description: 'Rear-ended at a light',
      incidentDate: day(-3),
      policy: { policyNumber: policy.number },
    });
    expect((await file('0.01')).claimNumber).toBe(expected(filedBefore + 2));
  });

  it('moves FILED → IN_REVIEW → APPROVED → PAID, stamping the decision and payment, and notifies the customer each time', async () => {
    const claim = await file('250');
    expect((await move(claim.id, 'IN_REVIEW')).claim).toMatchObject({ status: 'IN_REVIEW', decidedAt: null });
    const approved = (await move(claim.id, 'APPROVED', 'Photos check out')).claim!;
    expect(approved).toMatchObject({ status: 'APPROVED', statusNote: 'Photos check out', paidAt: null });
    expect(approved.decidedAt).toBeTruthy();
    const paid = (await move(claim.id, 'PAID')).claim!;
    expect(paid).toMatchObject({ status: 'PAID', statusNote: null, decidedAt: approved.decidedAt });
    expect(paid.paidAt).toBeTruthy();
    const notes = await server.db.prisma.notification.findMany({
      where: { customerId: customer.id, type: 'CLAIM_STATUS_CHANGED' },
      orderBy: { createdAt: 'asc' },
    });
    expect(notes.slice(-3).map((n) => (n.payload as { to: string }).to)).toEqual(['IN_REVIEW', 'APPROVED', 'PAID']);
  });

  it('refuses illegal moves with INVALID_TRANSITION and changes nothing', async () => {
    const claim = await file('300');
    const before = await databaseSnapshot(server.db);
    const attempts = [
      await move(claim.id, 'APPROVED'),
      await move(claim.id, 'PAID'),
      await move(claim.id, 'FILED'),
      await move(claim.id, 'REJECTED'),
    ];
    expect(attempts.map((a) => a.userErrors.map((e) => [e.code, e.field]))).toEqual(
      Array(4).fill([['INVALID_TRANSITION', ['input', 'status']]]),
    );
    expect(await databaseSnapshot(server.db)).toEqual(before);
    await move(claim.id, 'IN_REVIEW');
    expect((await move(claim.id, 'REJECTED')).claim!.status).toBe('REJECTED');
    expect((await move(claim.id, 'PAID')).userErrors[0]).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: 'The claim is REJECTED, which is final',
    });
  });

  it('files only against ACTIVE policies, for an incident within the term and not in the future', async () => {
    const pending = await insertPolicy(server.db, customer.id, {
      status: 'PENDING',
      startDate: day(10),
      endDate: day(375),
    });
    const before = await databaseSnapshot(server.db);
    const onPending = await server.gql(ClaimFile, { policyId: pending.globalId, input: { amount: '10' } });
    expect(onPending.data!.claimFile.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['policyId'] }),
    ]);
    const early = await server.gql(ClaimFile, {
      policyId: policy.globalId,
      input: { amount: '10', incidentDate: day(-101) },
    });
    expect(early.data!.claimFile.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'incidentDate'] }),
    ]);
    const future = await server.gql(ClaimFile, {
      policyId: policy.globalId,
      input: { amount: '10', incidentDate: day(1) },
    });
    expect(future.data!.claimFile.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'incidentDate'] }),
    ]);
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });

  it('lists claims per policy and per customer (newest first, paged, counted) and hides them from other agents', async () => {
    for (const amount of ['11', '12', '13']) await file(amount); // at least three, whatever ran before
    const page1 = await server.gql(ClaimsOfCustomer, { id: customer.globalId, first: 2 });
    const all = await server.db.prisma.claim.findMany({ orderBy: [{ filedAt: 'desc' }, { id: 'desc' }] });
    const numbers = all.map((c) => `CLM-${String(c.number).padStart(6, '0')}`);
    expect(page1.data!.customer!.claims).toMatchObject({ totalCount: all.length, pageInfo: { hasNextPage: true } });
    const page2 = await server.gql(ClaimsOfCustomer, {
      id: customer.globalId,
      first: 10,
      after: page1.data!.customer!.claims.pageInfo.endCursor,
    });
    expect(
      [...page1.data!.customer!.claims.edges, ...page2.data!.customer!.claims.edges].map((e) => e.node.claimNumber),
    ).toEqual(numbers);
    const withClaims = page1.data!.customer!.policies.edges.find((e) => e.node.policyNumber === policy.number)!;
    expect(withClaims.node.claims.map((c) => c.claimNumber)).toEqual(numbers);

    const fresh = await file('1');
    const read = await server.gql(ClaimRead, { id: fresh.id }, 'agent');
    expect(read.data!.claim).toMatchObject({
      claimNumber: fresh.claimNumber,
      status: 'FILED',
      policy: { policyNumber: policy.number },
    });
    expect(read.data!.node).toEqual({ __typename: 'Claim', claimNumber: fresh.claimNumber });
    const hidden = await server.gql(ClaimRead, { id: fresh.id }, 'otherAgent');
    expect(hidden.data).toEqual({ claim: null, node: null });
  });

  it("an agent cannot move another agent's customer's claim (NOT_FOUND); an analyst cannot file (FORBIDDEN)", async () => {
    const claim = await file('5');
    const foreign = await server.gql(ClaimTransition, { id: claim.id, input: { status: 'IN_REVIEW' } }, 'otherAgent');
    expect(foreign.data!.claimTransition.userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: ['id'] }),
    ]);
    const analyst = await server.gql(ClaimFile, { policyId: policy.globalId, input: { amount: '5' } }, 'analyst');
    expect(analyst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

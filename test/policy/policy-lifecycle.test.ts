import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { day, insertPolicy, PolicyCancel, PolicyPremiumChange, PolicyRenew, PolicyUpdate } from './policy.documents';

const PolicyExpireDue = graphql(`
  mutation PolicyExpireDue($input: PolicyExpireDueInput) {
    policyExpireDue(input: $input) { expiredCount activatedCount userErrors { code field message } }
  }
`);

describe('policy lifecycle: update, premium change, renew, cancel, expire', () => {
  let server: TestServer;
  let customer: Awaited<ReturnType<typeof insertCustomer>>;

  beforeAll(async () => {
    server = await startTestServer();
    customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
  });
  afterAll(() => server.close());

  it('policyUpdate changes the given fields with optimistic versioning; a stale version is a VERSION_CONFLICT', async () => {
    const policy = await insertPolicy(server.db, customer.id);
    const res = await server.gql(
      PolicyUpdate,
      {
        id: policy.globalId,
        input: {
          version: 1,
          insurer: 'Beta Mutual',
          coverageAmount: '75000',
          deductible: '250',
          endDate: day(400),
          attributes: { vehicle: { make: 'Honda', model: 'Civic', year: 2022 } },
        },
      },
      'agent',
    );
    expect(res.data!.policyUpdate.userErrors).toEqual([]);
    expect(res.data!.policyUpdate.policy).toMatchObject({
      insurer: 'Beta Mutual',
      coverageAmount: '75000',
      deductible: '250',
      endDate: day(400),
      version: 2,
      attributes: { vehicle: { make: 'Honda', model: 'Civic', year: 2022 } },
    });

    const stale = await server.gql(
      PolicyUpdate,
      { id: policy.globalId, input: { version: 1, productName: 'Gold' } },
      'agent',
    );
    expect(stale.data!.policyUpdate.userErrors).toEqual([
      expect.objectContaining({ code: 'VERSION_CONFLICT', field: ['input', 'version'] }),
    ]);
  });

  it('moving the start date into the future makes an ACTIVE policy PENDING', async () => {
    const policy = await insertPolicy(server.db, customer.id);
    const res = await server.gql(PolicyUpdate, { id: policy.globalId, input: { version: 1, startDate: day(10) } });
    expect(res.data!.policyUpdate.policy).toMatchObject({ status: 'PENDING', startDate: day(10) });
  });

  it('policyPremiumChange keeps the history: old, new, reason, when and who', async () => {
    const policy = await insertPolicy(server.db, customer.id, { premium: '100' });
    await server.gql(
      PolicyPremiumChange,
      { id: policy.globalId, input: { premium: '120.50', reason: 'Annual indexation' } },
      'agent',
    );
    const res = await server.gql(
      PolicyPremiumChange,
      { id: policy.globalId, input: { premium: '110', reason: 'No-claims discount' } },
      'manager',
    );
    const changed = res.data!.policyPremiumChange.policy!;
    expect(changed.premium).toBe('110');
    expect(changed.premiumHistory.map(({ changedAt: _at, ...rest }) => rest)).toEqual([
      { oldPremium: '100', newPremium: '120.5', reason: 'Annual indexation', changedBy: { name: 'Alice Agent' } },
      { oldPremium: '120.5', newPremium: '110', reason: 'No-claims discount', changedBy: { name: 'Max Manager' } },
    ]);
    expect(Date.parse(changed.premiumHistory[1].changedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('policyRenew extends from the current end date, changes the premium, and keeps renewal and premium history', async () => {
    const policy = await insertPolicy(server.db, customer.id, {
      startDate: day(-300),
      endDate: day(65),
      premium: '100',
    });
    const byMonths = await server.gql(
      PolicyRenew,
      { id: policy.globalId, input: { termMonths: 12, premium: '105' } },
      'agent',
    );
    expect(byMonths.data!.policyRenew.userErrors).toEqual([]);
    const renewed = byMonths.data!.policyRenew.policy!;
    const expectedEnd = new Date(`${day(65)}T00:00:00Z`);
    expectedEnd.setUTCMonth(expectedEnd.getUTCMonth() + 12);
    expect(renewed).toMatchObject({
      status: 'ACTIVE',
      premium: '105',
      endDate: expectedEnd.toISOString().slice(0, 10),
      version: 2,
    });
    expect(renewed.renewals).toEqual([
      {
        previousEndDate: day(65),
        newEndDate: renewed.endDate,
        oldPremium: '100',
        newPremium: '105',
        renewedBy: { name: 'Alice Agent' },
      },
    ]);
    expect(renewed.premiumHistory).toEqual([
      { oldPremium: '100', newPremium: '105', reason: `Renewal until ${renewed.endDate}` },
    ]);

    const toDate = await server.gql(PolicyRenew, { id: policy.globalId, input: { newEndDate: day(1000) } });
    expect(toDate.data!.policyRenew.policy).toMatchObject({ endDate: day(1000), premium: '105' });
    expect(toDate.data!.policyRenew.policy!.renewals).toHaveLength(2);
  });

  it('renews a policy EXPIRED within the last 90 days back to ACTIVE without a gap, but not one expired longer ago', async () => {
    const recent = await insertPolicy(server.db, customer.id, {
      status: 'EXPIRED',
      startDate: day(-400),
      endDate: day(-30),
    });
    const res = await server.gql(PolicyRenew, { id: recent.globalId, input: { termMonths: 12 } });
    expect(res.data!.policyRenew.policy).toMatchObject({ status: 'ACTIVE' });
    expect(res.data!.policyRenew.policy!.renewals[0].previousEndDate).toBe(day(-30));

    const old = await insertPolicy(server.db, customer.id, {
      status: 'EXPIRED',
      startDate: day(-500),
      endDate: day(-91),
    });
    const refused = await server.gql(PolicyRenew, { id: old.globalId, input: { termMonths: 12 } });
    expect(refused.data!.policyRenew.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_TRANSITION', field: ['id'] }),
    ]);
  });

  it('policyRenew needs exactly one of termMonths or newEndDate, and a term that is not over already', async () => {
    const policy = await insertPolicy(server.db, customer.id, {
      status: 'EXPIRED',
      startDate: day(-400),
      endDate: day(-60),
    });
    const both = await server.gql(PolicyRenew, { id: policy.globalId, input: { termMonths: 1, newEndDate: day(100) } });
    expect(both.data!.policyRenew.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'termMonths'] }),
    ]);
    const tooShort = await server.gql(PolicyRenew, { id: policy.globalId, input: { termMonths: 1 } });
    expect(tooShort.data!.policyRenew.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'termMonths'] }),
    ]);
  });

  it('policyCancel makes the policy CANCELLED (final) and queues POLICY_CANCELLED to the customer in the same transaction', async () => {
    const policy = await insertPolicy(server.db, customer.id);
    const res = await server.gql(
      PolicyCancel,
      { id: policy.globalId, input: { reason: 'Customer sold the car' } },
      'agent',
    );
    expect(res.data!.policyCancel.policy).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'Customer sold the car',
      version: 2,
    });
    expect(res.data!.policyCancel.policy!.cancelledAt).toBeTruthy();
    const notifications = await server.db.prisma.notification.findMany({
      where: { customerId: customer.id, type: 'POLICY_CANCELLED' },
    });
    expect(notifications.map((n) => n.payload)).toContainEqual(
      expect.objectContaining({ policyNumber: policy.number, reason: 'Customer sold the car' }),
    );

    const again = await server.gql(PolicyCancel, { id: policy.globalId, input: { reason: 'Twice' } });
    expect(again.data!.policyCancel.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_TRANSITION' })]);
    const update = await server.gql(PolicyUpdate, { id: policy.globalId, input: { version: 2, insurer: 'X' } });
    expect(update.data!.policyUpdate.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_TRANSITION' })]);
    const premium = await server.gql(PolicyPremiumChange, {
      id: policy.globalId,
      input: { premium: '1', reason: 'x' },
    });
    expect(premium.data!.policyPremiumChange.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    ]);
  });

  it('policyExpireDue expires ACTIVE policies past their end date, activates PENDING ones that have started, and is safe to repeat', async () => {
    const ended = await insertPolicy(server.db, customer.id, { startDate: day(-400), endDate: day(-1) });
    const endsToday = await insertPolicy(server.db, customer.id, { startDate: day(-400), endDate: day(0) });
    const started = await insertPolicy(server.db, customer.id, {
      status: 'PENDING',
      startDate: day(0),
      endDate: day(365),
    });
    const cancelled = await insertPolicy(server.db, customer.id, {
      status: 'CANCELLED',
      startDate: day(-400),
      endDate: day(-5),
    });

    // Two runs at the same time are in policy.concurrency.test.ts (PostgreSQL).
    const first = await server.gql(PolicyExpireDue, {}, 'manager');
    expect(first.data!.policyExpireDue).toEqual({ expiredCount: 1, activatedCount: 1, userErrors: [] });
    const second = await server.gql(PolicyExpireDue, { input: {} }, 'manager');
    expect(second.data!.policyExpireDue).toEqual({ expiredCount: 0, activatedCount: 0, userErrors: [] });
    const third = await server.gql(PolicyExpireDue, { input: { asOf: day(0) } }, 'manager');
    expect(third.data!.policyExpireDue).toEqual({ expiredCount: 0, activatedCount: 0, userErrors: [] });

    const statuses = await server.db.prisma.policy.findMany({
      where: { id: { in: [ended.id, endsToday.id, started.id, cancelled.id] } },
    });
    const byId = Object.fromEntries(statuses.map((p) => [p.id, p.status]));
    expect([byId[ended.id], byId[endsToday.id], byId[started.id], byId[cancelled.id]]).toEqual([
      'EXPIRED',
      'ACTIVE',
      'ACTIVE',
      'CANCELLED',
    ]);
    // The set-based run's entry names the customer, so it is in their audit trail.
    expect(
      await server.db.prisma.auditEntry.count({
        where: { entityId: ended.id, action: 'policy.expire', customerId: customer.id },
      }),
    ).toBe(1);
  });

  it('policyExpireDue refuses a future asOf, and agents (MANAGER/ADMIN only)', async () => {
    const future = await server.gql(PolicyExpireDue, { input: { asOf: day(1) } });
    expect(future.data!.policyExpireDue.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'asOf'] }),
    ]);
    const agent = await server.gql(PolicyExpireDue, {}, 'agent');
    expect(agent.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

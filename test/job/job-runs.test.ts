// Each job run with a fixed `now` over its own database: points expiry, tier review, policy
// activation/expiry and renewal reminders (exactly once per term, however often the job runs).
import { randomUUID } from 'node:crypto';
import { SCHEDULER_ACTOR } from '../../src/modules/job/job.registry';
import type { JobRunner } from '../../src/modules/job/job.runner';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertCustomer } from '../helpers/factories';
import { day, insertPolicy } from '../policy/policy.documents';
import { jobDeps, runnerFor } from './job.documents';

const DAY = 86_400_000;

describe('jobs run with a fixed now', () => {
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(() => db.close());

  /** Runs `name` as the scheduler would (due at once on a fresh database), once. */
  const runDue = async (runner: JobRunner, now: Date) => {
    const runs = await runner.tick(now);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'SUCCEEDED', error: null, errors: 0 });
    return runs[0];
  };
  const earn = (customerId: string, points: number) =>
    jobDeps(db).loyalty.earn(SCHEDULER_ACTOR, customerId, { points, reason: 'Purchase', idempotencyKey: randomUUID() });

  it('points_expiry expires what was earned 12 months before now, and the next tick within the interval does nothing', async () => {
    const customer = await insertCustomer(db);
    const other = await insertCustomer(db);
    const { entry } = await earn(customer.id, 100);
    await earn(other.id, 40);
    const runner = runnerFor(db, { only: ['points_expiry'] });

    expect((await runDue(runner, new Date(entry.createdAt.getTime() + 200 * DAY))).items).toBe(0);
    // The run set the next one an interval ahead: ticking again now finds nothing due.
    expect(await runner.tick(new Date(entry.createdAt.getTime() + 400 * DAY))).toEqual([]);
    const asOf = new Date(entry.createdAt.getTime() + 367 * DAY);
    const forced = await runner.runNow(SCHEDULER_ACTOR, 'points_expiry', asOf);
    expect(forced).toMatchObject({ status: 'SUCCEEDED', items: 2 });

    const accounts = await db.prisma.loyaltyAccount.findMany({
      where: { customerId: { in: [customer.id, other.id] } },
    });
    expect(accounts.map((a) => a.pointsBalance)).toEqual([0, 0]);
    const expired = await db.prisma.ledgerEntry.findMany({ where: { type: 'EXPIRE' }, orderBy: { points: 'asc' } });
    expect(expired.map((e) => e.points)).toEqual([-100, -40]);
    expect((await runner.runNow(SCHEDULER_ACTOR, 'points_expiry', asOf)).items).toBe(0);
  });

  it('tier_review lowers a tier whose qualifying points have lapsed as of now, and only that one', async () => {
    const lapsed = await insertCustomer(db);
    const fresh = await insertCustomer(db);
    const { entry } = await earn(lapsed.id, 600); // SILVER on earning
    const now = new Date(entry.createdAt.getTime() + 380 * DAY);
    await db.sql.query(`UPDATE loyalty_accounts SET tier = 'SILVER' WHERE customer_id = $1`, [fresh.id]);
    await db.sql.query(
      `INSERT INTO loyalty_ledger (account_id, type, points, remaining, reason, balance_after, created_at, expires_at)
       SELECT id, 'EARN', 700, 700, 'Recent purchase', 700, $2::timestamptz, $2::timestamptz + interval '12 months'
       FROM loyalty_accounts WHERE customer_id = $1`,
      [fresh.id, new Date(now.getTime() - 10 * DAY)],
    );
    const run = await runDue(runnerFor(db, { only: ['tier_review'] }), now);
    expect(run.items).toBe(1);
    const tiers = await db.prisma.loyaltyAccount.findMany({ where: { customerId: { in: [lapsed.id, fresh.id] } } });
    expect(Object.fromEntries(tiers.map((a) => [a.customerId, a.tier]))).toEqual({
      [lapsed.id]: 'BRONZE',
      [fresh.id]: 'SILVER',
    });
  });

  it('policy_status expires policies ended before now and activates PENDING ones started by now (audited as the scheduler)', async () => {
    const customer = await insertCustomer(db);
    const now = new Date(`${day(-2)}T12:00:00Z`);
    const ended = await insertPolicy(db, customer.id, { startDate: day(-400), endDate: day(-3) });
    const endsOnNow = await insertPolicy(db, customer.id, { startDate: day(-400), endDate: day(-2) });
    const starts = await insertPolicy(db, customer.id, { status: 'PENDING', startDate: day(-2), endDate: day(300) });
    const later = await insertPolicy(db, customer.id, { status: 'PENDING', startDate: day(-1), endDate: day(300) });
    expect((await runDue(runnerFor(db, { only: ['policy_status'] }), now)).items).toBe(2);
    const status = async (id: string) => (await db.prisma.policy.findUniqueOrThrow({ where: { id } })).status;
    expect([
      await status(ended.id),
      await status(endsOnNow.id),
      await status(starts.id),
      await status(later.id),
    ]).toEqual(['EXPIRED', 'ACTIVE', 'ACTIVE', 'PENDING']);
    const audit = await db.prisma.auditEntry.findMany({ where: { entityType: 'Policy' }, orderBy: { action: 'asc' } });
    expect(audit.map((a) => [a.action, a.entityId, a.actorId])).toEqual([
      ['policy.activate', starts.id, SCHEDULER_ACTOR.id],
      ['policy.expire', ended.id, SCHEDULER_ACTOR.id],
    ]);
  });

  describe('renewal_reminders', () => {
    const now = new Date('2030-01-01T10:00:00Z');
    const reminders = () =>
      db.prisma.notification.findMany({ where: { type: 'RENEWAL_REMINDER' }, orderBy: { createdAt: 'asc' } });
    const endDateOf = (n: { payload: unknown }) => (n.payload as { endDate: string }).endDate;

    it('reminds ACTIVE policies ending within 30 days, once per term however often it runs', async () => {
      const customer = await insertCustomer(db);
      const gone = await insertCustomer(db, { status: 'DELETED' });
      const start = '2029-02-01';
      const soon = await insertPolicy(db, customer.id, { startDate: start, endDate: '2030-01-20' });
      const edge = await insertPolicy(db, customer.id, { startDate: start, endDate: '2030-01-31' });
      const dayAfterEdge = await insertPolicy(db, customer.id, { startDate: start, endDate: '2030-02-01' });
      await insertPolicy(db, customer.id, { startDate: start, endDate: '2029-12-31' });
      await insertPolicy(db, customer.id, { status: 'CANCELLED', startDate: start, endDate: '2030-01-10' });
      await insertPolicy(db, customer.id, { status: 'PENDING', startDate: '2030-01-05', endDate: '2030-01-15' });
      await insertPolicy(db, gone.id, { startDate: start, endDate: '2030-01-20' });

      const runner = runnerFor(db, { only: ['renewal_reminders'] });
      expect((await runDue(runner, now)).items).toBe(2);
      // One run queues its reminders in policy id order: compare them by end date.
      const sent = (await reminders()).sort((a, b) => endDateOf(a).localeCompare(endDateOf(b)));
      expect(sent.map((n) => [n.customerId, n.status, n.channel, n.payload])).toEqual(
        [soon, edge].map((p) => [
          customer.id,
          'PENDING',
          'EMAIL',
          { policyNumber: p.number, policyType: 'AUTO', endDate: p.endDate.toISOString().slice(0, 10) },
        ]),
      );

      // Again (forced: not due yet), the same day and a few days later: nothing new for these terms.
      expect((await runner.runNow(SCHEDULER_ACTOR, 'renewal_reminders', now)).items).toBe(0);
      expect((await runner.runNow(SCHEDULER_ACTOR, 'renewal_reminders', new Date('2030-01-01T23:59:59Z'))).items).toBe(
        0,
      );
      // The next day the policy ending 2030-02-01 comes within 30 days.
      expect((await runner.runNow(SCHEDULER_ACTOR, 'renewal_reminders', new Date('2030-01-02T00:00:00Z'))).items).toBe(
        1,
      );
      expect((await runner.runNow(SCHEDULER_ACTOR, 'renewal_reminders', new Date('2030-01-06T00:00:00Z'))).items).toBe(
        0,
      );
      expect(await reminders()).toHaveLength(3);
      expect((await reminders())[2].payload).toMatchObject({ policyNumber: dayAfterEdge.number });

      // Renewed for a year: the new term gets its own reminder, 30 days before its end.
      await db.sql.query(`UPDATE policies SET end_date = '2031-01-20' WHERE id = $1`, [soon.id]);
      expect((await runner.runNow(SCHEDULER_ACTOR, 'renewal_reminders', new Date('2030-12-20T00:00:00Z'))).items).toBe(
        0,
      );
      expect((await runner.runNow(SCHEDULER_ACTOR, 'renewal_reminders', new Date('2030-12-21T00:00:00Z'))).items).toBe(
        1,
      );
      const terms = await db.sql.query<{ term_end: string }>(
        `SELECT to_char(term_end, 'YYYY-MM-DD') AS term_end FROM policy_renewal_reminders WHERE policy_id = $1 ORDER BY term_end`,
        [soon.id],
      );
      expect(terms.map((t) => t.term_end)).toEqual(['2030-01-20', '2031-01-20']);
      expect(await reminders()).toHaveLength(4);
    });

    it('two runners (instances) over the same database still send one reminder per term', async () => {
      const customer = await insertCustomer(db);
      for (let i = 0; i < 5; i++)
        await insertPolicy(db, customer.id, { startDate: '2029-02-01', endDate: '2030-01-25' });
      const a = runnerFor(db, { only: ['renewal_reminders'], instance: 'a' });
      const b = runnerFor(db, { only: ['renewal_reminders'], instance: 'b' });
      const runs = [...(await Promise.all([a.tick(now), b.tick(now)])).flat()];
      expect(runs.map((r) => r.items)).toEqual([5]);
      await b.runNow(SCHEDULER_ACTOR, 'renewal_reminders', now);
      await a.runNow(SCHEDULER_ACTOR, 'renewal_reminders', now);
      expect(await reminders()).toHaveLength(5);
    });
  });
});

// Several instances at once on PostgreSQL: every job runs once per interval however many runners
// tick together; jobRunNow racing the scheduler or another jobRunNow starts one run; renewal
// reminders stay once per term even without the lease (the primary key alone).
import { print } from 'graphql';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/client';
import { JOBS, SCHEDULER_ACTOR, type JobDefinition } from '../../src/modules/job/job.registry';
import { sendRenewalReminders } from '../../src/modules/job/job.reminders';
import { describeConcurrency } from '../helpers/concurrency';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server';
import { insertPolicy } from '../policy/policy.documents';
import { JobRunNow, runnerFor, sleep } from './job.documents';

const HOUR = 3_600_000;

function slowJob(name: string, ms: number) {
  const job = {
    calls: 0,
    definition: {
      name,
      description: `test job ${name}`,
      defaultIntervalMs: HOUR,
      run: async () => {
        job.calls += 1;
        await sleep(ms);
        return { items: 1, errors: 0 };
      },
    } satisfies JobDefinition,
  };
  return job;
}

const runsPerJob = async (db: Database) =>
  Object.fromEntries(
    (await db.sql.query<{ job: string; n: number }>(`SELECT job, count(*)::int AS n FROM job_runs GROUP BY job`)).map(
      (r) => [r.job, r.n],
    ),
  );

describeConcurrency('scheduled jobs on several instances', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const customer = await insertCustomer(server.db);
    for (let i = 0; i < 20; i++)
      await insertPolicy(server.db, customer.id, { startDate: '2029-02-01', endDate: '2030-01-25' });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await server.db.sql.query('DELETE FROM job_runs');
    await server.db.sql.query('DELETE FROM scheduled_jobs');
    await server.db.sql.query('DELETE FROM policy_renewal_reminders');
    await server.db.sql.query("DELETE FROM notifications WHERE type = 'RENEWAL_REMINDER'");
    await server.db.sql.query("DELETE FROM audit_log WHERE action = 'job.runNow'");
  });

  it('four runners ticking together, again and again: each job runs once in its interval', async () => {
    const slow = slowJob('slow', 200);
    const jobs = [...JOBS, slow.definition];
    const runners = ['a', 'b', 'c', 'd'].map((instance) => runnerFor(server.db, { jobs, instance }));
    for (let round = 0; round < 5; round++) await Promise.all(runners.map((r) => r.tick()));
    expect(await runsPerJob(server.db)).toEqual(Object.fromEntries(jobs.map((j) => [j.name, 1])));
    expect(slow.calls).toBe(1);
    const statuses = await server.db.sql.query<{ status: string }>(`SELECT DISTINCT status FROM job_runs`);
    expect(statuses.map((s) => s.status)).toEqual(['SUCCEEDED']);
  });

  it('jobRunNow on two instances at once, or while the scheduler runs the job: one run, the other is told it is running', async () => {
    const slow = slowJob('slow', 300);
    const a = runnerFor(server.db, { jobs: [slow.definition], instance: 'a' });
    const b = runnerFor(server.db, { jobs: [slow.definition], instance: 'b' });
    const results = await Promise.allSettled([a.runNow(SCHEDULER_ACTOR, 'slow'), b.runNow(SCHEDULER_ACTOR, 'slow')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(/running/);

    await server.db.sql.query(`UPDATE scheduled_jobs SET next_run_at = now()`);
    const scheduled = a.tick();
    while (slow.calls < 2) await sleep(5);
    await expect(b.runNow(SCHEDULER_ACTOR, 'slow')).rejects.toThrow(/running/);
    expect((await scheduled).map((r) => r.status)).toEqual(['SUCCEEDED']);
    expect(slow.calls).toBe(2);
    expect(await runsPerJob(server.db)).toEqual({ slow: 2 });
  });

  it('renewal reminders sent by four runs at once, bypassing the lease: one per policy term', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const results = await Promise.all([1, 2, 3, 4].map(() => sendRenewalReminders(server.db.prisma, now)));
    expect(results.reduce((sum, r) => sum + r.items, 0)).toBe(20);
    const [{ n }] = await server.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE type = 'RENEWAL_REMINDER'`,
    );
    expect(n).toBe(20);
  });

  describe('two app instances with JOBS_ENABLED', () => {
    let second: { app: App; db: Database } | undefined;
    afterEach(async () => {
      if (second) {
        await second.app.close();
        await second.db.close();
      }
    });

    it('each job runs once across both schedulers, and jobRunNow over HTTP on either instance is audited once', async () => {
      const config = (instance: string) =>
        loadConfig(
          { NODE_ENV: 'test', JOBS_ENABLED: 'true', JOBS_POLL_MS: '20' },
          { port: 0, host: '127.0.0.1', jwtSecret: TEST_JWT_SECRET, logLevel: 'silent', jobsInstance: instance },
        );
      const firstDb = await openDatabase({ url: server.db.url! });
      const dbB = await openDatabase({ url: server.db.url! });
      const first = { db: firstDb, app: await startApp(config('one'), { db: firstDb }) };
      second = { db: dbB, app: await startApp(config('two'), { db: dbB }) };
      try {
        const deadline = Date.now() + 20_000;
        let done = 0;
        while (Date.now() < deadline && done < JOBS.length) {
          await sleep(100);
          done = Object.keys(await runsPerJob(server.db)).length;
        }
        await sleep(500); // more polls on both instances: nothing may run again within the hour
        expect(await runsPerJob(server.db)).toEqual(Object.fromEntries(JOBS.map((j) => [j.name, 1])));

        const token = await server.token('admin');
        const send = (url: string) =>
          fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: print(JobRunNow), variables: { name: 'segment_recalculation' } }),
          }).then(
            (r) =>
              r.json() as Promise<{
                data: { jobRunNow: { run: { status: string } | null; userErrors: { code: string }[] } };
              }>,
          );
        const [x, y] = await Promise.all([send(first.app.url), send(second.app.url)]);
        const outcomes = [x, y].map((r) => r.data.jobRunNow.run?.status ?? r.data.jobRunNow.userErrors[0].code).sort();
        const audited = await server.db.prisma.auditEntry.count({ where: { action: 'job.runNow' } });
        const manualRuns = await server.db.prisma.jobRun.count({ where: { requestedBy: { not: null } } });
        expect(audited).toBe(manualRuns);
        expect(outcomes.filter((o) => o === 'SUCCEEDED').length).toBe(manualRuns);
        expect(outcomes.every((o) => o === 'SUCCEEDED' || o === 'INVALID_TRANSITION')).toBe(true);
      } finally {
        await first.app.close();
        await first.db.close();
      }
    });
  });
});

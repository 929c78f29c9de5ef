// The runner itself, on whichever database the tests use (PGlite by default): a failing job is
// recorded FAILED, a crashed instance's lease is taken over, stop() waits for a run or abandons
// it cleanly, and the scheduler started with the app runs every job on the embedded database.
import type { JobDefinition } from '../../src/modules/job/job.registry';
import { JOBS, SCHEDULER_ACTOR } from '../../src/modules/job/job.registry';
import { DomainError } from '../../src/shared/domain-error';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestServer } from '../helpers/server';
import { Jobs } from './job.documents';
import { runnerFor, sleep } from './job.documents';

const HOUR = 3_600_000;

/** A job of the test's own, counting its runs; `ms` long. */
function countingJob(name: string, ms = 0, fail?: string) {
  const job = {
    calls: 0,
    definition: {
      name,
      description: `test job ${name}`,
      defaultIntervalMs: HOUR,
      run: async () => {
        job.calls += 1;
        if (ms) await sleep(ms);
        if (fail) throw new Error(fail);
        return { items: 3, errors: 1 };
      },
    } satisfies JobDefinition,
  };
  return job;
}

const scheduleOf = async (db: TestDatabase, name: string) =>
  (
    await db.sql.query<{ due: boolean; locked_until: Date | null; locked_by: string | null; run_id: string | null }>(
      `SELECT next_run_at <= now() AS due, locked_until, locked_by, run_id::text FROM scheduled_jobs WHERE name = $1`,
      [name],
    )
  )[0];

describe('job runner', () => {
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(() => db.close());

  it('records a run with its items and errors, and a job that throws as FAILED with the message; both wait an interval', async () => {
    const ok = countingJob('ok');
    const bad = countingJob('bad', 0, 'upstream said no');
    const runner = runnerFor(db, { jobs: [ok.definition, bad.definition], instance: 'one' });
    const runs = await runner.tick();
    expect(runs.map((r) => [r.job, r.status, r.items, r.errors, r.error])).toEqual(
      expect.arrayContaining([
        ['ok', 'SUCCEEDED', 3, 1, null],
        ['bad', 'FAILED', 0, 0, 'upstream said no'],
      ]),
    );
    const stored = await db.prisma.jobRun.findMany({ orderBy: { job: 'asc' } });
    expect(stored.map((r) => [r.job, r.instance, r.status, r.error, r.finishedAt !== null])).toEqual([
      ['bad', 'one', 'FAILED', 'upstream said no', true],
      ['ok', 'one', 'SUCCEEDED', null, true],
    ]);
    expect(await runner.tick()).toEqual([]);
    expect([ok.calls, bad.calls]).toEqual([1, 1]);
    expect(await scheduleOf(db, 'ok')).toMatchObject({ due: false, locked_until: null, locked_by: null });
  });

  it('refuses an unknown job in the intervals (a typo in JOB_<NAME>_INTERVAL_MS fails the start)', () => {
    expect(() => runnerFor(db, { intervals: { points_expiri: 1000 } })).toThrow(/there is no job points_expiri/);
  });

  it("takes over a crashed instance's job once its lease has run out, and marks that run ABANDONED", async () => {
    const job = countingJob('work');
    const runner = runnerFor(db, { jobs: [job.definition], instance: 'survivor' });
    await runner.tick();
    // Another instance claimed it and died: a RUNNING run and a lease still valid for a while.
    const [{ id }] = await db.sql.query<{ id: string }>(
      `INSERT INTO job_runs (job, instance) VALUES ('work', 'crashed') RETURNING id::text`,
    );
    await db.sql.query(
      `UPDATE scheduled_jobs SET next_run_at = now() - interval '1 hour', locked_until = now() + interval '1 minute',
         locked_by = 'crashed', run_id = $1 WHERE name = 'work'`,
      [id],
    );
    expect(await runner.tick()).toEqual([]);
    await expect(runner.runNow(SCHEDULER_ACTOR, 'work')).rejects.toThrow(DomainError);
    expect(job.calls).toBe(1);

    await db.sql.query(`UPDATE scheduled_jobs SET locked_until = now() - interval '1 second' WHERE name = 'work'`);
    expect((await runner.tick()).map((r) => r.status)).toEqual(['SUCCEEDED']);
    expect(job.calls).toBe(2);
    const crashed = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(crashed).toMatchObject({ status: 'ABANDONED', error: expect.stringMatching(/lease ran out/) });
    expect(await scheduleOf(db, 'work')).toMatchObject({ due: false, locked_by: null, run_id: null });
  });

  it('stop() waits for the job in progress, then starts nothing more', async () => {
    const job = countingJob('slow', 300);
    const runner = runnerFor(db, { jobs: [job.definition], pollMs: 20 });
    runner.start();
    while (job.calls === 0) await sleep(10);
    await runner.stop();
    const [run] = await db.prisma.jobRun.findMany();
    expect(run).toMatchObject({ status: 'SUCCEEDED', items: 3 });
    await db.sql.query(`UPDATE scheduled_jobs SET next_run_at = now() - interval '1 hour'`);
    await sleep(100);
    expect(job.calls).toBe(1);
    await expect(runner.runNow(SCHEDULER_ACTOR, 'slow')).rejects.toThrow(/stopping/);
  });

  it('stop() that cannot wait abandons the run and releases its lease, so another instance runs it at once', async () => {
    const job = countingJob('long', 400);
    const leaving = runnerFor(db, { jobs: [job.definition], instance: 'leaving', drainMs: 50 });
    const tick = leaving.tick();
    while (job.calls === 0) await sleep(10);
    await leaving.stop();
    const [abandoned] = await db.prisma.jobRun.findMany();
    expect(abandoned).toMatchObject({
      status: 'ABANDONED',
      instance: 'leaving',
      error: expect.stringMatching(/stopped/),
    });
    expect(await scheduleOf(db, 'long')).toMatchObject({ due: true, locked_until: null, run_id: null });

    const other = runnerFor(db, { jobs: [job.definition], instance: 'other' });
    expect((await other.tick()).map((r) => r.status)).toEqual(['SUCCEEDED']);
    // The abandoned run ends later; it no longer holds the lease, so it changes nothing.
    expect((await tick).map((r) => r.status)).toEqual(['ABANDONED']);
    const runs = await db.prisma.jobRun.findMany({ orderBy: { id: 'asc' } });
    expect(runs.map((r) => [r.instance, r.status])).toEqual([
      ['leaving', 'ABANDONED'],
      ['other', 'SUCCEEDED'],
    ]);
    expect(await scheduleOf(db, 'long')).toMatchObject({ due: false, locked_by: null });
  });
});

describe('the scheduler started with the app (JOBS_ENABLED), on the database of the tests', () => {
  it('runs every registered job once, shows them enabled, and stops with the server', async () => {
    const server = await startTestServer({ jobsEnabled: true, jobsPollMs: 50 });
    try {
      let runs: { job: string; status: string }[] = [];
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && runs.length < JOBS.length) {
        await sleep(100);
        runs = await server.db.prisma.jobRun.findMany({ where: { status: { not: 'RUNNING' } } });
      }
      // Every job of the registry, so a job added later is covered without anyone remembering.
      expect(runs.map((r) => [r.job, r.status]).sort()).toEqual(JOBS.map((job) => [job.name, 'SUCCEEDED']).sort());
      const jobs = (await server.gql(Jobs, {})).data!.jobs;
      expect(jobs.every((j) => j.enabled && j.lastRun?.status === 'SUCCEEDED' && !j.lastRun.manual)).toBe(true);
      expect(jobs.every((j) => new Date(j.nextRunAt!).getTime() > Date.now())).toBe(true);
    } finally {
      await server.close();
    }
  });
});

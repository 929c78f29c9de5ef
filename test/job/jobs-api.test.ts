// The ADMIN API of the scheduled jobs through HTTP: jobs, jobRuns (filters, pages), jobRunNow
// (audited, bad input per SPEC §5), and who may use them.
import { JOBS } from '../../src/modules/job/job.registry';
import { expectNoLeak, expectTopLevelError, unchanged } from '../helpers/bad-input';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';
import { JobRunNow, JobRuns, Jobs } from './job.documents';

const HOUR = 3_600_000;

describe('scheduled jobs API', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startTestServer()));
  afterAll(() => server.close());

  it('lists every registered job for ADMIN, not scheduled in tests (JOBS_ENABLED off) and never run', async () => {
    const res = await server.gql(Jobs, {});
    expect(res.errors).toBeUndefined();
    expect(res.data!.jobs.map((j) => j.name)).toEqual(JOBS.map((j) => j.name));
    for (const job of res.data!.jobs) {
      expect(job.description.length).toBeGreaterThan(10);
      expect(job.enabled).toBe(false);
      expect(job.intervalMs).toBe(JOBS.find((j) => j.name === job.name)!.defaultIntervalMs);
    }
    expect(res.data!.jobs.find((j) => j.name === 'tier_review')!.intervalMs).toBe(24 * HOUR);
  });

  it('jobRunNow runs the job here, records the run, sets the next run an interval later and audits who asked', async () => {
    const before = Date.now();
    const res = await server.gql(JobRunNow, { name: 'policy_status' });
    expect(res.data!.jobRunNow.userErrors).toEqual([]);
    const run = res.data!.jobRunNow.run!;
    expect(run).toMatchObject({
      job: 'policy_status',
      status: 'SUCCEEDED',
      items: 0,
      errors: 0,
      error: null,
      manual: true,
    });
    expect(new Date(run.finishedAt!).getTime()).toBeGreaterThanOrEqual(new Date(run.startedAt).getTime());

    const jobs = (await server.gql(Jobs, {})).data!.jobs;
    const job = jobs.find((j) => j.name === 'policy_status')!;
    expect(job.lastRun).toEqual(run);
    expect(job.runningOn).toBeNull();
    const next = new Date(job.nextRunAt!).getTime();
    expect(next).toBeGreaterThanOrEqual(before + HOUR - 1_000);
    expect(next).toBeLessThanOrEqual(Date.now() + HOUR + 1_000);

    const audit = await server.db.prisma.auditEntry.findMany({
      where: { action: 'job.runNow', entityId: 'policy_status' },
    });
    expect(audit).toEqual([
      expect.objectContaining({ actorId: server.staffIds.admin, actorRole: 'ADMIN', entityType: 'Job' }),
    ]);
  });

  it('jobRuns pages newest first and filters by job and status', async () => {
    for (const name of ['renewal_reminders', 'renewal_reminders', 'points_expiry']) {
      expect((await server.gql(JobRunNow, { name })).data!.jobRunNow.run!.status).toBe('SUCCEEDED');
    }
    const all = (await server.gql(JobRuns, { first: 100 })).data!.jobRuns;
    const ids = all.edges.map((e) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const reminders = (await server.gql(JobRuns, { filter: { job: 'renewal_reminders' }, first: 1 })).data!.jobRuns;
    expect(reminders.totalCount).toBe(2);
    expect(reminders.pageInfo.hasNextPage).toBe(true);
    const second = (
      await server.gql(JobRuns, { filter: { job: 'renewal_reminders' }, first: 1, after: reminders.pageInfo.endCursor })
    ).data!.jobRuns;
    expect(second.edges).toHaveLength(1);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(Number(second.edges[0].node.id)).toBeLessThan(Number(reminders.edges[0].node.id));

    const failed = (await server.gql(JobRuns, { filter: { status: 'FAILED' }, first: 10 })).data!.jobRuns;
    expect(failed.totalCount).toBe(0);
    const none = (await server.gql(JobRuns, { filter: { job: 'no_such_job' } })).data!.jobRuns;
    expect(none.edges).toEqual([]);
  });

  it.each<StaffKey>(['manager', 'agent', 'analyst'])('%s may not read jobs or runs, nor run one', async (who) => {
    expectTopLevelError(await server.gql(Jobs, {}, who), 200, 'FORBIDDEN');
    expectTopLevelError(await server.gql(JobRuns, {}, who), 200, 'FORBIDDEN');
    await unchanged(server.db, async () =>
      expectTopLevelError(await server.gql(JobRunNow, { name: 'points_expiry' }, who), 200, 'FORBIDDEN'),
    );
  });

  describe('bad input (SPEC §5)', () => {
    it.each([
      ['an unknown job', 'points'],
      ['an empty name', ''],
      ['a name in another case', 'POINTS_EXPIRY'],
      ['a very long name', 'x'.repeat(10_000)],
    ])('jobRunNow with %s: NOT_FOUND on name, nothing written', async (_, name) => {
      const res = await unchanged(server.db, () => server.gql(JobRunNow, { name }));
      expect(res.data!.jobRunNow).toEqual({
        run: null,
        userErrors: [{ code: 'NOT_FOUND', field: ['name'], message: 'no job has this name' }],
      });
      expectNoLeak(res);
    });

    it('jobRunNow with a NUL in the name is refused before it reaches the resolver', async () => {
      const res = await unchanged(server.db, () => server.gql(JobRunNow, { name: 'points_expiry\u0000' }));
      expectTopLevelError(res, 400, 'BAD_USER_INPUT');
    });

    it('jobRunNow without a name or with a number is a GraphQL validation error', async () => {
      for (const variables of [{}, { name: null }, { name: 42 }]) {
        const res = await unchanged(server.db, () =>
          server.post(
            { query: 'mutation ($name: String!) { jobRunNow(name: $name) { run { id } } }', variables },
            'admin',
          ),
        );
        expect(res.status).toBe(400);
        expectNoLeak(res);
      }
    });

    it('jobRuns: first out of range, a foreign cursor, an empty job filter, an unknown status', async () => {
      for (const first of [0, 101])
        expectTopLevelError(await unchanged(server.db, () => server.gql(JobRuns, { first })), 400, 'BAD_USER_INPUT');
      const cursor = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');
      for (const after of [
        'garbage!!',
        cursor(['abc']),
        cursor([1, 2]),
        cursor(['0']),
        cursor(['99999999999999999999']),
      ]) {
        const error = expectTopLevelError(await server.gql(JobRuns, { after }), 200, 'BAD_USER_INPUT');
        expect(error.extensions?.field).toEqual(['after']);
      }
      const error = expectTopLevelError(await server.gql(JobRuns, { filter: { job: '' } }), 200, 'BAD_USER_INPUT');
      expect(error.extensions?.field).toEqual(['filter', 'job']);
      const res = await server.post({ query: 'query { jobRuns(filter: { status: DONE }) { totalCount } }' }, 'admin');
      expect(res.status).toBe(400);
      expectNoLeak(res);
    });
  });
});

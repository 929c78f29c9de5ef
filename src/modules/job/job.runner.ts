import { recordJobRun } from '../../observability/metrics';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../auth/actor';
import type { PrismaClient, Tx } from '../../db/client';
import type { Logger } from '../../logger';
import { DomainError } from '../../shared/domain-error';
import { recordAudit } from '../audit/audit';
import { JOBS, type JobDefinition, type JobDeps, type JobResult } from './job.registry';

export interface JobRunnerOptions {
  /** This instance's name in job_runs and scheduled_jobs.locked_by (default host-pid-random). */
  instance?: string;
  /** Interval per job name (ms); a job missing here has its default, 0 (or less) turns it off. */
  intervals?: Record<string, number>;
  /** How often the scheduler looks for due jobs. */
  pollMs?: number;
  /** How long a claim holds without being renewed: another instance takes a job over after this. */
  leaseMs?: number;
  /** How long stop() waits for a running job before abandoning it. */
  drainMs?: number;
  logger?: Logger;
  /** The jobs (default JOBS): tests register their own. */
  jobs?: readonly JobDefinition[];
}

/** A claimed run: the lease on scheduled_jobs names it. */
interface Claim {
  id: bigint;
  job: string;
}

export interface FinishedRun extends JobResult {
  id: bigint;
  job: string;
  status: 'SUCCEEDED' | 'FAILED' | 'ABANDONED';
  error: string | null;
}

const ABANDONED_BY_LEASE = 'the lease ran out (the instance stopped or crashed); taken over by another run';
const ABANDONED_BY_STOP = 'the instance stopped before the run finished';

export const defaultInstanceName = () => `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

/**
 * Runs the registered jobs, each at most once per interval across every instance sharing the
 * database (docs/jobs.md). The schedule lives in scheduled_jobs: a job is claimed by one
 * conditional statement (due, and not leased or its lease run out), the claim is renewed while the
 * job runs, and the next run is set when it finishes. No transaction stays open across a run (PGlite
 * has one connection); the jobs themselves work in batches of short transactions.
 */
export class JobRunner {
  readonly instance: string;
  readonly jobs: readonly JobDefinition[];
  private readonly intervals: Map<string, number>;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly drainMs: number;
  private readonly logger?: Logger;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<unknown> | null = null;
  /** Runs in progress on this instance (the scheduler's and jobRunNow's), for the drain. */
  private readonly running = new Map<bigint, { claim: Claim; done: Promise<FinishedRun> }>();
  private stopping = false;
  private registered: Promise<void> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly deps: JobDeps,
    options: JobRunnerOptions = {},
  ) {
    this.instance = options.instance ?? defaultInstanceName();
    this.jobs = options.jobs ?? JOBS;
    for (const name of Object.keys(options.intervals ?? {}))
      if (!this.jobs.some((j) => j.name === name))
        throw new Error(
          `JOB_${name.toUpperCase()}_INTERVAL_MS: there is no job ${name} (jobs: ${this.jobs.map((j) => j.name).join(', ')})`,
        );
    this.intervals = new Map(this.jobs.map((j) => [j.name, options.intervals?.[j.name] ?? j.defaultIntervalMs]));
    this.pollMs = options.pollMs ?? 10_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.drainMs = options.drainMs ?? 10_000;
    this.logger = options.logger;
  }

  /** The interval of a job on this instance (0: the scheduler does not run it here). */
  intervalOf(name: string): number {
    return Math.max(0, this.intervals.get(name) ?? 0);
  }

  get scheduling(): boolean {
    return this.timer !== null;
  }

  /** Starts the scheduler: every pollMs, runs the jobs that are due (one after another). */
  start(): void {
    if (this.timer || this.stopping) return;
    this.timer = setInterval(() => {
      if (this.ticking !== null) return;
      this.ticking = this.tick()
        .catch((err: unknown) => this.logger?.error({ err }, 'job scheduler tick failed'))
        .finally(() => (this.ticking = null));
    }, this.pollMs);
    this.timer.unref();
  }

  /**
   * Stops scheduling and waits up to drainMs for runs in progress; a run still going then is
   * marked ABANDONED and its lease released, so another instance takes it over at once.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const settled = Promise.allSettled([this.ticking, ...[...this.running.values()].map((r) => r.done)]);
    let timeout: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      settled.then(() => true),
      new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), this.drainMs))),
    ]);
    clearTimeout(timeout);
    if (drained) return;
    for (const { claim } of this.running.values()) {
      await this.release(claim, 'ABANDONED', { items: 0, errors: 0 }, ABANDONED_BY_STOP).catch((err: unknown) =>
        this.logger?.error({ err, job: claim.job }, 'could not abandon a job run'),
      );
    }
  }

  /** Runs every job due now that no other instance holds, one after another; returns what ran. */
  async tick(now?: Date): Promise<FinishedRun[]> {
    const names = this.jobs.filter((j) => this.intervalOf(j.name) > 0).map((j) => j.name);
    const done: FinishedRun[] = [];
    if (names.length === 0) return done;
    await this.register();
    while (!this.stopping) {
      const claim = await this.claim(this.prisma, names, false, null);
      if (!claim) break;
      done.push(await this.execute(claim, now));
    }
    return done;
  }

  /**
   * Claims `name` now, whatever its schedule (but never while another run holds it: INVALID_TRANSITION),
   * with an audit entry of who asked, and runs it here; resolves when the run is over.
   */
  async runNow(actor: Actor, name: string, now?: Date): Promise<FinishedRun> {
    if (this.stopping) throw new DomainError('INVALID_TRANSITION', 'this instance is stopping; try again', ['name']);
    await this.register();
    const claim = await this.prisma.$transaction(async (tx) => {
      const claimed = await this.claim(tx, [name], true, actor.id);
      if (!claimed) throw new DomainError('INVALID_TRANSITION', `job ${name} is running right now`, ['name']);
      await recordAudit(tx, actor, { action: 'job.runNow', entityType: 'Job', entityId: name, changedFields: [] });
      return claimed;
    });
    return this.execute(claim, now);
  }

  /** Creates the schedule rows of the registered jobs (due at once) where missing. */
  private register(): Promise<void> {
    this.registered ??= this.prisma
      .$executeRaw`INSERT INTO scheduled_jobs (name) SELECT unnest(${this.jobs.map((j) => j.name)}::text[]) ON CONFLICT DO NOTHING`
      .then(() => undefined)
      .catch((error: unknown) => {
        this.registered = null;
        throw error;
      });
    return this.registered;
  }

  /**
   * One statement: picks a job among `names` that is due (or any, when forced) and not leased (or
   * whose lease ran out), skipping rows another instance is claiming this instant; starts its run
   * in job_runs, marks a run whose lease ran out ABANDONED, and takes the lease.
   */
  private async claim(db: PrismaClient | Tx, names: string[], force: boolean, requestedBy: string | null) {
    const rows = await db.$queryRaw<Claim[]>`
      WITH target AS (
        SELECT name, run_id AS stale_run FROM scheduled_jobs
        WHERE name = ANY(${names}::text[]) AND (${force} OR next_run_at <= now())
          AND (locked_until IS NULL OR locked_until < now())
        ORDER BY next_run_at, name LIMIT 1
        FOR UPDATE SKIP LOCKED
      ), run AS (
        INSERT INTO job_runs (job, instance, requested_by)
        SELECT name, ${this.instance}, ${requestedBy}::uuid FROM target
        RETURNING id, job
      ), abandoned AS (
        UPDATE job_runs SET status = 'ABANDONED', finished_at = now(), error = ${ABANDONED_BY_LEASE}
        WHERE id = (SELECT stale_run FROM target) AND status = 'RUNNING'
      )
      UPDATE scheduled_jobs s
      SET locked_until = now() + ${this.leaseMs}::double precision * interval '1 millisecond', locked_by = ${this.instance}, run_id = run.id
      FROM run WHERE s.name = run.job
      RETURNING run.id, run.job`;
    return rows[0] ?? null;
  }

  /** Runs a claimed job, renewing its lease meanwhile, and records how it ended. */
  private execute(claim: Claim, now?: Date): Promise<FinishedRun> {
    const job = this.jobs.find((j) => j.name === claim.job)!;
    const heartbeat = setInterval(
      () =>
        void this.renew(claim).catch((err: unknown) =>
          this.logger?.warn({ err, job: job.name }, 'could not renew a job lease'),
        ),
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    heartbeat.unref();
    const run = (async (): Promise<FinishedRun> => {
      let status: FinishedRun['status'] = 'SUCCEEDED';
      let result: JobResult = { items: 0, errors: 0 };
      let error: string | null = null;
      const started = performance.now();
      try {
        result = await job.run(this.deps, now ?? new Date());
      } catch (err) {
        status = 'FAILED';
        error = err instanceof Error ? err.message : String(err);
        this.logger?.error({ err, job: job.name }, 'job failed');
      } finally {
        clearInterval(heartbeat);
      }
      const recorded = await this.release(claim, status, result, error);
      recordJobRun(job.name, recorded ? status : 'ABANDONED', performance.now() - started);
      if (recorded) this.logger?.info({ job: job.name, status, ...result }, 'job run finished');
      return { id: claim.id, job: job.name, status: recorded ? status : 'ABANDONED', error, ...result };
    })();
    const done = run.finally(() => this.running.delete(claim.id));
    this.running.set(claim.id, { claim, done });
    return done;
  }

  private renew(claim: Claim) {
    return this.prisma.$executeRaw`
      UPDATE scheduled_jobs SET locked_until = now() + ${this.leaseMs}::double precision * interval '1 millisecond'
      WHERE name = ${claim.job} AND run_id = ${claim.id}`;
  }

  /**
   * Records the end of a run and, if it still holds the lease, releases it: the next run is due one
   * interval from now (from the end of an ABANDONED one, at once). False when the run had lost its
   * lease (another run took over and marked it ABANDONED).
   */
  private async release(claim: Claim, status: FinishedRun['status'], result: JobResult, error: string | null) {
    const { id } = claim;
    // A job turned off here (interval 0) but run by hand keeps its default spacing for the others.
    const interval =
      this.intervalOf(claim.job) || (this.jobs.find((j) => j.name === claim.job)?.defaultIntervalMs ?? 0);
    const rows = await this.prisma.$queryRaw<{ updated: number }[]>`
      WITH finished AS (
        UPDATE job_runs SET status = ${status}::"JobRunStatus", finished_at = now(), items = ${result.items},
          errors = ${result.errors}, error = ${error}
        WHERE id = ${id} AND status = 'RUNNING'
        RETURNING id
      ), released AS (
        UPDATE scheduled_jobs SET locked_until = NULL, locked_by = NULL, run_id = NULL,
          next_run_at = CASE WHEN ${status} = 'ABANDONED' THEN next_run_at
                             ELSE now() + ${interval}::double precision * interval '1 millisecond' END
        WHERE run_id = ${id}
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM finished)::int AS updated`;
    return rows[0].updated > 0;
  }
}

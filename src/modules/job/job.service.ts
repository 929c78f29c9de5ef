import type { Actor } from '../../auth/actor';
import type { PrismaClient } from '../../db/client';
import type { JobRun, JobRunStatus } from '../../generated/prisma/client';
import { DomainError } from '../../shared/domain-error';
import { decodeCursorAs, encodeCursor, pageOf, pageSize, type Page, type PageRequest } from '../../shared/pagination';
import { Prisma } from '../../generated/prisma/client';
import type { JobRunner } from './job.runner';

/** A registered job with its schedule (shared by every instance) and this instance's settings. */
export interface JobView {
  name: string;
  description: string;
  intervalMs: number;
  enabled: boolean;
  nextRunAt: Date | null;
  /** The instance holding the job's lease now, if any. */
  runningOn: string | null;
  lastRun: JobRun | null;
}

export interface JobRunFilter {
  job?: string | null;
  status?: JobRunStatus | null;
}

const MAX_NAME_LENGTH = 100;
const RUN_ID = /^[1-9]\d{0,17}$/;

/** The ADMIN view of the scheduled jobs and their runs, and running one by hand. */
export class JobService {
  constructor(
    private readonly prisma: PrismaClient,
    readonly runner: JobRunner,
  ) {}

  /** Every registered job in registry order, with its schedule row and last run (two statements). */
  async list(): Promise<JobView[]> {
    const names = this.runner.jobs.map((j) => j.name);
    const [schedules, lastRuns] = await Promise.all([
      this.prisma.scheduledJob.findMany({ where: { name: { in: names } } }),
      this.prisma.$queryRaw<{ id: bigint }[]>`
        SELECT (SELECT max(id) FROM job_runs r WHERE r.job = j.name) AS id FROM unnest(${names}::text[]) AS j(name)`.then(
        (rows) => {
          const ids = rows.map((r) => r.id).filter((id): id is bigint => id !== null);
          return ids.length ? this.prisma.jobRun.findMany({ where: { id: { in: ids } } }) : [];
        },
      ),
    ]);
    const now = new Date();
    return this.runner.jobs.map((job) => {
      const schedule = schedules.find((s) => s.name === job.name);
      const intervalMs = this.runner.intervalOf(job.name);
      return {
        name: job.name,
        description: job.description,
        intervalMs,
        enabled: this.runner.scheduling && intervalMs > 0,
        nextRunAt: schedule?.nextRunAt ?? null,
        runningOn: schedule?.lockedUntil && schedule.lockedUntil > now ? schedule.lockedBy : null,
        lastRun: lastRuns.find((r) => r.job === job.name) ?? null,
      };
    });
  }

  /** Runs, newest first, optionally of one job and/or in one status. */
  async runs(filter: JobRunFilter | null | undefined, request: PageRequest): Promise<Page<JobRun>> {
    const first = pageSize(request);
    if (filter?.job != null && (filter.job.length === 0 || filter.job.length > MAX_NAME_LENGTH))
      throw new DomainError('VALIDATION', `job must be 1 to ${MAX_NAME_LENGTH} characters`, ['filter', 'job']);
    let before: bigint | null = null;
    if (request.after) {
      const [id] = decodeCursorAs(request.after, [{ kind: 'text' }]) as [string];
      if (!RUN_ID.test(id)) throw new DomainError('VALIDATION', 'after is not a cursor of this list', ['after']);
      before = BigInt(id);
    }
    const where: Prisma.JobRunWhereInput = {
      ...(filter?.job != null ? { job: filter.job } : {}),
      ...(filter?.status != null ? { status: filter.status } : {}),
    };
    const rows = await this.prisma.jobRun.findMany({
      where: before === null ? where : { ...where, id: { lt: before } },
      orderBy: { id: 'desc' },
      take: first + 1,
    });
    return pageOf(
      rows,
      first,
      (r) => encodeCursor([String(r.id)]),
      request.after,
      () => this.prisma.jobRun.count({ where }),
    );
  }

  /** Starts `name` now on this instance and resolves with the finished run (audited). */
  async runNow(actor: Actor, name: string): Promise<JobRun> {
    if (name.length > MAX_NAME_LENGTH || !this.runner.jobs.some((j) => j.name === name))
      throw new DomainError('NOT_FOUND', 'no job has this name', ['name']);
    const run = await this.runner.runNow(actor, name);
    return this.prisma.jobRun.findUniqueOrThrow({ where: { id: run.id } });
  }
}

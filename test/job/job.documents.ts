import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { notificationDeliveryDeps } from '../../src/modules/notification/notification.dispatcher';
// Typed operations and helpers shared by the job tests.
import { EventService } from '../../src/modules/event/event.service';
import { fromGlobalId } from '../../src/graphql/relay';
import { LoyaltyService } from '../../src/modules/loyalty/loyalty.service';
import { PolicyService } from '../../src/modules/policy/policy.service';
import { SegmentService } from '../../src/modules/segment/segment.service';
import type { JobDeps } from '../../src/modules/job/job.registry';
import { JobRunner, type JobRunnerOptions } from '../../src/modules/job/job.runner';
import type { TestDatabase } from '../helpers/database';
import { graphql } from '../generated';

export const JobRunFields = graphql(`
  fragment JobRunFields on JobRun {
    id
    job
    instance
    status
    startedAt
    finishedAt
    items
    errors
    error
    manual
  }
`);

export const Jobs = graphql(`
  query Jobs {
    jobs {
      name
      description
      intervalMs
      enabled
      nextRunAt
      runningOn
      lastRun { ...JobRunFields }
    }
  }
`);

export const JobRuns = graphql(`
  query JobRuns($filter: JobRunFilter, $first: Int, $after: String) {
    jobRuns(filter: $filter, first: $first, after: $after) {
      totalCount
      edges { cursor node { ...JobRunFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const JobRunNow = graphql(`
  mutation JobRunNow($name: String!) {
    jobRunNow(name: $name) {
      run { ...JobRunFields }
      userErrors { code field message }
    }
  }
`);

/** The services the jobs use, over a test database (as src/services.ts builds them). */
export function jobDeps(db: TestDatabase): JobDeps {
  return {
    db,
    prisma: db.prisma,
    loyalty: new LoyaltyService(db.prisma, db.transaction),
    policies: new PolicyService(db.prisma),
    segments: new SegmentService(db.prisma, (type, id) => fromGlobalId(id, type)?.id ?? null),
    events: new EventService(db, (id) => fromGlobalId(id, 'Customer')?.id ?? null),
    notificationDelivery: notificationDeliveryDeps(
      loadConfig({ NODE_ENV: 'test' }).notifications,
      db.prisma,
      createLogger('silent'),
    ),
  };
}

/** A runner ("instance") over a test database; by default only `only` is scheduled (others 0). */
export function runnerFor(db: TestDatabase, options: JobRunnerOptions & { only?: string[] } = {}): JobRunner {
  const { only, ...rest } = options;
  const probe = new JobRunner(db.prisma, jobDeps(db), { jobs: rest.jobs });
  const intervals = only
    ? Object.fromEntries(probe.jobs.map((j) => [j.name, only.includes(j.name) ? j.defaultIntervalMs : 0]))
    : undefined;
  return new JobRunner(db.prisma, jobDeps(db), { ...rest, intervals: { ...intervals, ...rest.intervals } });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** "YYYY-MM-DD" `days` after the UTC day of `from`. */
export const dayAfter = (from: Date, days: number) =>
  new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + days)).toISOString().slice(0, 10);

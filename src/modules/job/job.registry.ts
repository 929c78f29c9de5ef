import type { Actor } from '../../auth/actor';
import type { Database, PrismaClient } from '../../db/client';
import type { EventService } from '../event/event.service';
import type { LoyaltyService } from '../loyalty/loyalty.service';
import type { PolicyService } from '../policy/policy.service';
import type { SegmentService } from '../segment/segment.service';
import { toLocalDate } from '../../shared/dates';
import { sendRenewalReminders } from './job.reminders';
import { deliverPendingNotifications, type NotificationDeliveryDeps } from '../notification/notification.dispatcher';

/** What one run did: items handled (changed, sent) and items that failed without failing the run. */
export interface JobResult {
  items: number;
  errors: number;
}

/** What jobs may use: the services of the composition root (src/services.ts). */
export interface JobDeps {
  db: Database;
  prisma: PrismaClient;
  loyalty: LoyaltyService;
  policies: PolicyService;
  segments: SegmentService;
  events: EventService;
  /** The dispatcher's transports and settings (from the configuration, src/app.ts). */
  notificationDelivery: Omit<NotificationDeliveryDeps, 'now'>;
}

/** One scheduled job. Adding a job is one entry in JOBS. */
export interface JobDefinition {
  /** snake_case; its interval is configured as JOB_<NAME>_INTERVAL_MS. */
  name: string;
  description: string;
  defaultIntervalMs: number;
  /** Does the work as of `now`; must be safe to repeat (a crashed run is taken over and run again). */
  run(deps: JobDeps, now: Date): Promise<JobResult>;
}

/**
 * Who the services see as the actor of scheduled work (they require a supervisor for the batch
 * operations). Its id is the nil UUID, which is no staff member: audit entries written by jobs
 * carry it, and job_runs tells which run it was.
 */
export const SCHEDULER_ACTOR: Actor = {
  id: '00000000-0000-0000-0000-000000000000',
  role: 'ADMIN',
  email: 'scheduler@jobs.internal',
  name: 'Scheduled jobs',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const JOBS: readonly JobDefinition[] = [
  {
    name: 'points_expiry',
    description: 'Expires loyalty points earned 12 months or more ago (items: accounts with points expired).',
    defaultIntervalMs: HOUR,
    run: async ({ loyalty }, now) => {
      const result = await loyalty.expire(SCHEDULER_ACTOR, { asOf: now }, { now });
      return { items: result.accounts, errors: 0 };
    },
  },
  {
    name: 'tier_review',
    description: "Sets every loyalty account's tier to what its qualifying points earn (items: tiers changed).",
    defaultIntervalMs: 24 * HOUR,
    run: async ({ loyalty }, now) => {
      const result = await loyalty.reviewTiers(SCHEDULER_ACTOR, { asOf: now });
      return { items: result.upgraded + result.downgraded, errors: 0 };
    },
  },
  {
    name: 'policy_status',
    description:
      'Activates PENDING policies whose start date has come and expires those whose end date has passed (items: policies changed).',
    defaultIntervalMs: HOUR,
    run: async ({ policies }, now) => {
      const result = await policies.expireDue(SCHEDULER_ACTOR, toLocalDate(now));
      return { items: result.expired + result.activated, errors: 0 };
    },
  },
  {
    name: 'renewal_reminders',
    description:
      'Queues a RENEWAL_REMINDER for every ACTIVE policy ending within 30 days, once per term (items: reminders queued).',
    defaultIntervalMs: HOUR,
    run: ({ prisma }, now) => sendRenewalReminders(prisma, now),
  },
  {
    name: 'segment_recalculation',
    description:
      'Recalculates every ACTIVE dynamic segment and creates the monthly event partitions ahead (items: segments recalculated).',
    defaultIntervalMs: 15 * MINUTE,
    run: async ({ segments, events }, now) => {
      await events.ensurePartitions();
      return { items: await segments.recalculateAll(null, now), errors: 0 };
    },
  },
  {
    name: 'notification_delivery',
    description:
      'Delivers due notifications (e-mail, SMS) and webhook deliveries, retrying failures with backoff (docs/notifications.md).',
    defaultIntervalMs: 10_000,
    run: (deps, now) => deliverPendingNotifications({ ...deps.notificationDelivery, now }),
  },
];

export function findJob(name: string): JobDefinition | undefined {
  return JOBS.find((job) => job.name === name);
}

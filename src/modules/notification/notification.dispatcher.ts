// Delivers the outbox (docs/notifications.md, "Dispatcher"). Safe with any number of instances:
// work is claimed with FOR UPDATE SKIP LOCKED in one short statement that also leases it
// (status SENDING until lease_expires_at, under a lease token), and delivered with no transaction
// open; the outcome is written only while the lease is still ours. A dispatcher that dies holding
// a lease leaves SENDING rows whose lease expires: the next run claims them again. The claim
// counts the attempt, so a delivery that crashes its dispatcher is still dead-lettered after N.
import { randomUUID } from 'node:crypto';
import type { NotificationSettings } from '../../config';
import type { PrismaClient } from '../../db/client';
import { Prisma } from '../../generated/prisma/client';
import type { ContactChannel, NotificationStatus, NotificationType } from '../../generated/prisma/enums';
import { toGlobalId } from '../../graphql/relay';
import type { Logger } from '../../logger';
import { messageRoute, nextAttemptAt, renderMessage, signatureHeader, type RetryPolicy } from './notification.rules';
import { createTransports, type MessageTransports } from './notification.transports';

export interface NotificationDeliveryConfig extends RetryPolicy {
  leaseMs: number;
  webhookTimeoutMs: number;
  /** Staff notifications are e-mailed here (null: webhooks only). */
  staffEmail: string | null;
  /** Rows claimed per statement and delivered at once (default 50). */
  batchSize?: number;
  /** Upper bound of rows handled per call, so one call ends even when work keeps arriving. */
  maxItemsPerRun?: number;
}

export interface NotificationDeliveryDeps {
  prisma: PrismaClient;
  config: NotificationDeliveryConfig;
  transports: MessageTransports;
  logger: Logger;
  /** The clock of this run (due times, retry times); the signature uses the real clock. */
  now?: Date;
}

/** The dependencies of the dispatcher from the application's configuration. */
export function notificationDeliveryDeps(
  n: NotificationSettings,
  prisma: PrismaClient,
  logger: Logger,
): Omit<NotificationDeliveryDeps, 'now'> {
  return {
    prisma,
    logger,
    transports: createTransports({ smtpUrl: n.smtpUrl, mailFrom: n.mailFrom }, logger),
    config: {
      maxAttempts: n.maxAttempts,
      baseDelayMs: n.retryBaseDelayMs,
      maxDelayMs: n.retryMaxDelayMs,
      leaseMs: n.leaseMs,
      webhookTimeoutMs: n.webhookTimeoutMs,
      staffEmail: n.staffEmail ?? null,
    },
  };
}

interface Outcome {
  status: NotificationStatus;
  nextAttemptAt: Date | null;
  error: string | null;
}

/** SENT, or FAILED with a retry time, or DEAD when that was the last attempt. */
function outcomeOf(error: string | null, attempts: number, now: Date, policy: RetryPolicy): Outcome {
  if (error === null) return { status: 'SENT', nextAttemptAt: null, error: null };
  const next = nextAttemptAt(attempts, now, policy);
  return { status: next ? 'FAILED' : 'DEAD', nextAttemptAt: next, error };
}

const errorText = (error: unknown): string => {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  const text = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
  return text.slice(0, 500);
};

/**
 * Delivers every due notification (its e-mail/SMS message, and its fan-out to webhook
 * subscriptions) and every due webhook delivery. `items` counts the notifications and webhook
 * deliveries handled, `errors` the attempts that failed.
 */
export async function deliverPendingNotifications(
  deps: NotificationDeliveryDeps,
): Promise<{ items: number; errors: number }> {
  const now = deps.now ?? new Date();
  const totals = { items: 0, errors: 0 };
  const limit = deps.config.maxItemsPerRun ?? 1_000;
  // Messages first: handling a notification queues its webhook deliveries, sent in the same run.
  for (const phase of [deliverMessages, deliverWebhooks]) {
    while (totals.items < limit) {
      const batch = await phase(deps, now);
      if (batch.items === 0) break;
      totals.items += batch.items;
      totals.errors += batch.errors;
    }
  }
  if (totals.items > 0) deps.logger.info(totals, 'notifications delivered');
  return totals;
}

/**
 * Claims up to a batch of due rows of an outbox table (notifications or webhook deliveries):
 * pending or failed rows whose time has come, and SENDING rows whose lease ran out (a dispatcher
 * died holding them). One statement: SKIP LOCKED keeps concurrent dispatchers apart, the attempt
 * is counted with the claim, and the lease token names this run for the finishing update.
 */
async function claimDue<T>(
  { prisma, config }: NotificationDeliveryDeps,
  now: Date,
  table: 'notifications' | 'webhook_deliveries',
  returning: Prisma.Sql,
): Promise<{ token: string; rows: T[] }> {
  const token = randomUUID();
  const leaseUntil = new Date(now.getTime() + config.leaseMs);
  const rows = await prisma.$queryRaw<T[]>`
    UPDATE ${Prisma.raw(table)}
    SET status = 'SENDING', attempts = attempts + 1, lease_expires_at = ${leaseUntil}, lease_token = ${token}::uuid
    WHERE id IN (
      SELECT id FROM ${Prisma.raw(table)}
      WHERE (status IN ('PENDING', 'FAILED') AND next_attempt_at <= ${now})
         OR (status = 'SENDING' AND lease_expires_at <= ${now})
      ORDER BY next_attempt_at, id
      LIMIT ${config.batchSize ?? 50}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING ${returning}`;
  return { token, rows };
}

interface ClaimedNotification {
  id: string;
  type: NotificationType;
  customer_id: string | null;
  channel: ContactChannel | null;
  payload: unknown;
  attempts: number;
}

async function deliverMessages(deps: NotificationDeliveryDeps, now: Date): Promise<{ items: number; errors: number }> {
  const { prisma, config } = deps;
  const { token, rows: claimed } = await claimDue<ClaimedNotification>(
    deps,
    now,
    'notifications',
    Prisma.sql`id, type::text AS type, customer_id, channel::text AS channel, payload, attempts`,
  );
  if (claimed.length === 0) return { items: 0, errors: 0 };

  const customerIds = [...new Set(claimed.flatMap((n) => (n.customer_id ? [n.customer_id] : [])))];
  const customers = new Map(
    (
      await prisma.customer.findMany({
        where: { id: { in: customerIds } },
        select: { id: true, status: true, email: true, phone: true, prefChannel: true, marketingConsent: true },
      })
    ).map((c) => [c.id, c]),
  );

  // Queue the webhook deliveries of the whole batch in one statement; idempotent (unique per
  // subscription and notification), so a retried claim queues nothing twice.
  const live = claimed.filter((n) => n.attempts <= config.maxAttempts);
  if (live.length > 0) {
    await prisma.$executeRaw`
      INSERT INTO webhook_deliveries (subscription_id, notification_id, next_attempt_at)
      SELECT s.id, k.id, ${now} FROM unnest(${live.map((n) => n.id)}::uuid[], ${live.map((n) => n.type)}::text[]) AS k(id, type)
      JOIN webhook_subscriptions s ON s.active AND k.type::"NotificationType" = ANY (s.event_types)
      ON CONFLICT (subscription_id, notification_id) DO NOTHING`;
  }

  const outcomes = await Promise.all(
    claimed.map(async (n): Promise<Outcome> => {
      // Its last attempt's dispatcher died: dead-lettered without another try.
      if (n.attempts > config.maxAttempts)
        return { status: 'DEAD', nextAttemptAt: null, error: 'lease expired during the last attempt' };
      const recipient = n.customer_id ? (customers.get(n.customer_id) ?? null) : null;
      const route =
        n.customer_id && !recipient
          ? ({ channel: null, skipped: 'customer not found' } as const)
          : messageRoute(n.type, n.channel, recipient, config.staffEmail);
      if (route.channel === null) return { status: 'SKIPPED', nextAttemptAt: null, error: route.skipped };
      const transport = route.channel === 'EMAIL' ? deps.transports.email : deps.transports.sms;
      let failure: string | null = null;
      try {
        await transport.send({ notificationId: n.id, type: n.type, to: route.to, ...renderMessage(n.type, n.payload) });
      } catch (error) {
        failure = errorText(error);
        deps.logger.warn({ notificationId: n.id, channel: route.channel, err: failure }, 'notification message failed');
      }
      return outcomeOf(failure, n.attempts, now, config);
    }),
  );
  // Every outcome of the batch in one statement, only where the lease is still ours.
  await prisma.$executeRaw`
    UPDATE notifications n
    SET status = o.status::"NotificationStatus", lease_expires_at = NULL, lease_token = NULL,
        next_attempt_at = COALESCE(o.next_at, n.next_attempt_at), last_error = o.error,
        sent_at = CASE WHEN o.status = 'SENT' THEN ${now}::timestamptz ELSE n.sent_at END
    FROM unnest(${claimed.map((n) => n.id)}::uuid[], ${outcomes.map((o) => o.status)}::text[],
                ${outcomes.map((o) => o.nextAttemptAt?.toISOString() ?? null)}::timestamptz[],
                ${outcomes.map((o) => o.error)}::text[]) AS o(id, status, next_at, error)
    WHERE n.id = o.id AND n.lease_token = ${token}::uuid`;
  return { items: claimed.length, errors: outcomes.filter(isFailure).length };
}

const isFailure = (o: Outcome) => o.status === 'FAILED' || o.status === 'DEAD';

interface ClaimedDelivery {
  id: string;
  subscription_id: string;
  notification_id: string;
  attempts: number;
}

async function deliverWebhooks(deps: NotificationDeliveryDeps, now: Date): Promise<{ items: number; errors: number }> {
  const { prisma, config } = deps;
  const { token, rows: claimed } = await claimDue<ClaimedDelivery>(
    deps,
    now,
    'webhook_deliveries',
    Prisma.sql`id, subscription_id, notification_id, attempts`,
  );
  if (claimed.length === 0) return { items: 0, errors: 0 };

  const [subscriptions, notifications] = await Promise.all([
    prisma.webhookSubscription.findMany({ where: { id: { in: [...new Set(claimed.map((d) => d.subscription_id))] } } }),
    prisma.notification.findMany({ where: { id: { in: [...new Set(claimed.map((d) => d.notification_id))] } } }),
  ]);
  const subscriptionById = new Map(subscriptions.map((s) => [s.id, s]));
  const notificationById = new Map(notifications.map((n) => [n.id, n]));

  interface Result extends Outcome {
    /** Whether a POST was made (and is logged). */
    posted: boolean;
    statusCode: number | null;
    durationMs: number;
  }
  const results = await Promise.all(
    claimed.map(async (d): Promise<Result> => {
      const subscription = subscriptionById.get(d.subscription_id);
      const notification = notificationById.get(d.notification_id);
      const unsent = { posted: false, statusCode: null, durationMs: 0 };
      // Deactivated (or deleted) since it was queued: nothing is sent.
      if (!subscription || !notification || !subscription.active)
        return { ...unsent, status: 'SKIPPED', nextAttemptAt: null, error: null };
      if (d.attempts > config.maxAttempts)
        return { ...unsent, status: 'DEAD', nextAttemptAt: null, error: 'lease expired during the last attempt' };
      const body = JSON.stringify({
        id: toGlobalId('Notification', notification.id),
        type: notification.type,
        time: notification.createdAt.toISOString(),
        customerId: notification.customerId ? toGlobalId('Customer', notification.customerId) : null,
        payload: notification.payload,
      });
      const started = performance.now();
      let statusCode: number | null = null;
      let failure: string | null = null;
      try {
        const response = await fetch(subscription.url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(config.webhookTimeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'customer-api-webhooks/1',
            'x-webhook-id': toGlobalId('Notification', notification.id),
            'x-webhook-attempt': String(d.attempts),
            'x-signature': signatureHeader(subscription.secret, Math.floor(Date.now() / 1000), body),
          },
          body,
        });
        statusCode = response.status;
        await response.body?.cancel();
        if (statusCode < 200 || statusCode > 299) failure = `HTTP ${statusCode}`;
      } catch (error) {
        failure = errorText(error);
      }
      const durationMs = Math.round(performance.now() - started);
      if (failure) deps.logger.warn({ deliveryId: d.id, attempt: d.attempts, err: failure }, 'webhook delivery failed');
      return { ...outcomeOf(failure, d.attempts, now, config), posted: true, statusCode, durationMs };
    }),
  );
  // The log entries and the outcomes of the whole batch in one statement; an outcome is written
  // only where the lease is still ours, the log entry of a POST that happened always.
  await prisma.$executeRaw`
    WITH o AS (
      SELECT * FROM unnest(
        ${claimed.map((d) => d.id)}::uuid[], ${claimed.map((d) => d.subscription_id)}::uuid[],
        ${claimed.map((d) => d.attempts)}::int[], ${results.map((r) => r.status)}::text[],
        ${results.map((r) => r.nextAttemptAt?.toISOString() ?? null)}::timestamptz[], ${results.map((r) => r.error)}::text[],
        ${results.map((r) => r.posted)}::boolean[], ${results.map((r) => r.statusCode)}::int[],
        ${results.map((r) => r.durationMs)}::int[]
      ) AS o(id, subscription_id, attempt, status, next_at, error, posted, status_code, duration_ms)
    ), logged AS (
      INSERT INTO webhook_delivery_attempts (delivery_id, subscription_id, attempt, outcome, status_code, error, duration_ms, attempted_at)
      SELECT id, subscription_id, attempt, status::"NotificationStatus", status_code, error, duration_ms, ${now}::timestamptz
      FROM o WHERE posted
    )
    UPDATE webhook_deliveries d
    SET status = o.status::"NotificationStatus", lease_expires_at = NULL, lease_token = NULL,
        next_attempt_at = COALESCE(o.next_at, d.next_attempt_at),
        delivered_at = CASE WHEN o.status = 'SENT' THEN ${now}::timestamptz ELSE d.delivered_at END
    FROM o
    WHERE d.id = o.id AND d.lease_token = ${token}::uuid`;
  return { items: claimed.length, errors: results.filter(isFailure).length };
}

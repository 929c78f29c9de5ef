import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import type { Notification } from '../../generated/prisma/client';
import type { ContactChannel, NotificationStatus, NotificationType } from '../../generated/prisma/enums';
import { toDate } from '../../shared/dates';
import { groupBy, loaderOne } from '../../shared/loaders';
import { decodeCursorAs, encodeCursor, pageOf, type Page } from '../../shared/pagination';

/** Position in a list of notifications (newest first): createdAt, then id. */
export interface NotificationCursor {
  createdAt: Date;
  id: string;
}

export interface NotificationsPageKey {
  customerId: string;
  first: number;
  after: NotificationCursor | null;
}

export const notificationCursor = (n: Pick<Notification, 'createdAt' | 'id'>): string =>
  encodeCursor([n.createdAt.toISOString(), n.id]);

export function parseNotificationCursor(after: string): NotificationCursor {
  const [createdAt, id] = decodeCursorAs(after, [{ kind: 'timestamp' }, { kind: 'uuid' }]) as [Date, string];
  return { createdAt, id };
}

/** A notifications row as `$queryRaw` returns it. */
interface NotificationRow {
  id: string;
  type: string;
  customer_id: string | null;
  channel: string | null;
  payload: unknown;
  status: string;
  attempts: number;
  created_at: Date | string;
  sent_at: Date | string | null;
  next_attempt_at: Date | string;
  lease_expires_at: Date | string | null;
  lease_token: string | null;
  last_error: string | null;
  key_index: number;
}

const dateOrNull = (value: Date | string | null) => (value == null ? null : toDate(value));

/** Maps a raw row back to the shape Prisma's own queries return. */
function notificationFromRow(row: NotificationRow): Notification {
  return {
    id: row.id,
    type: row.type as NotificationType,
    customerId: row.customer_id,
    channel: row.channel as ContactChannel | null,
    payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Notification['payload'],
    status: row.status as NotificationStatus,
    attempts: Number(row.attempts),
    createdAt: toDate(row.created_at),
    sentAt: dateOrNull(row.sent_at),
    nextAttemptAt: toDate(row.next_attempt_at),
    leaseExpiresAt: dateOrNull(row.lease_expires_at),
    leaseToken: row.lease_token,
    lastError: row.last_error,
  };
}

const pageKey = (key: NotificationsPageKey) =>
  `${key.customerId}|${key.first}|${key.after ? `${key.after.createdAt.toISOString()}|${key.after.id}` : ''}`;

export const createNotificationLoaders = (prisma: PrismaClient) => {
  const notificationCountByCustomerId = new DataLoader<string, number>(async (customerIds) => {
    const groups = await prisma.notification.groupBy({
      by: ['customerId'],
      where: { customerId: { in: [...customerIds] } },
      _count: { _all: true },
    });
    const counts = new Map(groups.map((g) => [g.customerId, g._count._all]));
    return customerIds.map((id) => counts.get(id) ?? 0);
  });

  /**
   * Pages of notifications of many customers (`customers { notifications(first: 3) }`) in ONE
   * statement: row_number() over each key keeps its first N+1 rows (newest first) after its cursor.
   */
  const notificationsPageByCustomer = new DataLoader<NotificationsPageKey, Page<Notification>, string>(
    async (keys) => {
      const customerIds = keys.map((k) => k.customerId);
      const afterCreatedAt = keys.map((k) => k.after?.createdAt.toISOString() ?? null);
      const afterIds = keys.map((k) => k.after?.id ?? null);
      const limits = keys.map((k) => k.first + 1);
      const rows = await prisma.$queryRaw<NotificationRow[]>`
        SELECT id, type, customer_id, channel, payload, status, attempts, created_at, sent_at, next_attempt_at,
               lease_expires_at, lease_token, last_error, key_index
        FROM (
          SELECT n.id, n.type::text AS type, n.customer_id, n.channel::text AS channel, n.payload, n.status::text AS status,
                 n.attempts, n.created_at, n.sent_at, n.next_attempt_at, n.lease_expires_at, n.lease_token::text AS lease_token,
                 n.last_error, k.key_index::int AS key_index, k.lim,
                 row_number() OVER (PARTITION BY k.key_index ORDER BY n.created_at DESC, n.id DESC) AS rn
          FROM unnest(${customerIds}::uuid[], ${afterCreatedAt}::timestamptz[], ${afterIds}::uuid[], ${limits}::int[])
               WITH ORDINALITY AS k(customer_id, after_created_at, after_id, lim, key_index)
          JOIN notifications n ON n.customer_id = k.customer_id
          WHERE k.after_id IS NULL OR (n.created_at, n.id) < (k.after_created_at, k.after_id)
        ) ranked
        WHERE rn <= lim
        ORDER BY key_index, rn`;
      const byKey = groupBy(rows, (row) => Number(row.key_index) - 1); // WITH ORDINALITY counts from 1
      return keys.map(
        (key, index): Page<Notification> =>
          pageOf((byKey.get(index) ?? []).map(notificationFromRow), key.first, notificationCursor, key.after, () =>
            notificationCountByCustomerId.load(key.customerId),
          ),
      );
    },
    { cacheKeyFn: pageKey },
  );

  return {
    notificationById: loaderOne(
      (ids: string[]) => prisma.notification.findMany({ where: { id: { in: ids } } }),
      (n) => n.id,
    ),
    webhookSubscriptionById: loaderOne(
      (ids: string[]) => prisma.webhookSubscription.findMany({ where: { id: { in: ids } } }),
      (s) => s.id,
    ),
    notificationsPageByCustomer,
  };
};

import { ownerScope, type Actor } from '../../auth/actor';
import type { PrismaClient } from '../../db/client';
import type { Notification, Prisma, WebhookDeliveryAttempt } from '../../generated/prisma/client';
import type { ContactChannel, NotificationStatus, NotificationType } from '../../generated/prisma/enums';
import { Validator } from '../../shared/domain-error';
import { decodeCursorAs, encodeCursor, pageOf, pageSize, type Page, type PageRequest } from '../../shared/pagination';

export interface NotificationListFilter {
  status?: NotificationStatus[] | null;
  type?: NotificationType[] | null;
  channel?: ContactChannel[] | null;
  /** Database id of a customer. */
  customerId?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

export interface WebhookDeliveryListFilter {
  /** Database ids. */
  subscriptionId?: string | null;
  notificationId?: string | null;
  outcome?: NotificationStatus[] | null;
}

/** Longest list of enum values a filter takes (more can only repeat values). */
const MAX_FILTER_VALUES = 20;

/** Reading the outbox and the webhook delivery log; delivery itself is notification.dispatcher.ts. */
export class NotificationService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Newest first; agents see their own customers' notifications only (not staff notifications). */
  async list(actor: Actor, filter: NotificationListFilter | null, page: PageRequest): Promise<Page<Notification>> {
    const first = pageSize(page);
    const f = filter ?? {};
    const v = new Validator();
    for (const key of ['status', 'type', 'channel'] as const)
      v.check((f[key]?.length ?? 0) <= MAX_FILTER_VALUES, ['filter', key], `At most ${MAX_FILTER_VALUES} values`);
    v.check(
      !f.createdAfter || !f.createdBefore || f.createdAfter < f.createdBefore,
      ['filter', 'createdBefore'],
      'createdBefore must be after createdAfter',
    );
    v.throwIfInvalid();
    const and: Prisma.NotificationWhereInput[] = [];
    const scope = ownerScope(actor);
    if (scope) and.push({ customer: { ownerId: scope } });
    if (f.status?.length) and.push({ status: { in: f.status } });
    if (f.type?.length) and.push({ type: { in: f.type } });
    if (f.channel?.length) and.push({ channel: { in: f.channel } });
    if (f.customerId) and.push({ customerId: f.customerId });
    if (f.createdAfter) and.push({ createdAt: { gte: f.createdAfter } });
    if (f.createdBefore) and.push({ createdAt: { lt: f.createdBefore } });
    const where: Prisma.NotificationWhereInput = and.length ? { AND: and } : {};
    const after = page.after ? afterCursor(page.after) : null;
    const rows = await this.prisma.notification.findMany({
      where: after ? { AND: [where, after] } : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
    });
    return pageOf(
      rows,
      first,
      (n) => encodeCursor([n.createdAt.toISOString(), n.id]),
      page.after,
      () => this.prisma.notification.count({ where }),
    );
  }

  /** The webhook delivery log, newest first (ADMIN). */
  async deliveries(filter: WebhookDeliveryListFilter | null, page: PageRequest): Promise<Page<WebhookDeliveryAttempt>> {
    const first = pageSize(page);
    const f = filter ?? {};
    const v = new Validator();
    v.check(
      (f.outcome?.length ?? 0) <= MAX_FILTER_VALUES,
      ['filter', 'outcome'],
      `At most ${MAX_FILTER_VALUES} values`,
    );
    v.throwIfInvalid();
    const and: Prisma.WebhookDeliveryAttemptWhereInput[] = [];
    if (f.subscriptionId) and.push({ subscriptionId: f.subscriptionId });
    if (f.notificationId) and.push({ delivery: { notificationId: f.notificationId } });
    if (f.outcome?.length) and.push({ outcome: { in: f.outcome } });
    const where: Prisma.WebhookDeliveryAttemptWhereInput = and.length ? { AND: and } : {};
    let after: Prisma.WebhookDeliveryAttemptWhereInput | null = null;
    if (page.after) {
      const [at, id] = decodeCursorAs(page.after, [{ kind: 'timestamp' }, { kind: 'uuid' }]) as [Date, string];
      after = { OR: [{ attemptedAt: { lt: at } }, { attemptedAt: at, id: { lt: id } }] };
    }
    const rows = await this.prisma.webhookDeliveryAttempt.findMany({
      where: after ? { AND: [where, after] } : where,
      orderBy: [{ attemptedAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
      include: { delivery: { select: { notificationId: true } } },
    });
    return pageOf(
      rows,
      first,
      (a) => encodeCursor([a.attemptedAt.toISOString(), a.id]),
      page.after,
      () => this.prisma.webhookDeliveryAttempt.count({ where }),
    );
  }
}

/** Notifications strictly after the cursor in (createdAt desc, id desc) order. */
function afterCursor(cursor: string): Prisma.NotificationWhereInput {
  const [at, id] = decodeCursorAs(cursor, [{ kind: 'timestamp' }, { kind: 'uuid' }]) as [Date, string];
  return { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] };
}

import { ownerScope, type Actor } from '../../auth/actor';
import type { PrismaClient, Tx } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import type { Feedback, Prisma } from '../../generated/prisma/client';
import type { FeedbackStatus } from '../../generated/prisma/enums';
import { DomainError, notFound, Validator } from '../../shared/domain-error';
import { decodeCursorAs, encodeCursor, pageOf, pageSize, type Page, type PageRequest } from '../../shared/pagination';
import { recordAudit } from '../audit/audit';
import { enqueueNotification } from '../notification/outbox';
import {
  feedbackWindowClosesAt,
  feedbackWindowOpen,
  normaliseComment,
  refuseFeedbackTransition,
  validateFeedback,
  validateFeedbackFilter,
  type FeedbackFilterFields,
} from './feedback.rules';

export interface FeedbackSubmission {
  /** Database id of the customer giving the feedback. */
  customerId: string;
  rating: number;
  comment?: string | null;
}

export interface FeedbackListFilter extends FeedbackFilterFields {
  status?: FeedbackStatus[] | null;
  /** Database id of a customer. */
  customerId?: string | null;
}

const duplicate = () => new DomainError('DUPLICATE', 'This order already has feedback', ['orderId']);

/**
 * Feedback on orders (SPEC §3 "Orders and feedback"). It changes no customer data, so it takes no
 * customer lock: "one per order" is decided by the unique index on feedback.order_id, and a
 * violation (two submissions at once) becomes the same DUPLICATE as the check before it.
 */
export class FeedbackService {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Checks, in order: the input (VALIDATION), the order (NOT_FOUND, also for an order of a
   * customer the actor may not see), that it is the given customer's order (VALIDATION on
   * input.customerId), that it has no feedback yet (DUPLICATE) and the 7-day window
   * (WINDOW_CLOSED). Staff are told through the outbox in the same transaction.
   */
  async submit(actor: Actor, orderId: string, input: FeedbackSubmission): Promise<Feedback> {
    const now = new Date();
    const comment = normaliseComment(input.comment);
    const v = new Validator();
    validateFeedback(v, { rating: input.rating, comment });
    v.throwIfInvalid();
    try {
      return await this.prisma.$transaction(async (tx) => {
        const order = await tx.order.findUnique({ where: { id: orderId } });
        if (!order || !(await this.visible(tx, actor, order.customerId))) throw notFound('Order', ['orderId']);
        if (order.customerId !== input.customerId) {
          throw new DomainError('VALIDATION', 'This order is not an order of this customer', ['input', 'customerId']);
        }
        if (await tx.feedback.findUnique({ where: { orderId }, select: { id: true } })) throw duplicate();
        if (!feedbackWindowOpen(order, now)) {
          const closedAt = feedbackWindowClosesAt(order).toISOString();
          throw new DomainError(
            'WINDOW_CLOSED',
            `Feedback is accepted for 7 days after ${order.deliveredAt ? 'delivery' : 'the order'}; it closed at ${closedAt}`,
            ['orderId'],
          );
        }
        const feedback = await tx.feedback.create({
          data: { orderId, customerId: order.customerId, rating: input.rating, comment },
        });
        await enqueueNotification(tx, {
          type: 'FEEDBACK_RECEIVED',
          customerId: null, // addressed to staff
          payload: {
            feedbackId: feedback.id,
            orderId,
            orderNumber: order.number,
            customerId: order.customerId,
            rating: feedback.rating,
          },
        });
        await recordAudit(tx, actor, {
          action: 'feedback.submit',
          entityType: 'Feedback',
          entityId: feedback.id,
          changedFields: comment ? ['rating', 'comment'] : ['rating'],
        });
        return feedback;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'order_id')) throw duplicate();
      throw error;
    }
  }

  /** A review step (feedback.rules.ts); the feedback row is locked so concurrent steps queue up. */
  async changeStatus(actor: Actor, id: string, status: FeedbackStatus): Promise<Feedback> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM feedback WHERE id = ${id}::uuid FOR UPDATE`;
      const current = await tx.feedback.findUnique({ where: { id } });
      if (!current || !(await this.visible(tx, actor, current.customerId))) throw notFound('Feedback');
      if (current.status === status) return current;
      const refusal = refuseFeedbackTransition(current.status, status);
      if (refusal) throw new DomainError('INVALID_TRANSITION', refusal, ['input', 'status']);
      const updated = await tx.feedback.update({ where: { id }, data: { status } });
      await recordAudit(tx, actor, {
        action: `feedback.status.${current.status}->${status}`,
        entityType: 'Feedback',
        entityId: id,
        changedFields: ['status'],
      });
      return updated;
    });
  }

  /** Newest first; agents see the feedback of their own customers only. */
  async list(actor: Actor, filter: FeedbackListFilter | null | undefined, page: PageRequest): Promise<Page<Feedback>> {
    const first = pageSize(page);
    const f = filter ?? {};
    const v = new Validator();
    validateFeedbackFilter(v, f);
    v.throwIfInvalid();
    const and: Prisma.FeedbackWhereInput[] = [];
    const scope = ownerScope(actor);
    if (scope) and.push({ customer: { ownerId: scope } });
    if (f.status?.length) and.push({ status: { in: f.status } });
    if (f.ratingMin != null) and.push({ rating: { gte: f.ratingMin } });
    if (f.ratingMax != null) and.push({ rating: { lte: f.ratingMax } });
    if (f.from) and.push({ createdAt: { gte: f.from } });
    if (f.to) and.push({ createdAt: { lt: f.to } });
    if (f.customerId) and.push({ customerId: f.customerId });
    const where: Prisma.FeedbackWhereInput = and.length ? { AND: and } : {};
    const after = page.after ? afterCursor(page.after) : null;
    const rows = await this.prisma.feedback.findMany({
      where: after ? { AND: [where, after] } : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first + 1,
    });
    return pageOf(
      rows,
      first,
      (node) => encodeCursor([node.createdAt.toISOString(), node.id]),
      page.after,
      () => this.prisma.feedback.count({ where }),
    );
  }

  private async visible(tx: Tx, actor: Actor, customerId: string): Promise<boolean> {
    const scope = ownerScope(actor);
    if (!scope) return true;
    const customer = await tx.customer.findUnique({ where: { id: customerId }, select: { ownerId: true } });
    return customer?.ownerId === scope;
  }
}

/** Feedback strictly after the cursor in (createdAt desc, id desc) order. */
function afterCursor(cursor: string): Prisma.FeedbackWhereInput {
  const [at, id] = decodeCursorAs(cursor, [{ kind: 'timestamp' }, { kind: 'uuid' }]) as [Date, string];
  return { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] };
}

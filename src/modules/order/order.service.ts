import type { Actor } from '../../auth/actor';
import type { PrismaClient, Tx } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import type { Order, Prisma } from '../../generated/prisma/client';
import type { OrderStatus } from '../../generated/prisma/enums';
import { DomainError, notFound, Validator } from '../../shared/domain-error';
import { recordAudit } from '../audit/audit';
import { lockCustomer } from '../customer/customer.lock';
import { clawBackOrderPointsInTx } from '../loyalty/loyalty.clawback';
import { earnPointsInTx } from '../loyalty/loyalty.ledger';
import {
  normaliseOrder,
  pointsForTotal,
  refuseOrderTransition,
  validateDelivery,
  validateOrderRecord,
  type OrderRecordFields,
} from './order.rules';

export interface OrderStatusChange {
  status: OrderStatus;
  deliveredAt?: Date | null;
}

/** The idempotency key of an order's EARN entry: whatever happens, an order earns once. */
export const orderEarnKey = (orderId: string) => `order:${orderId}:earn`;

const duplicateNumber = () =>
  new DomainError('DUPLICATE', 'Another order already has this number', ['input', 'number']);
const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

/**
 * Orders (SPEC §3 "Orders and feedback"). Every change locks the customer row first (which also
 * enforces that the actor may see the customer), so changes to one customer's orders, spend and
 * points apply one at a time across all server instances.
 */
export class OrderService {
  constructor(private readonly prisma: PrismaClient) {}

  async record(actor: Actor, customerId: string, input: OrderRecordFields): Promise<Order> {
    const now = new Date();
    const order = normaliseOrder(input);
    const v = new Validator();
    validateOrderRecord(v, order, now);
    v.throwIfInvalid();
    const status = order.status ?? 'PENDING';
    const deliveredAt = order.deliveredAt ?? (status === 'DELIVERED' ? later(now, order.placedAt) : null);
    // A sale recorded as already completed was completed when delivered or, at the counter, when placed.
    const completedAt = status === 'COMPLETED' ? (deliveredAt ?? order.placedAt) : null;

    return this.inTransaction(async (tx) => {
      await lockCustomer(tx, actor, customerId, ['customerId']);
      if (await tx.order.findUnique({ where: { number: order.number }, select: { id: true } })) throw duplicateNumber();
      const created = await tx.order.create({
        data: {
          number: order.number,
          customerId,
          total: order.total,
          currency: order.currency,
          status,
          placedAt: order.placedAt,
          deliveredAt,
          completedAt,
        },
      });
      const changed = Object.keys(input).filter((key) => input[key as keyof OrderRecordFields] != null);
      const awarded = completedAt ? await this.applyCompletion(tx, actor, created, completedAt) : false;
      await recordAudit(tx, actor, {
        action: 'order.record',
        entityType: 'Order',
        entityId: created.id,
        changedFields: awarded ? [...changed, 'pointsAwardedAt'] : changed,
      });
      return awarded ? tx.order.findUniqueOrThrow({ where: { id: created.id } }) : created;
    });
  }

  /**
   * Moves an order along its life cycle (order.rules.ts). Setting the current status again
   * returns the order unchanged, so a retried or concurrent "complete" succeeds without effect.
   */
  async changeStatus(actor: Actor, id: string, change: OrderStatusChange): Promise<Order> {
    const now = new Date();
    return this.inTransaction(async (tx) => {
      const found = await tx.order.findUnique({ where: { id }, select: { customerId: true } });
      if (!found) throw notFound('Order');
      await lockCustomer(tx, actor, found.customerId, ['id']);
      // Read again under the customer lock: a concurrent change may have moved it meanwhile.
      const current = await tx.order.findUniqueOrThrow({ where: { id } });
      if (current.status === change.status) return current;
      const refusal = refuseOrderTransition(current.status, change.status);
      if (refusal) throw new DomainError('INVALID_TRANSITION', refusal, ['input', 'status']);

      const v = new Validator();
      v.check(
        change.deliveredAt == null || change.status === 'DELIVERED',
        ['input', 'deliveredAt'],
        'deliveredAt is only given when the order becomes DELIVERED',
      );
      const deliveredAt = change.status === 'DELIVERED' ? (change.deliveredAt ?? later(now, current.placedAt)) : null;
      if (deliveredAt) validateDelivery(v, deliveredAt, current.placedAt, ['input', 'deliveredAt'], now);
      v.throwIfInvalid();

      const data: Prisma.OrderUpdateInput = { status: change.status };
      if (deliveredAt) data.deliveredAt = deliveredAt;
      if (change.status === 'COMPLETED') data.completedAt = now;
      const updated = await tx.order.update({ where: { id }, data });
      const changed = Object.keys(data);
      let reread = false;
      if (change.status === 'COMPLETED' && (await this.applyCompletion(tx, actor, updated, now))) {
        changed.push('pointsAwardedAt');
        reread = true;
      }
      if (change.status === 'REFUNDED' && current.pointsAwardedAt) {
        await this.reverseSpend(tx, current);
        await clawBackOrderPointsInTx(tx, { customerId: current.customerId, order: current, actor, now });
      }
      await recordAudit(tx, actor, {
        action: `order.status.${current.status}->${change.status}`,
        entityType: 'Order',
        entityId: id,
        changedFields: changed,
      });
      return reread ? tx.order.findUniqueOrThrow({ where: { id } }) : updated;
    });
  }

  /**
   * The effects of completion, at most once per order: the guarded UPDATE claims the order
   * (0 rows: someone already did, so nothing more happens), then the points are earned through
   * the ledger (its idempotency key is a second guard) and the spend counted, all in the caller's
   * transaction. Returns whether this call applied them.
   */
  private async applyCompletion(tx: Tx, actor: Actor, order: Order, completedAt: Date): Promise<boolean> {
    const claimed =
      await tx.$executeRaw`UPDATE orders SET points_awarded_at = now() WHERE id = ${order.id}::uuid AND points_awarded_at IS NULL`;
    if (claimed === 0) return false;
    const points = pointsForTotal(order.total);
    if (points > 0) {
      await earnPointsInTx(tx, {
        customerId: order.customerId,
        points,
        reason: `Order ${order.number} completed`,
        orderId: order.id,
        idempotencyKey: orderEarnKey(order.id),
        actorId: actor.id,
      });
    }
    await tx.$executeRaw`
      UPDATE customers
      SET total_spent = total_spent + ${order.total.toFixed()}::numeric,
          order_count = order_count + 1,
          last_activity_at = GREATEST(coalesce(last_activity_at, ${completedAt}::timestamptz), ${completedAt}::timestamptz)
      WHERE id = ${order.customerId}::uuid`;
    return true;
  }

  /** A refunded order no longer counts as spend (its points are clawed back by the caller). */
  private async reverseSpend(tx: Tx, order: Order): Promise<void> {
    await tx.$executeRaw`
      UPDATE customers
      SET total_spent = GREATEST(total_spent - ${order.total.toFixed()}::numeric, 0),
          order_count = GREATEST(order_count - 1, 0)
      WHERE id = ${order.customerId}::uuid`;
  }

  private async inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.prisma.$transaction(fn);
    } catch (error) {
      // Two requests recording the same number at once: the unique index decides.
      if (isUniqueViolation(error, 'number')) throw duplicateNumber();
      throw error;
    }
  }
}

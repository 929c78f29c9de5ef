// Pure rules of orders (SPEC §3 "Orders and feedback"): the status life cycle, what a valid
// order looks like and how many points it earns. No storage, tested table-driven.
import type { OrderStatus } from '../../generated/prisma/enums';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { Validator } from '../../shared/domain-error';
import { MAX_POINTS_PER_OPERATION } from '../loyalty/loyalty.tiers';

/**
 * The order life cycle:
 *
 *   PENDING → PAID → SHIPPED → DELIVERED → COMPLETED
 *   PENDING → CANCELLED, PAID → CANCELLED          (nothing shipped yet)
 *   PAID → COMPLETED                                (a sale handed over at the counter: never shipped)
 *   DELIVERED → REFUNDED, COMPLETED → REFUNDED      (goods returned)
 *
 * CANCELLED and REFUNDED are final. Everything else (skipping steps, going back, leaving a final
 * status) is an INVALID_TRANSITION. Setting the status an order already has is not a transition:
 * the order service treats it as an idempotent no-op (a retried "complete" does not fail and
 * never awards points twice).
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['PAID', 'CANCELLED'],
  PAID: ['SHIPPED', 'COMPLETED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: ['COMPLETED', 'REFUNDED'],
  COMPLETED: ['REFUNDED'],
  CANCELLED: [],
  REFUNDED: [],
};

/** null when `from → to` is allowed (or a no-op), otherwise why not. */
export function refuseOrderTransition(from: OrderStatus, to: OrderStatus): string | null {
  if (from === to || ORDER_TRANSITIONS[from].includes(to)) return null;
  if (ORDER_TRANSITIONS[from].length === 0) return `A ${from} order is final; it cannot become ${to}`;
  return `An order cannot go from ${from} to ${to} (allowed: ${ORDER_TRANSITIONS[from].join(', ')})`;
}

/** Statuses in which an order has been delivered (or may have been: a completed or refunded counter sale has no delivery). */
export const STATUSES_WITH_DELIVERY: readonly OrderStatus[] = ['DELIVERED', 'COMPLETED', 'REFUNDED'];

/** The ledger takes at most this many points in one entry, so an order earns at most this many. */
export const MAX_POINTS_PER_ORDER = MAX_POINTS_PER_OPERATION;

/**
 * 1 point per whole currency unit of the total (floor), in the order's currency (no conversion);
 * 0 for totals below 1, and at most MAX_POINTS_PER_ORDER (1,000,000) for very large orders.
 */
export function pointsForTotal(total: Decimal): number {
  return total.isNegative() ? 0 : Math.min(total.floor().toNumber(), MAX_POINTS_PER_ORDER);
}

export const MAX_ORDER_TOTAL = 10_000_000;
export const MAX_ORDER_NUMBER_LENGTH = 40;
/** Clocks of tills and web shops drift; times up to this far in the future are accepted. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** Orders older than this are not plausible (typing errors such as 0024 for 2024). */
export const EARLIEST_ORDER_DATE = new Date('2000-01-01T00:00:00.000Z');

const ORDER_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._/#-]*$/;

export interface OrderRecordFields {
  number: string;
  total: Decimal;
  currency: string;
  placedAt: Date;
  status?: OrderStatus | null;
  deliveredAt?: Date | null;
}

export function normaliseOrder<T extends OrderRecordFields>(input: T): T {
  return { ...input, number: input.number.trim(), currency: input.currency.trim().toUpperCase() };
}

export function validateTotal(v: Validator, total: Decimal, field: string[]): void {
  v.check(total.gte(0), field, 'Total cannot be negative');
  v.check(total.lte(MAX_ORDER_TOTAL), field, `Total cannot exceed ${MAX_ORDER_TOTAL.toLocaleString('en-US')}`);
  v.check(total.decimalPlaces() <= 2, field, 'Total has more than 2 decimal places');
}

/** A time of the order's life: not before 2000 and not in the future. */
export function validateOrderTime(v: Validator, time: Date, field: string[], now: Date): void {
  v.check(time.getTime() >= EARLIEST_ORDER_DATE.getTime(), field, 'Date is before 2000-01-01');
  v.check(time.getTime() <= now.getTime() + CLOCK_SKEW_MS, field, 'Date is in the future');
}

export function validateOrderRecord(v: Validator, o: OrderRecordFields, now: Date): void {
  v.check(
    o.number.length > 0 && o.number.length <= MAX_ORDER_NUMBER_LENGTH,
    ['input', 'number'],
    `Order number is required (1–${MAX_ORDER_NUMBER_LENGTH} characters)`,
  );
  v.check(
    o.number.length === 0 || ORDER_NUMBER.test(o.number),
    ['input', 'number'],
    'Order number may contain letters, digits and . _ / # - only, starting with a letter or digit',
  );
  validateTotal(v, o.total, ['input', 'total']);
  v.check(/^[A-Z]{3}$/.test(o.currency), ['input', 'currency'], 'Currency must be an ISO 4217 code such as "EUR"');
  validateOrderTime(v, o.placedAt, ['input', 'placedAt'], now);
  if (o.deliveredAt) {
    const status = o.status ?? 'PENDING';
    v.check(
      STATUSES_WITH_DELIVERY.includes(status),
      ['input', 'deliveredAt'],
      `A ${status} order has not been delivered; omit deliveredAt`,
    );
    validateDelivery(v, o.deliveredAt, o.placedAt, ['input', 'deliveredAt'], now);
  }
}

export function validateDelivery(v: Validator, deliveredAt: Date, placedAt: Date, field: string[], now: Date): void {
  validateOrderTime(v, deliveredAt, field, now);
  v.check(deliveredAt.getTime() >= placedAt.getTime(), field, 'An order cannot be delivered before it was placed');
}

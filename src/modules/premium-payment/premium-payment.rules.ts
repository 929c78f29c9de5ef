// Premium payments of a policy (SPEC §3 "Risk score": −15 per late payment): when an instalment
// is late, and what a valid record of one looks like. Pure, tested table-driven
// (test/premium-payment/premium-payment.rules.test.ts).
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { Validator } from '../../shared/domain-error';

const DAY_MS = 86_400_000;
/** Days a payment may follow its due date and still be on time (none: due means due). */
export const GRACE_DAYS = 0;
export const MAX_PAYMENT_AMOUNT = 10_000_000_000;
/** Payments recorded before this date are typing errors (0024 for 2024). */
export const EARLIEST_PAYMENT = new Date('2000-01-01T00:00:00.000Z');

export interface PaymentDates {
  /** Calendar dates as UTC midnight (Prisma's DATE). */
  dueOn: Date;
  paidOn: Date | null;
}

const utcDay = (d: Date) => Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / DAY_MS);

/**
 * Days late beyond the grace period: paid → paid date − due date; unpaid → today − due date
 * (an unpaid instalment past its due date is late, and grows later every day); never negative.
 */
export function daysLate(payment: PaymentDates, today: Date): number {
  const settled = payment.paidOn ?? today;
  return Math.max(0, utcDay(settled) - utcDay(payment.dueOn) - GRACE_DAYS);
}

export const isLate = (payment: PaymentDates, today: Date): boolean => daysLate(payment, today) > 0;

/** The risk score's late-payment input: instalments paid late or still unpaid past their due date. */
export const countLatePayments = (payments: readonly PaymentDates[], today: Date): number =>
  payments.filter((p) => isLate(p, today)).length;

export interface PaymentRecordFields {
  dueOn: Date;
  amount: Decimal;
  paidOn?: Date | null;
}

/**
 * A payment record against its policy's term: amount > 0 with at most 2 decimals; the due date
 * within the term (start to end date); the payment date not in the future and not before 2000.
 */
export function validatePaymentRecord(
  v: Validator,
  input: PaymentRecordFields,
  term: { startDate: Date; endDate: Date } | null,
  today: Date,
): void {
  v.check(
    input.amount.gt(0) && input.amount.lte(MAX_PAYMENT_AMOUNT),
    ['input', 'amount'],
    'Amount must be above 0 and at most 10,000,000,000',
  );
  v.check(input.amount.decimalPlaces() <= 2, ['input', 'amount'], 'Amount has more than 2 decimal places');
  if (term) {
    v.check(
      utcDay(input.dueOn) >= utcDay(term.startDate) && utcDay(input.dueOn) <= utcDay(term.endDate),
      ['input', 'dueOn'],
      `The due date must fall within the policy's term (${term.startDate.toISOString().slice(0, 10)} to ${term.endDate.toISOString().slice(0, 10)})`,
    );
  }
  if (input.paidOn) {
    v.check(utcDay(input.paidOn) <= utcDay(today), ['input', 'paidOn'], 'The payment date is in the future');
    v.check(
      input.paidOn.getTime() >= EARLIEST_PAYMENT.getTime(),
      ['input', 'paidOn'],
      'The payment date is before 2000-01-01',
    );
  }
}

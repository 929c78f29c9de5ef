// Pure rules of insurance policies (SPEC §3 "Insurance policies and claims"): money limits,
// terms, the status a policy starts in, and which policies may be renewed, changed or cancelled.
// No storage here; the service applies them inside its transactions.
import type { PolicyStatus } from '../../generated/prisma/enums';
import { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import type { UserErrorCode } from '../../shared/domain-error';
import { Validator } from '../../shared/domain-error';

/** Largest premium accepted (per payment); the column holds up to 10^12. */
export const MAX_PREMIUM = new Decimal('10000000000'); // 10^10
/** Largest coverage amount accepted: anything above 10^13 is a typo, not a policy. */
export const MAX_COVERAGE = new Decimal('10000000000000'); // 10^13
/** Longest term of one policy or one renewal. */
export const MAX_TERM_YEARS = 100;
export const MAX_RENEWAL_MONTHS = 120;
/** An EXPIRED policy can still be renewed (without a gap) this many days after its end date. */
export const RENEWAL_GRACE_DAYS = 90;
export const MAX_TEXT = 200;
export const MAX_REASON = 500;

const DAY_MS = 24 * 3600 * 1000;

/** Today's calendar date in UTC, as the midnight-UTC Date a DATE column holds. */
export function todayUtc(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY_MS);

/** Calendar months later; the day is clamped to the month's length (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)));
}

export const daysBetween = (from: Date, to: Date): number => Math.round((to.getTime() - from.getTime()) / DAY_MS);

/**
 * A policy starts ACTIVE when its start date is today or earlier, PENDING when it starts in the
 * future (policyExpireDue activates it once the day has come).
 */
export function initialStatus(startDate: Date, today = todayUtc()): PolicyStatus {
  return startDate.getTime() <= today.getTime() ? 'ACTIVE' : 'PENDING';
}

/** Checks an amount of money: at most 2 decimals, within [min, max]; `min` inclusive unless `positive`. */
export function checkMoney(
  v: Validator,
  value: Decimal | null | undefined,
  field: string[],
  label: string,
  max: Decimal,
  positive: boolean,
): void {
  if (value == null) return;
  const lowOk = positive ? value.gt(0) : value.gte(0);
  v.check(
    lowOk && value.lte(max),
    field,
    `${label} must be ${positive ? 'greater than 0' : 'at least 0'} and at most ${max.toFixed()}`,
  );
  v.check(value.decimalPlaces() <= 2, field, `${label} has more than 2 decimal places`);
}

export interface PolicyMoney {
  premium?: Decimal | null;
  coverageAmount?: Decimal | null;
  deductible?: Decimal | null;
}

/** Premium > 0, coverage > 0, 0 ≤ deductible ≤ coverage, all within sane bounds. */
export function validateMoney(v: Validator, m: PolicyMoney, current?: { coverageAmount: Decimal }): void {
  checkMoney(v, m.premium, ['input', 'premium'], 'Premium', MAX_PREMIUM, true);
  checkMoney(v, m.coverageAmount, ['input', 'coverageAmount'], 'Coverage amount', MAX_COVERAGE, true);
  checkMoney(v, m.deductible, ['input', 'deductible'], 'Deductible', MAX_COVERAGE, false);
  const coverage = m.coverageAmount ?? current?.coverageAmount;
  if (m.deductible && coverage?.gt(0)) {
    v.check(m.deductible.lte(coverage), ['input', 'deductible'], 'Deductible cannot exceed the coverage amount');
  }
}

/** End strictly after start; start not before 1900; a term of at most MAX_TERM_YEARS. */
export function validateTerm(
  v: Validator,
  startDate: Date,
  endDate: Date,
  fields: { start: string[]; end: string[] },
): void {
  v.check(startDate.getUTCFullYear() >= 1900, fields.start, 'Start date is before 1900');
  v.check(endDate.getTime() > startDate.getTime(), fields.end, 'End date must be after the start date');
  v.check(
    endDate.getTime() <= addMonths(startDate, MAX_TERM_YEARS * 12).getTime(),
    fields.end,
    `A policy term is at most ${MAX_TERM_YEARS} years`,
  );
}

/** Required free text: trimmed, 1..max characters. */
export function checkText(
  v: Validator,
  value: string | null | undefined,
  field: string[],
  label: string,
  max = MAX_TEXT,
  required = true,
): void {
  if (value == null) {
    v.check(!required, field, `${label} is required`);
    return;
  }
  v.check(value.length > 0, field, `${label} is required`);
  v.check(value.length <= max, field, `${label} is longer than ${max} characters`);
}

export interface Refusal {
  code: UserErrorCode;
  message: string;
}

/**
 * Renewal: ACTIVE policies, and EXPIRED ones whose end date is at most RENEWAL_GRACE_DAYS
 * ago (renewed without a gap, from the old end date). PENDING ones have not started yet;
 * CANCELLED is final.
 */
export function refuseRenewal(status: PolicyStatus, endDate: Date, today = todayUtc()): Refusal | null {
  if (status === 'ACTIVE') return null;
  if (status === 'EXPIRED') {
    const since = daysBetween(endDate, today);
    return since <= RENEWAL_GRACE_DAYS
      ? null
      : {
          code: 'INVALID_TRANSITION',
          message: `The policy expired ${since} days ago; only policies expired within ${RENEWAL_GRACE_DAYS} days can be renewed`,
        };
  }
  if (status === 'PENDING')
    return { code: 'INVALID_TRANSITION', message: 'A PENDING policy has not started yet and cannot be renewed' };
  return { code: 'INVALID_TRANSITION', message: 'A CANCELLED policy cannot be renewed (CANCELLED is final)' };
}

/** Cancellation: PENDING or ACTIVE policies; CANCELLED is final and EXPIRED ones have already ended. */
export function refuseCancellation(status: PolicyStatus): Refusal | null {
  if (status === 'PENDING' || status === 'ACTIVE') return null;
  return {
    code: 'INVALID_TRANSITION',
    message: status === 'CANCELLED' ? 'The policy is already cancelled' : 'An EXPIRED policy cannot be cancelled',
  };
}

/** Edits and premium changes: not on CANCELLED (final) policies; EXPIRED ones are renewed instead. */
export function refuseChange(status: PolicyStatus, what: 'update' | 'premium' | 'dates'): Refusal | null {
  if (status === 'CANCELLED')
    return { code: 'INVALID_TRANSITION', message: 'A CANCELLED policy cannot be changed (CANCELLED is final)' };
  if (status === 'EXPIRED' && what !== 'update') {
    return {
      code: 'INVALID_TRANSITION',
      message: `An EXPIRED policy's ${what === 'premium' ? 'premium' : 'dates'} cannot be changed; renew it instead`,
    };
  }
  return null;
}

/** Renewal term: exactly one of termMonths (1..120) or newEndDate; the result must reach today and extend the policy. */
export function renewalEndDate(
  v: Validator,
  current: Date,
  termMonths: number | null | undefined,
  newEndDate: Date | null | undefined,
  today = todayUtc(),
  fieldPrefix: string[] = ['input'],
): Date | null {
  if ((termMonths == null) === (newEndDate == null)) {
    v.check(false, [...fieldPrefix, 'termMonths'], 'Give either termMonths or newEndDate');
    return null;
  }
  let end: Date;
  let field: string[];
  if (termMonths != null) {
    field = [...fieldPrefix, 'termMonths'];
    v.check(
      Number.isInteger(termMonths) && termMonths >= 1 && termMonths <= MAX_RENEWAL_MONTHS,
      field,
      `termMonths must be between 1 and ${MAX_RENEWAL_MONTHS}`,
    );
    end = addMonths(current, Math.max(1, Math.min(termMonths, MAX_RENEWAL_MONTHS)));
  } else {
    field = [...fieldPrefix, 'newEndDate'];
    end = newEndDate!;
    v.check(end.getTime() > current.getTime(), field, 'The new end date must be after the current end date');
    v.check(
      end.getTime() <= addMonths(current, MAX_RENEWAL_MONTHS).getTime(),
      field,
      `A renewal extends the term by at most ${MAX_RENEWAL_MONTHS} months`,
    );
  }
  v.check(end.getTime() >= today.getTime(), field, 'The renewed term would already be over; renew for longer');
  return end;
}

/** Annualised premium per payment frequency (used by listings and, later, coverage analysis). */
export const PAYMENTS_PER_YEAR = { MONTHLY: 12, QUARTERLY: 4, ANNUAL: 1 } as const;

// Pure rules of feedback (SPEC §3 "Orders and feedback"): who may give it when, what a valid one
// looks like and its review life cycle. No storage, tested table-driven.
import type { FeedbackStatus } from '../../generated/prisma/enums';
import { Validator } from '../../shared/domain-error';

export const FEEDBACK_WINDOW_DAYS = 7;
export const MAX_COMMENT_LENGTH = 2000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Feedback is accepted until 7 days (inclusive, to the millisecond) after the order was
 * delivered or, for an order not delivered (yet, or ever: a counter sale), after it was placed.
 */
export function feedbackWindowClosesAt(order: { placedAt: Date; deliveredAt: Date | null }): Date {
  return new Date((order.deliveredAt ?? order.placedAt).getTime() + FEEDBACK_WINDOW_DAYS * DAY_MS);
}

export function feedbackWindowOpen(order: { placedAt: Date; deliveredAt: Date | null }, now: Date): boolean {
  return now.getTime() <= feedbackWindowClosesAt(order).getTime();
}

/**
 * The review life cycle: PENDING → REVIEWED → RESOLVED; REJECTED from PENDING or REVIEWED.
 * RESOLVED and REJECTED are final. Setting the current status again is a no-op (see the service).
 */
export const FEEDBACK_TRANSITIONS: Readonly<Record<FeedbackStatus, readonly FeedbackStatus[]>> = {
  PENDING: ['REVIEWED', 'REJECTED'],
  REVIEWED: ['RESOLVED', 'REJECTED'],
  RESOLVED: [],
  REJECTED: [],
};

/** null when `from → to` is allowed (or a no-op), otherwise why not. */
export function refuseFeedbackTransition(from: FeedbackStatus, to: FeedbackStatus): string | null {
  if (from === to || FEEDBACK_TRANSITIONS[from].includes(to)) return null;
  if (FEEDBACK_TRANSITIONS[from].length === 0) return `${from} feedback is final; it cannot become ${to}`;
  return `Feedback cannot go from ${from} to ${to} (allowed: ${FEEDBACK_TRANSITIONS[from].join(', ')})`;
}

/** Trims the comment; an empty one is no comment. */
export const normaliseComment = (comment: string | null | undefined): string | null => comment?.trim() || null;

export function validateFeedback(v: Validator, f: { rating: number; comment: string | null }): void {
  v.check(
    Number.isInteger(f.rating) && f.rating >= 1 && f.rating <= 5,
    ['input', 'rating'],
    'Rating must be a whole number from 1 to 5',
  );
  v.check(
    (f.comment?.length ?? 0) <= MAX_COMMENT_LENGTH,
    ['input', 'comment'],
    `Comment is longer than ${MAX_COMMENT_LENGTH} characters`,
  );
}

export interface FeedbackFilterFields {
  ratingMin?: number | null;
  ratingMax?: number | null;
  from?: Date | null;
  to?: Date | null;
}

export function validateFeedbackFilter(v: Validator, f: FeedbackFilterFields): void {
  const rating = (value: number | null | undefined) =>
    value == null || (Number.isInteger(value) && value >= 1 && value <= 5);
  v.check(rating(f.ratingMin), ['filter', 'ratingMin'], 'ratingMin must be from 1 to 5');
  v.check(rating(f.ratingMax), ['filter', 'ratingMax'], 'ratingMax must be from 1 to 5');
  v.check(
    f.ratingMin == null || f.ratingMax == null || f.ratingMin <= f.ratingMax,
    ['filter', 'ratingMax'],
    'ratingMax is below ratingMin',
  );
  v.check(!f.from || !f.to || f.from.getTime() <= f.to.getTime(), ['filter', 'to'], 'to is before from');
}

import type { FeedbackStatus } from '../../src/generated/prisma/enums';
import {
  feedbackWindowClosesAt,
  feedbackWindowOpen,
  normaliseComment,
  refuseFeedbackTransition,
  validateFeedback,
  validateFeedbackFilter,
} from '../../src/modules/feedback/feedback.rules';
import { DomainError, Validator } from '../../src/shared/domain-error';

const STATUSES: FeedbackStatus[] = ['PENDING', 'REVIEWED', 'RESOLVED', 'REJECTED'];
const ALLOWED = ['PENDING→REVIEWED', 'PENDING→REJECTED', 'REVIEWED→RESOLVED', 'REVIEWED→REJECTED'];

describe('feedback status transitions', () => {
  const table = STATUSES.flatMap((from) =>
    STATUSES.map(
      (to) => [from, to, from === to ? 'no-op' : ALLOWED.includes(`${from}→${to}`) ? 'allowed' : 'refused'] as const,
    ),
  );

  it.each(table)('%s → %s is %s', (from, to, expected) => {
    const refusal = refuseFeedbackTransition(from, to);
    expect(refusal === null ? (from === to ? 'no-op' : 'allowed') : 'refused').toBe(expected);
  });
});

describe('the 7-day feedback window', () => {
  const placedAt = new Date('2025-03-01T10:00:00.000Z');
  const deliveredAt = new Date('2025-03-05T16:30:00.000Z');
  const at = (iso: string) => new Date(iso);

  it.each<[string, Date | null, string, boolean]>([
    ['just after placement', null, '2025-03-01T10:00:01.000Z', true],
    ['exactly 7 days after placement', null, '2025-03-08T10:00:00.000Z', true],
    ['1 ms later', null, '2025-03-08T10:00:00.001Z', false],
    ['8 days after placement', null, '2025-03-09T10:00:00.000Z', false],
    ['8 days after placement but 4 after delivery', deliveredAt, '2025-03-09T10:00:00.000Z', true],
    ['exactly 7 days after delivery', deliveredAt, '2025-03-12T16:30:00.000Z', true],
    ['7 days and 1 ms after delivery', deliveredAt, '2025-03-12T16:30:00.001Z', false],
  ])('%s → open: %s', (_name, delivered, now, open) => {
    expect(feedbackWindowOpen({ placedAt, deliveredAt: delivered }, at(now))).toBe(open);
  });

  it('closes 7 days after delivery, or after placement when not delivered', () => {
    expect(feedbackWindowClosesAt({ placedAt, deliveredAt: null }).toISOString()).toBe('2025-03-08T10:00:00.000Z');
    expect(feedbackWindowClosesAt({ placedAt, deliveredAt }).toISOString()).toBe('2025-03-12T16:30:00.000Z');
  });
});

const issues = (run: (v: Validator) => void) => {
  const v = new Validator();
  run(v);
  try {
    v.throwIfInvalid();
    return [];
  } catch (error) {
    return (error as DomainError).issues.map((i) => i.field!.join('.'));
  }
};

describe('validating feedback', () => {
  it.each<[number, number, string[]]>([
    [1, 0, []],
    [5, 2000, []],
    [0, 0, ['input.rating']],
    [6, 0, ['input.rating']],
    [2.5, 0, ['input.rating']],
    [3, 2001, ['input.comment']],
  ])('rating %d with a comment of %d characters', (rating, length, expected) => {
    expect(issues((v) => validateFeedback(v, { rating, comment: length ? 'x'.repeat(length) : null }))).toEqual(
      expected,
    );
  });

  it.each<[object, string[]]>([
    [{}, []],
    [{ ratingMin: 1, ratingMax: 5 }, []],
    [{ ratingMin: 0 }, ['filter.ratingMin']],
    [{ ratingMax: 6 }, ['filter.ratingMax']],
    [{ ratingMin: 4, ratingMax: 2 }, ['filter.ratingMax']],
    [{ from: new Date('2025-02-01'), to: new Date('2025-01-01') }, ['filter.to']],
  ])('filter %j', (filter, expected) => {
    expect(issues((v) => validateFeedbackFilter(v, filter))).toEqual(expected);
  });
});

describe('feedback rules: exact messages, boundaries and comment normalising', () => {
  /** The issues a validation collects, with their messages. */
  const messages = (run: (v: Validator) => void) => {
    const v = new Validator();
    run(v);
    try {
      v.throwIfInvalid();
      return [];
    } catch (error) {
      return (error as DomainError).issues.map((i) => `${i.field!.join('.')}: ${i.message}`);
    }
  };

  it.each<[string | null | undefined, string | null]>([
    ['  Great fit.  ', 'Great fit.'],
    ['   ', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('normaliseComment(%j) is %j', (comment, expected) => {
    expect(normaliseComment(comment)).toBe(expected);
  });

  it.each<[FeedbackStatus, FeedbackStatus, string | null]>([
    ['RESOLVED', 'PENDING', 'RESOLVED feedback is final; it cannot become PENDING'],
    ['REJECTED', 'REVIEWED', 'REJECTED feedback is final; it cannot become REVIEWED'],
    ['PENDING', 'RESOLVED', 'Feedback cannot go from PENDING to RESOLVED (allowed: REVIEWED, REJECTED)'],
    ['REVIEWED', 'PENDING', 'Feedback cannot go from REVIEWED to PENDING (allowed: RESOLVED, REJECTED)'],
  ])('%s → %s is refused with %j', (from, to, message) => {
    expect(refuseFeedbackTransition(from, to)).toBe(message);
  });

  it.each<[string, () => string[], string[]]>([
    [
      'rating 0',
      () => messages((v) => validateFeedback(v, { rating: 0, comment: null })),
      ['input.rating: Rating must be a whole number from 1 to 5'],
    ],
    [
      'a 2,001-character comment',
      () => messages((v) => validateFeedback(v, { rating: 3, comment: 'x'.repeat(2001) })),
      ['input.comment: Comment is longer than 2000 characters'],
    ],
    [
      'ratingMin 0 and ratingMax 6',
      () => messages((v) => validateFeedbackFilter(v, { ratingMin: 0, ratingMax: 6 })),
      ['filter.ratingMin: ratingMin must be from 1 to 5', 'filter.ratingMax: ratingMax must be from 1 to 5'],
    ],
    [
      'ratingMax below ratingMin',
      () => messages((v) => validateFeedbackFilter(v, { ratingMin: 3, ratingMax: 2 })),
      ['filter.ratingMax: ratingMax is below ratingMin'],
    ],
    [
      'ratingMin equal to ratingMax',
      () => messages((v) => validateFeedbackFilter(v, { ratingMin: 3, ratingMax: 3 })),
      [],
    ],
    [
      'to before from',
      () =>
        messages((v) =>
          validateFeedbackFilter(v, { from: new Date('2025-02-01'), to: new Date('2025-01-31T23:59:59.999Z') }),
        ),
      ['filter.to: to is before from'],
    ],
    [
      'from equal to to',
      () => messages((v) => validateFeedbackFilter(v, { from: new Date('2025-02-01'), to: new Date('2025-02-01') })),
      [],
    ],
    ['only from', () => messages((v) => validateFeedbackFilter(v, { from: new Date('2025-02-01') })), []],
    ['only to', () => messages((v) => validateFeedbackFilter(v, { to: new Date('2025-02-01') })), []],
  ])('%s', (_, run, expected) => {
    expect(run()).toEqual(expected);
  });
});

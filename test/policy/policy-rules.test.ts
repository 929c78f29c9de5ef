import { Decimal } from '../../src/generated/prisma/internal/prismaNamespace';
import {
  addDays,
  addMonths,
  checkMoney,
  checkText,
  daysBetween,
  initialStatus,
  MAX_PREMIUM,
  PAYMENTS_PER_YEAR,
  refuseCancellation,
  refuseChange,
  refuseRenewal,
  renewalEndDate,
  todayUtc,
  validateMoney,
  validateTerm,
} from '../../src/modules/policy/policy.rules';
import { DomainError, Validator } from '../../src/shared/domain-error';

const d = (text: string) => new Date(`${text}T00:00:00Z`);
const issues = (fill: (v: Validator) => void) => {
  const v = new Validator();
  fill(v);
  try {
    v.throwIfInvalid();
    return [];
  } catch (error) {
    return (error as DomainError).issues.map((i) => i.field!.join('.'));
  }
};
const TODAY = d('2026-06-15');

describe('policy rules', () => {
  it.each([
    ['2026-06-14', 'ACTIVE'],
    ['2026-06-15', 'ACTIVE'],
    ['2026-06-16', 'PENDING'],
  ] as const)('a policy starting %s starts %s (today 2026-06-15)', (start, status) => {
    expect(initialStatus(d(start), TODAY)).toBe(status);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-15', 12, '2027-03-15'],
    ['2026-11-30', 3, '2027-02-28'],
  ] as const)('%s + %i months = %s', (from, months, to) => {
    expect(addMonths(d(from), months).toISOString().slice(0, 10)).toBe(to);
  });

  it.each([
    ['ACTIVE', '2026-07-01', null],
    ['ACTIVE', '2025-01-01', null],
    ['EXPIRED', '2026-03-17', null], // 90 days ago
    ['EXPIRED', '2026-03-16', 'INVALID_TRANSITION'], // 91 days ago
    ['PENDING', '2027-01-01', 'INVALID_TRANSITION'],
    ['CANCELLED', '2027-01-01', 'INVALID_TRANSITION'],
  ] as const)('renewing a %s policy ending %s: %s', (status, end, code) => {
    expect(refuseRenewal(status, d(end), TODAY)?.code ?? null).toBe(code);
  });

  it.each([
    ['PENDING', null, null, null],
    ['ACTIVE', null, null, null],
    ['EXPIRED', 'INVALID_TRANSITION', null, 'INVALID_TRANSITION'],
    ['CANCELLED', 'INVALID_TRANSITION', 'INVALID_TRANSITION', 'INVALID_TRANSITION'],
  ] as const)('a %s policy: cancel %s, edit %s, premium %s', (status, cancel, edit, premium) => {
    expect(refuseCancellation(status)?.code ?? null).toBe(cancel);
    expect(refuseChange(status, 'update')?.code ?? null).toBe(edit);
    expect(refuseChange(status, 'premium')?.code ?? null).toBe(premium);
  });

  it.each([
    [{ premium: '10', coverageAmount: '1000', deductible: '100' }, []],
    [{ premium: '-1', coverageAmount: '1000' }, ['input.premium']],
    [{ premium: '0.001', coverageAmount: '1000' }, ['input.premium']],
    [{ premium: '10000000000.01', coverageAmount: '1000' }, ['input.premium']],
    [{ premium: '10', coverageAmount: '10000000000000' }, []],
    [{ premium: '10', coverageAmount: '10000000000000.01' }, ['input.coverageAmount']],
    [{ premium: '10', coverageAmount: '1000', deductible: '1000.01' }, ['input.deductible']],
    [{ premium: '10', coverageAmount: '1000', deductible: '-1' }, ['input.deductible']],
  ])('money %o → problems %o', (money, fields) => {
    const dec = (value?: string) => (value === undefined ? undefined : new Decimal(value));
    expect(
      issues((v) =>
        validateMoney(v, {
          premium: dec(money.premium),
          coverageAmount: dec(money.coverageAmount),
          deductible: dec((money as { deductible?: string }).deductible),
        }),
      ),
    ).toEqual(fields);
  });

  it.each([
    [12, null, '2027-12-31', []],
    [null, '2027-01-15', '2027-01-15', []],
    [null, '2026-12-31', null, ['input.newEndDate']], // not after the current end
    [0, null, null, ['input.termMonths']],
    [121, null, null, ['input.termMonths']],
    [12, '2027-06-01', null, ['input.termMonths']], // both
    [null, null, null, ['input.termMonths']], // neither
  ] as const)('renewal of a policy ending 2026-12-31 by %s months / to %s → %s', (months, to, expected, fields) => {
    let end: Date | null = null;
    expect(issues((v) => (end = renewalEndDate(v, d('2026-12-31'), months, to ? d(to) : null, TODAY)))).toEqual(fields);
    if (expected) expect(end!.toISOString().slice(0, 10)).toBe(expected);
  });
});

// The same rules at their exact boundaries and in their own words (the messages are the API's).
describe('policy rules at their boundaries, with their messages', () => {
  const messages = (fill: (v: Validator) => void) => {
    const v = new Validator();
    fill(v);
    try {
      v.throwIfInvalid();
      return [];
    } catch (error) {
      return (error as DomainError).issues.map((i) => `${i.code} ${i.field!.join('.')}: ${i.message}`);
    }
  };
  const dec = (value: string) => new Decimal(value);

  it('today is the UTC calendar date at midnight, whatever the time of day', () => {
    expect(todayUtc(new Date('2026-06-15T23:59:59.999Z')).toISOString()).toBe('2026-06-15T00:00:00.000Z');
    expect(todayUtc(new Date('2026-06-15T00:00:00.000Z')).toISOString()).toBe('2026-06-15T00:00:00.000Z');
    expect(todayUtc(new Date('2026-12-31T12:00:00.000Z')).toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(Math.abs(todayUtc().getTime() - Date.now())).toBeLessThanOrEqual(24 * 3600 * 1000);
  });

  it.each([
    ['2026-06-15', 1, '2026-06-16'],
    ['2026-06-15', -1, '2026-06-14'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-12-31', 90, '2027-03-31'],
  ] as const)('%s + %i days = %s', (from, days, to) => {
    expect(addDays(d(from), days).toISOString().slice(0, 10)).toBe(to);
  });

  it.each([
    ['2026-06-15', '2026-06-15', 0],
    ['2026-06-15', '2026-09-13', 90],
    ['2026-06-15', '2026-06-14', -1],
    ['2026-06-15', '2026-06-16T11:59:59Z', 1], // rounded, not floored
    ['2026-06-15', '2026-06-16T12:00:00Z', 2],
  ] as const)('from %s to %s is %i days', (from, to, days) => {
    expect(daysBetween(d(from), to.includes('T') ? new Date(to) : d(to))).toBe(days);
  });

  it.each([
    ['2026-01-31', 13, '2027-02-28'],
    ['2026-05-31', 1, '2026-06-30'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-03-31', -1, '2026-02-28'],
  ] as const)('%s + %i months = %s (day clamped to the month)', (from, months, to) => {
    expect(addMonths(d(from), months).toISOString().slice(0, 10)).toBe(to);
  });

  it.each<
    [
      string,
      { premium?: string; coverageAmount?: string; deductible?: string },
      { coverageAmount: string } | undefined,
      string[],
    ]
  >([
    [
      'a premium of 0',
      { premium: '0' },
      undefined,
      ['VALIDATION input.premium: Premium must be greater than 0 and at most 10000000000'],
    ],
    ['the smallest premium', { premium: '0.01' }, undefined, []],
    ['the largest premium', { premium: '10000000000' }, undefined, []],
    [
      'a premium with 3 decimals',
      { premium: '1.001' },
      undefined,
      ['VALIDATION input.premium: Premium has more than 2 decimal places'],
    ],
    [
      'a coverage amount of 0',
      { coverageAmount: '0' },
      undefined,
      ['VALIDATION input.coverageAmount: Coverage amount must be greater than 0 and at most 10000000000000'],
    ],
    ['a deductible of 0', { coverageAmount: '1000', deductible: '0' }, undefined, []],
    [
      'a negative deductible',
      { deductible: '-0.01' },
      undefined,
      ['VALIDATION input.deductible: Deductible must be at least 0 and at most 10000000000000'],
    ],
    ['a deductible equal to the coverage', { coverageAmount: '1000', deductible: '1000' }, undefined, []],
    [
      'a deductible above the coverage given',
      { coverageAmount: '1000', deductible: '1000.01' },
      undefined,
      ['VALIDATION input.deductible: Deductible cannot exceed the coverage amount'],
    ],
    [
      'a deductible above the current coverage (update without a new coverage)',
      { deductible: '500.01' },
      { coverageAmount: '500' },
      ['VALIDATION input.deductible: Deductible cannot exceed the coverage amount'],
    ],
    ['a deductible within the current coverage', { deductible: '500' }, { coverageAmount: '500' }, []],
    [
      'a new coverage takes the place of the current one',
      { coverageAmount: '2000', deductible: '1500' },
      { coverageAmount: '500' },
      [],
    ],
    ['a deductible with no coverage known', { deductible: '99999' }, undefined, []],
    [
      'a deductible against a coverage of 0 (only the coverage is wrong)',
      { coverageAmount: '0', deductible: '5' },
      undefined,
      ['VALIDATION input.coverageAmount: Coverage amount must be greater than 0 and at most 10000000000000'],
    ],
    ['nothing given (an update of other fields)', {}, { coverageAmount: '500' }, []],
  ])('money: %s', (_name, money, current, expected) => {
    expect(
      messages((v) =>
        validateMoney(
          v,
          {
            premium: money.premium === undefined ? undefined : dec(money.premium),
            coverageAmount: money.coverageAmount === undefined ? undefined : dec(money.coverageAmount),
            deductible: money.deductible === undefined ? undefined : dec(money.deductible),
          },
          current && { coverageAmount: dec(current.coverageAmount) },
        ),
      ),
    ).toEqual(expected);
  });

  it('checkMoney: null or undefined is not checked; the bounds are named as given', () => {
    expect(messages((v) => checkMoney(v, null, ['x'], 'X', MAX_PREMIUM, true))).toEqual([]);
    expect(messages((v) => checkMoney(v, undefined, ['x'], 'X', MAX_PREMIUM, true))).toEqual([]);
    expect(messages((v) => checkMoney(v, dec('11'), ['x'], 'X', dec('10.5'), false))).toEqual([
      'VALIDATION x: X must be at least 0 and at most 10.5',
    ]);
    expect(messages((v) => checkMoney(v, dec('10.5'), ['x'], 'X', dec('10.5'), false))).toEqual([]);
  });

  it.each<[string, string, string, string[]]>([
    ['a one-day term', '2026-01-01', '2026-01-02', []],
    ['a term starting in 1900', '1900-01-01', '1950-01-01', []],
    ['a term starting in 1899', '1899-12-31', '1950-01-01', ['VALIDATION in.start: Start date is before 1900']],
    [
      'an end on the start date',
      '2026-01-01',
      '2026-01-01',
      ['VALIDATION in.end: End date must be after the start date'],
    ],
    [
      'an end before the start',
      '2026-01-02',
      '2026-01-01',
      ['VALIDATION in.end: End date must be after the start date'],
    ],
    ['exactly 100 years', '2026-01-31', '2126-01-31', []],
    ['100 years and a day', '2026-01-31', '2126-02-01', ['VALIDATION in.end: A policy term is at most 100 years']],
  ])('term: %s', (_name, start, end, expected) => {
    expect(messages((v) => validateTerm(v, d(start), d(end), { start: ['in', 'start'], end: ['in', 'end'] }))).toEqual(
      expected,
    );
  });

  it.each<[string, string | null | undefined, number | undefined, boolean | undefined, string[]]>([
    ['required and given', 'Acme', undefined, undefined, []],
    ['required and missing', null, undefined, undefined, ['VALIDATION f: Name is required']],
    ['required and undefined', undefined, undefined, undefined, ['VALIDATION f: Name is required']],
    ['optional and missing', null, undefined, false, []],
    ['empty', '', undefined, undefined, ['VALIDATION f: Name is required']],
    ['empty even when optional', '', undefined, false, ['VALIDATION f: Name is required']],
    ['200 characters (the default maximum)', 'n'.repeat(200), undefined, undefined, []],
    ['201 characters', 'n'.repeat(201), undefined, undefined, ['VALIDATION f: Name is longer than 200 characters']],
    ['5 characters with a maximum of 5', 'nnnnn', 5, undefined, []],
    ['6 characters with a maximum of 5', 'nnnnnn', 5, undefined, ['VALIDATION f: Name is longer than 5 characters']],
  ])('text: %s', (_name, value, max, required, expected) => {
    expect(messages((v) => checkText(v, value, ['f'], 'Name', max, required))).toEqual(expected);
  });

  it('says why a renewal, a cancellation or a change is refused', () => {
    expect(refuseRenewal('EXPIRED', d('2026-03-16'), TODAY)).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'The policy expired 91 days ago; only policies expired within 90 days can be renewed',
    });
    expect(refuseRenewal('EXPIRED', d('2026-06-15'), TODAY)).toBeNull();
    expect(refuseRenewal('PENDING', d('2027-01-01'), TODAY)).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'A PENDING policy has not started yet and cannot be renewed',
    });
    expect(refuseRenewal('CANCELLED', d('2027-01-01'), TODAY)).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'A CANCELLED policy cannot be renewed (CANCELLED is final)',
    });
    expect(refuseCancellation('CANCELLED')).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'The policy is already cancelled',
    });
    expect(refuseCancellation('EXPIRED')).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'An EXPIRED policy cannot be cancelled',
    });
    expect(refuseChange('CANCELLED', 'dates')).toEqual({
      code: 'INVALID_TRANSITION',
      message: 'A CANCELLED policy cannot be changed (CANCELLED is final)',
    });
    expect(refuseChange('EXPIRED', 'premium')).toEqual({
      code: 'INVALID_TRANSITION',
      message: "An EXPIRED policy's premium cannot be changed; renew it instead",
    });
    expect(refuseChange('EXPIRED', 'dates')).toEqual({
      code: 'INVALID_TRANSITION',
      message: "An EXPIRED policy's dates cannot be changed; renew it instead",
    });
    expect(refuseChange('EXPIRED', 'update')).toBeNull();
    expect(refuseChange('ACTIVE', 'dates')).toBeNull();
    expect(refuseChange('PENDING', 'premium')).toBeNull();
  });

  it.each<[string, number | null, string | null, string | null, string[]]>([
    ['1 month', 1, null, '2027-01-31', []],
    ['120 months', 120, null, '2036-12-31', []],
    ['1.5 months', 1.5, null, null, ['VALIDATION input.termMonths: termMonths must be between 1 and 120']],
    [
      '0 months (clamped to 1 for the date)',
      0,
      null,
      '2027-01-31',
      ['VALIDATION input.termMonths: termMonths must be between 1 and 120'],
    ],
    [
      '121 months (clamped to 120 for the date)',
      121,
      null,
      '2036-12-31',
      ['VALIDATION input.termMonths: termMonths must be between 1 and 120'],
    ],
    ['a new end date 120 months on', null, '2036-12-31', '2036-12-31', []],
    [
      'a new end date beyond 120 months',
      null,
      '2037-01-01',
      '2037-01-01',
      ['VALIDATION input.newEndDate: A renewal extends the term by at most 120 months'],
    ],
    [
      'a new end date equal to the current one',
      null,
      '2026-12-31',
      '2026-12-31',
      ['VALIDATION input.newEndDate: The new end date must be after the current end date'],
    ],
    ['both', 12, '2027-06-01', null, ['VALIDATION input.termMonths: Give either termMonths or newEndDate']],
    ['neither', null, null, null, ['VALIDATION input.termMonths: Give either termMonths or newEndDate']],
  ])('renewal of a policy ending 2026-12-31 by %s', (_name, months, to, expected, problems) => {
    let end: Date | null = null;
    expect(messages((v) => (end = renewalEndDate(v, d('2026-12-31'), months, to ? d(to) : null, TODAY)))).toEqual(
      problems,
    );
    if (expected) expect((end as Date | null)?.toISOString().slice(0, 10)).toBe(expected);
    else if (problems[0]?.includes('Give either')) expect(end).toBeNull();
  });

  it('a renewal must reach today: an expired policy renewed for too short a term is refused', () => {
    // Ended 2026-03-31 (76 days before TODAY); one month more ends 2026-04-30, already over.
    expect(messages((v) => renewalEndDate(v, d('2026-03-31'), 1, null, TODAY, ['renew']))).toEqual([
      'VALIDATION renew.termMonths: The renewed term would already be over; renew for longer',
    ]);
    expect(messages((v) => renewalEndDate(v, d('2026-03-15'), 3, null, TODAY))).toEqual([]); // ends 2026-06-15 = today
    expect(messages((v) => renewalEndDate(v, d('2026-03-31'), null, d('2026-06-14'), TODAY, ['renew']))).toEqual([
      'VALIDATION renew.newEndDate: The renewed term would already be over; renew for longer',
    ]);
  });

  it('premiums are annualised by payments per year', () => {
    expect(PAYMENTS_PER_YEAR).toEqual({ MONTHLY: 12, QUARTERLY: 4, ANNUAL: 1 });
  });
});

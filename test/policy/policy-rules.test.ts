import { Decimal } from '../../src/generated/prisma/internal/prismaNamespace';
import {
  addMonths,
  initialStatus,
  refuseCancellation,
  refuseChange,
  refuseRenewal,
  renewalEndDate,
  validateMoney,
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

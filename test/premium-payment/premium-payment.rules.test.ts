// When a premium instalment is late, and what a valid record of one is (table-driven, no database).
import { Decimal } from '../../src/generated/prisma/internal/prismaNamespace';
import {
  countLatePayments,
  daysLate,
  isLate,
  validatePaymentRecord,
  type PaymentRecordFields,
} from '../../src/modules/premium-payment/premium-payment.rules';
import { DomainError, Validator } from '../../src/shared/domain-error';

const d = (ymd: string) => new Date(`${ymd}T00:00:00.000Z`);
const TODAY = new Date('2025-07-01T15:45:00Z');

describe('daysLate / isLate', () => {
  it.each<[string, string | null, number]>([
    ['2025-06-01', '2025-06-01', 0], // paid on the due date: on time
    ['2025-06-01', '2025-05-20', 0], // paid early
    ['2025-06-01', '2025-06-02', 1], // one day late
    ['2025-06-01', '2025-07-10', 39], // paid late, even after today: the payment date counts
    ['2025-07-01', null, 0], // due today, unpaid: not late yet
    ['2025-06-30', null, 1], // unpaid, due yesterday: late
    ['2025-07-02', null, 0], // not due yet
    ['2024-12-31', null, 182], // unpaid for half a year
  ])('due %s, paid %s → %i days late', (due, paid, expected) => {
    const payment = { dueOn: d(due), paidOn: paid ? d(paid) : null };
    expect(daysLate(payment, TODAY)).toBe(expected);
    expect(isLate(payment, TODAY)).toBe(expected > 0);
  });

  it('counts the late instalments: paid late or unpaid past due', () => {
    expect(
      countLatePayments(
        [
          { dueOn: d('2025-01-01'), paidOn: d('2025-01-05') },
          { dueOn: d('2025-02-01'), paidOn: d('2025-02-01') },
          { dueOn: d('2025-03-01'), paidOn: null },
          { dueOn: d('2025-08-01'), paidOn: null },
        ],
        TODAY,
      ),
    ).toBe(2);
    expect(countLatePayments([], TODAY)).toBe(0);
  });
});

describe('validatePaymentRecord', () => {
  const term = { startDate: d('2025-01-01'), endDate: d('2025-12-31') };
  const fields = (over: Partial<PaymentRecordFields> = {}): PaymentRecordFields => ({
    dueOn: d('2025-06-01'),
    amount: new Decimal('100.00'),
    paidOn: null,
    ...over,
  });
  const problems = (input: PaymentRecordFields, withTerm = true) => {
    const v = new Validator();
    validatePaymentRecord(v, input, withTerm ? term : null, TODAY);
    try {
      v.throwIfInvalid();
      return [];
    } catch (error) {
      return (error as DomainError).issues.map((i) => i.field?.join('.'));
    }
  };

  it.each<[string, Partial<PaymentRecordFields>, string[]]>([
    ['a valid instalment', {}, []],
    ['paid today', { paidOn: d('2025-07-01') }, []],
    ['due on the first day of the term', { dueOn: d('2025-01-01') }, []],
    ['due on the last day of the term', { dueOn: d('2025-12-31') }, []],
    ['amount 0', { amount: new Decimal(0) }, ['input.amount']],
    ['negative amount', { amount: new Decimal('-1') }, ['input.amount']],
    ['three decimals', { amount: new Decimal('1.005') }, ['input.amount']],
    ['absurd amount', { amount: new Decimal('10000000000.01') }, ['input.amount']],
    ['due before the term', { dueOn: d('2024-12-31') }, ['input.dueOn']],
    ['due after the term', { dueOn: d('2026-01-01') }, ['input.dueOn']],
    ['paid tomorrow', { paidOn: d('2025-07-02') }, ['input.paidOn']],
    ['paid before 2000', { paidOn: d('1999-12-31') }, ['input.paidOn']],
  ])('%s', (_name, over, expected) => {
    expect(problems(fields(over))).toEqual(expected);
  });

  it('without a term (checked at the edge, before the policy is read) the due date is not judged', () => {
    expect(problems(fields({ dueOn: d('2030-01-01') }), false)).toEqual([]);
  });
});

import type { OrderStatus } from '../../src/generated/prisma/enums';
import { Decimal } from '../../src/generated/prisma/internal/prismaNamespace';
import {
  MAX_POINTS_PER_ORDER,
  pointsForTotal,
  refuseOrderTransition,
  validateOrderRecord,
  type OrderRecordFields,
} from '../../src/modules/order/order.rules';
import { DomainError, Validator } from '../../src/shared/domain-error';

const STATUSES: OrderStatus[] = ['PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'REFUNDED'];

// Every allowed move; any other pair of different statuses is refused.
const ALLOWED: [OrderStatus, OrderStatus][] = [
  ['PENDING', 'PAID'],
  ['PENDING', 'CANCELLED'],
  ['PAID', 'SHIPPED'],
  ['PAID', 'COMPLETED'],
  ['PAID', 'CANCELLED'],
  ['SHIPPED', 'DELIVERED'],
  ['DELIVERED', 'COMPLETED'],
  ['DELIVERED', 'REFUNDED'],
  ['COMPLETED', 'REFUNDED'],
];

describe('order status transitions', () => {
  const table = STATUSES.flatMap((from) =>
    STATUSES.map(
      (to) =>
        [
          from,
          to,
          from === to ? 'no-op' : ALLOWED.some(([f, t]) => f === from && t === to) ? 'allowed' : 'refused',
        ] as const,
    ),
  );

  it.each(table)('%s → %s is %s', (from, to, expected) => {
    const refusal = refuseOrderTransition(from, to);
    expect(refusal === null ? (from === to ? 'no-op' : 'allowed') : 'refused').toBe(expected);
    if (refusal) expect(refusal).toMatch(new RegExp(`${from}.*${to}`));
  });

  it('CANCELLED and REFUNDED are final', () => {
    for (const to of STATUSES.filter((s) => s !== 'CANCELLED'))
      expect(refuseOrderTransition('CANCELLED', to)).toMatch(/final/);
    for (const to of STATUSES.filter((s) => s !== 'REFUNDED'))
      expect(refuseOrderTransition('REFUNDED', to)).toMatch(/final/);
  });
});

describe('points of an order', () => {
  it.each([
    ['0', 0],
    ['0.99', 0],
    ['1', 1],
    ['1.00', 1],
    ['129.99', 129],
    ['999999.99', 999_999],
    ['1000000', 1_000_000],
    ['10000000', MAX_POINTS_PER_ORDER], // capped at what one ledger entry takes
  ])('a total of %s earns %d points', (total, points) => {
    expect(pointsForTotal(new Decimal(total))).toBe(points);
  });
});

describe('validating a recorded order', () => {
  const now = new Date('2025-06-15T12:00:00.000Z');
  const valid: OrderRecordFields = {
    number: 'ORD-1',
    total: new Decimal('10.50'),
    currency: 'EUR',
    placedAt: new Date('2025-06-14T12:00:00.000Z'),
  };

  const problems = (o: Partial<OrderRecordFields>) => {
    const v = new Validator();
    validateOrderRecord(v, { ...valid, ...o }, now);
    try {
      v.throwIfInvalid();
      return [];
    } catch (error) {
      return (error as DomainError).issues.map((i) => `${i.code} ${i.field!.join('.')}`);
    }
  };

  it.each<[string, Partial<OrderRecordFields>, string[]]>([
    ['a valid order', {}, []],
    ['a total of 0', { total: new Decimal('0') }, []],
    ['the largest total', { total: new Decimal('10000000.00') }, []],
    ['a negative total', { total: new Decimal('-0.01') }, ['VALIDATION input.total']],
    ['a total above 10,000,000', { total: new Decimal('10000000.01') }, ['VALIDATION input.total']],
    ['three decimals', { total: new Decimal('1.005') }, ['VALIDATION input.total']],
    ['an empty number', { number: '' }, ['VALIDATION input.number']],
    ['a number with spaces', { number: 'ORD 1' }, ['VALIDATION input.number']],
    ['a 41-character number', { number: 'A'.repeat(41) }, ['VALIDATION input.number']],
    ['a lower-case currency', { currency: 'eur' }, ['VALIDATION input.currency']],
    ['placed in the future', { placedAt: new Date('2025-06-15T12:10:00.000Z') }, ['VALIDATION input.placedAt']],
    ['placed a few seconds ahead (clock skew)', { placedAt: new Date('2025-06-15T12:00:30.000Z') }, []],
    ['placed before 2000', { placedAt: new Date('1999-12-31T23:59:59.000Z') }, ['VALIDATION input.placedAt']],
    [
      'delivered while PENDING',
      { deliveredAt: new Date('2025-06-15T00:00:00.000Z') },
      ['VALIDATION input.deliveredAt'],
    ],
    [
      'delivered before placed',
      { status: 'DELIVERED', deliveredAt: new Date('2025-06-14T11:00:00.000Z') },
      ['VALIDATION input.deliveredAt'],
    ],
    [
      'delivered in the future',
      { status: 'COMPLETED', deliveredAt: new Date('2025-06-16T00:00:00.000Z') },
      ['VALIDATION input.deliveredAt'],
    ],
    ['a delivered, completed order', { status: 'COMPLETED', deliveredAt: new Date('2025-06-15T00:00:00.000Z') }, []],
    [
      'several problems at once',
      { total: new Decimal('-1'), currency: 'EURO' },
      ['VALIDATION input.total', 'VALIDATION input.currency'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(problems(input)).toEqual(expected);
  });
});

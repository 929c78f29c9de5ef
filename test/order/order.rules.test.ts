import type { OrderStatus } from '../../src/generated/prisma/enums';
import { Decimal } from '../../src/generated/prisma/internal/prismaNamespace';
import {
  MAX_POINTS_PER_ORDER,
  normaliseOrder,
  pointsForTotal,
  refuseOrderTransition,
  validateDelivery,
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

describe('order rules at their exact boundaries and in their own words', () => {
  const now = new Date('2025-06-15T12:00:00.000Z');
  const valid: OrderRecordFields = {
    number: 'ORD-1',
    total: new Decimal('10.50'),
    currency: 'EUR',
    placedAt: new Date('2025-06-14T12:00:00.000Z'),
  };
  const messages = (o: Partial<OrderRecordFields>) => {
    const v = new Validator();
    validateOrderRecord(v, { ...valid, ...o }, now);
    try {
      v.throwIfInvalid();
      return [];
    } catch (error) {
      return (error as DomainError).issues.map((i) => `${i.field!.join('.')}: ${i.message}`);
    }
  };

  it.each<[string, Partial<OrderRecordFields>, string[]]>([
    ['a 40-character number', { number: 'A'.repeat(40) }, []],
    ['a number of every allowed character', { number: 'a.B_9/1#2-x' }, []],
    [
      'a number starting with "-"',
      { number: '-ORD' },
      ['input.number: Order number may contain letters, digits and . _ / # - only, starting with a letter or digit'],
    ],
    [
      'a number ending in a space',
      { number: 'ORD ' },
      ['input.number: Order number may contain letters, digits and . _ / # - only, starting with a letter or digit'],
    ],
    ['an empty number', { number: '' }, ['input.number: Order number is required (1–40 characters)']],
    ['a 41-character number', { number: 'A'.repeat(41) }, ['input.number: Order number is required (1–40 characters)']],
    ['a negative total', { total: new Decimal('-1') }, ['input.total: Total cannot be negative']],
    ['a total above the maximum', { total: new Decimal('10000001') }, ['input.total: Total cannot exceed 10,000,000']],
    ['three decimals', { total: new Decimal('0.001') }, ['input.total: Total has more than 2 decimal places']],
    [
      'a currency of two letters',
      { currency: 'EU' },
      ['input.currency: Currency must be an ISO 4217 code such as "EUR"'],
    ],
    [
      'a currency inside a longer text',
      { currency: 'xEURx' },
      ['input.currency: Currency must be an ISO 4217 code such as "EUR"'],
    ],
    ['placed at exactly 2000-01-01T00:00Z', { placedAt: new Date('2000-01-01T00:00:00.000Z') }, []],
    [
      'placed 1 ms before 2000',
      { placedAt: new Date('1999-12-31T23:59:59.999Z') },
      ['input.placedAt: Date is before 2000-01-01'],
    ],
    ['placed exactly 5 minutes ahead (the clock skew allowed)', { placedAt: new Date('2025-06-15T12:05:00.000Z') }, []],
    [
      'placed 5 minutes and 1 ms ahead',
      { placedAt: new Date('2025-06-15T12:05:00.001Z') },
      ['input.placedAt: Date is in the future'],
    ],
    [
      'delivered while PAID',
      { status: 'PAID', deliveredAt: new Date('2025-06-15T00:00:00.000Z') },
      ['input.deliveredAt: A PAID order has not been delivered; omit deliveredAt'],
    ],
    [
      'delivered without a status (PENDING)',
      { deliveredAt: new Date('2025-06-15T00:00:00.000Z') },
      ['input.deliveredAt: A PENDING order has not been delivered; omit deliveredAt'],
    ],
    ['delivered the moment it was placed', { status: 'DELIVERED', deliveredAt: valid.placedAt }, []],
    [
      'a refunded order with its delivery',
      { status: 'REFUNDED', deliveredAt: new Date('2025-06-15T00:00:00.000Z') },
      [],
    ],
    [
      'delivered 1 ms before it was placed',
      { status: 'DELIVERED', deliveredAt: new Date(valid.placedAt.getTime() - 1) },
      ['input.deliveredAt: An order cannot be delivered before it was placed'],
    ],
    [
      'delivered before 2000 and before it was placed',
      {
        status: 'DELIVERED',
        placedAt: new Date('2000-01-02T00:00:00.000Z'),
        deliveredAt: new Date('1999-12-31T00:00:00.000Z'),
      },
      [
        'input.deliveredAt: Date is before 2000-01-01',
        'input.deliveredAt: An order cannot be delivered before it was placed',
      ],
    ],
    [
      'delivered beyond the clock skew',
      { status: 'DELIVERED', deliveredAt: new Date('2025-06-15T12:05:00.001Z') },
      ['input.deliveredAt: Date is in the future'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(messages(input)).toEqual(expected);
  });

  it('a negative total earns no points (a refund is not an order)', () => {
    expect(pointsForTotal(new Decimal('-5'))).toBe(0);
    expect(pointsForTotal(new Decimal('-0.01'))).toBe(0);
  });

  it('names the allowed moves when refusing, and finality for CANCELLED and REFUNDED', () => {
    expect(refuseOrderTransition('PENDING', 'SHIPPED')).toBe(
      'An order cannot go from PENDING to SHIPPED (allowed: PAID, CANCELLED)',
    );
    expect(refuseOrderTransition('PAID', 'DELIVERED')).toBe(
      'An order cannot go from PAID to DELIVERED (allowed: SHIPPED, COMPLETED, CANCELLED)',
    );
    expect(refuseOrderTransition('CANCELLED', 'PAID')).toBe('A CANCELLED order is final; it cannot become PAID');
    expect(refuseOrderTransition('REFUNDED', 'COMPLETED')).toBe(
      'A REFUNDED order is final; it cannot become COMPLETED',
    );
  });

  it('normalises the number (trimmed) and the currency (trimmed, upper case), keeping the rest', () => {
    const placedAt = new Date('2025-06-14T12:00:00.000Z');
    expect(
      normaliseOrder({ number: '  ORD-7 ', total: new Decimal('1'), currency: ' eur ', placedAt, status: 'PAID' }),
    ).toEqual({ number: 'ORD-7', total: new Decimal('1'), currency: 'EUR', placedAt, status: 'PAID' });
  });

  it('validates a delivery on its own (status change to DELIVERED)', () => {
    const v = new Validator();
    validateDelivery(
      v,
      new Date('2025-06-14T11:59:59.999Z'),
      new Date('2025-06-14T12:00:00.000Z'),
      ['input', 'at'],
      now,
    );
    expect(() => v.throwIfInvalid()).toThrow('An order cannot be delivered before it was placed');
    const ok = new Validator();
    validateDelivery(
      ok,
      new Date('2025-06-14T12:00:00.000Z'),
      new Date('2025-06-14T12:00:00.000Z'),
      ['input', 'at'],
      now,
    );
    expect(() => ok.throwIfInvalid()).not.toThrow();
  });
});

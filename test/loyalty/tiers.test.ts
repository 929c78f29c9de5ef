import type { LoyaltyTier } from '../../src/generated/prisma/enums';
import {
  clawbackOf,
  addMonths,
  expiryOf,
  nextTier,
  pointsToNextTier,
  qualifyingSince,
  reviewedTier,
  tierForPoints,
  tierRank,
  TIERS,
  upgradeFor,
} from '../../src/modules/loyalty/loyalty.tiers';

describe('loyalty tiers (pure)', () => {
  it('are data: ascending thresholds starting at 0', () => {
    expect(TIERS.map((t) => [t.tier, t.threshold])).toEqual([
      ['BRONZE', 0],
      ['SILVER', 500],
      ['GOLD', 1000],
      ['PLATINUM', 5000],
    ]);
    expect(TIERS.map((t) => tierRank(t.tier))).toEqual([0, 1, 2, 3]);
  });

  it.each<[number, LoyaltyTier]>([
    [0, 'BRONZE'],
    [1, 'BRONZE'],
    [499, 'BRONZE'],
    [500, 'SILVER'],
    [999, 'SILVER'],
    [1000, 'GOLD'],
    [4999, 'GOLD'],
    [5000, 'PLATINUM'],
    [1_000_000, 'PLATINUM'],
  ])('%i qualifying points earn %s', (points, tier) => {
    expect(tierForPoints(points)).toBe(tier);
    expect(reviewedTier(points)).toBe(tier);
  });

  it.each<[LoyaltyTier, number, LoyaltyTier | null]>([
    ['BRONZE', 0, null],
    ['BRONZE', 499, null],
    ['BRONZE', 500, 'SILVER'],
    ['BRONZE', 1200, 'GOLD'],
    ['BRONZE', 5000, 'PLATINUM'],
    ['SILVER', 600, null],
    ['SILVER', 1000, 'GOLD'],
    ['GOLD', 600, null], // never lowers
    ['GOLD', 0, null],
    ['PLATINUM', 0, null],
    ['PLATINUM', 10_000, null],
  ])('upgradeFor(%s, %i) is %s', (current, points, expected) => {
    expect(upgradeFor(current, points)).toBe(expected);
  });

  it.each<[LoyaltyTier, number, LoyaltyTier | null, number | null]>([
    ['BRONZE', 0, 'SILVER', 500],
    ['BRONZE', 320, 'SILVER', 180],
    ['SILVER', 500, 'GOLD', 500],
    ['GOLD', 1000, 'PLATINUM', 4000],
    ['GOLD', 200, 'PLATINUM', 4800], // tier set above what the points earn
    ['SILVER', 1200, 'GOLD', 0], // reached but not yet upgraded (e.g. lowered by a review earlier)
    ['PLATINUM', 7000, null, null],
  ])('next tier of %s with %i points is %s, %s points away', (tier, points, next, missing) => {
    expect(nextTier(tier)?.tier ?? null).toBe(next);
    expect(pointsToNextTier(tier, points)).toBe(missing);
  });

  it('works with another tier table', () => {
    const tiers = [
      { tier: 'BRONZE' as const, threshold: 0 },
      { tier: 'GOLD' as const, threshold: 100 },
    ];
    expect(tierForPoints(150, tiers)).toBe('GOLD');
    expect(nextTier('GOLD', tiers)).toBeNull();
    expect(upgradeFor('BRONZE', 100, tiers)).toBe('GOLD');
    expect(nextTier('SILVER', tiers)).toBeNull(); // a tier the table does not have has no next tier
  });

  it.each<[string, number, string]>([
    ['2025-01-15T10:00:00.000Z', 12, '2026-01-15T10:00:00.000Z'],
    ['2024-02-29T00:00:00.000Z', 12, '2025-02-28T00:00:00.000Z'], // leap day
    ['2025-01-31T12:00:00.000Z', 1, '2025-02-28T12:00:00.000Z'],
    ['2025-03-31T00:00:00.000Z', -1, '2025-02-28T00:00:00.000Z'],
    ['2025-12-15T00:00:00.000Z', 1, '2026-01-15T00:00:00.000Z'],
  ])('addMonths(%s, %i) = %s', (from, months, to) => {
    expect(addMonths(new Date(from), months).toISOString()).toBe(to);
  });

  it('points expire, and stop qualifying, 12 months after they were earned', () => {
    const earned = new Date('2025-06-01T08:00:00.000Z');
    expect(expiryOf(earned).toISOString()).toBe('2026-06-01T08:00:00.000Z');
    expect(qualifyingSince(new Date('2026-06-01T08:00:00.000Z')).toISOString()).toBe(earned.toISOString());
  });
});

describe('clawbackOf (a refund takes back what the balance still holds)', () => {
  it.each<[number, number, number, number]>([
    [40, 40, 40, 0],
    [40, 100, 40, 0],
    [300, 100, 100, 200],
    [25, 0, 0, 25],
    [0, 10, 0, 0],
  ])('earned %i with a balance of %i: takes %i, shortfall %i', (earned, balance, taken, shortfall) => {
    expect(clawbackOf(earned, balance)).toEqual({ taken, shortfall });
  });
});

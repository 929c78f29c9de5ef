// Loyalty tiers as data, and the pure rules around them (no database, tested table-driven).
import type { LoyaltyTier } from '../../generated/prisma/enums';

export interface TierDefinition {
  tier: LoyaltyTier;
  /** Qualifying points (EARN points of the trailing 12 months) needed to reach the tier. */
  threshold: number;
}

/** Ascending by threshold; the first entry must start at 0. */
export const TIERS: readonly TierDefinition[] = [
  { tier: 'BRONZE', threshold: 0 },
  { tier: 'SILVER', threshold: 500 },
  { tier: 'GOLD', threshold: 1000 },
  { tier: 'PLATINUM', threshold: 5000 },
];

/** How long earned points count: they expire, and stop qualifying, this many months after they were earned. */
export const POINTS_VALIDITY_MONTHS = 12;

/** Points per single operation: 1..MAX_POINTS_PER_OPERATION. */
export const MAX_POINTS_PER_OPERATION = 1_000_000;

export const tierRank = (tier: LoyaltyTier): number => TIERS.findIndex((t) => t.tier === tier);

/** The tier that `qualifyingPoints` earn (the highest threshold reached). */
export function tierForPoints(qualifyingPoints: number, tiers: readonly TierDefinition[] = TIERS): LoyaltyTier {
  let result = tiers[0].tier;
  for (const t of tiers) if (qualifyingPoints >= t.threshold) result = t.tier;
  return result;
}

/** The next tier above `tier`, or null at the top. */
export function nextTier(tier: LoyaltyTier, tiers: readonly TierDefinition[] = TIERS): TierDefinition | null {
  const rank = tiers.findIndex((t) => t.tier === tier);
  return rank >= 0 && rank + 1 < tiers.length ? tiers[rank + 1] : null;
}

/** Qualifying points still missing for the next tier above the current one (null at the top). */
export function pointsToNextTier(
  tier: LoyaltyTier,
  qualifyingPoints: number,
  tiers: readonly TierDefinition[] = TIERS,
): number | null {
  const next = nextTier(tier, tiers);
  return next ? Math.max(0, next.threshold - qualifyingPoints) : null;
}

/**
 * The tier after points were earned: upgrades the moment a threshold is crossed, never lowers
 * (a tier set by a manager above what the points earn is kept). Returns null when unchanged.
 */
export function upgradeFor(
  current: LoyaltyTier,
  qualifyingPoints: number,
  tiers: readonly TierDefinition[] = TIERS,
): LoyaltyTier | null {
  const earned = tierForPoints(qualifyingPoints, tiers);
  return tiers.findIndex((t) => t.tier === earned) > tiers.findIndex((t) => t.tier === current) ? earned : null;
}

/** The tier a review assigns: exactly what the qualifying points earn (may be lower). */
export const reviewedTier = (qualifyingPoints: number, tiers: readonly TierDefinition[] = TIERS): LoyaltyTier =>
  tierForPoints(qualifyingPoints, tiers);

/** `date` plus whole calendar months (UTC; the 31st becomes the last day of a shorter month). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** When points earned at `earnedAt` expire. */
export const expiryOf = (earnedAt: Date): Date => addMonths(earnedAt, POINTS_VALIDITY_MONTHS);

/** Earned points count as qualifying at `now` when earned after this instant. */
export const qualifyingSince = (now: Date): Date => addMonths(now, -POINTS_VALIDITY_MONTHS);

/**
 * What a refund takes back of the `earned` points of its order from a `balance` (after due points
 * expired): as much as the balance allows; the rest is the shortfall, recorded, never a negative balance.
 */
export function clawbackOf(earned: number, balance: number): { taken: number; shortfall: number } {
  const taken = Math.max(0, Math.min(earned, balance));
  return { taken, shortfall: Math.max(0, earned - taken) };
}

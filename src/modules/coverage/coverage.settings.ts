// The coverage thresholds an ADMIN changes (coverage_rule_settings and coverage_floors, seeded by
// the migration with the defaults of DEFAULT_RULES): their shape, how they turn the rule table
// into the one the analysis applies, and what a valid change looks like. Pure, tested table-driven
// (test/coverage/coverage.settings.rules.test.ts).
import { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { Validator } from '../../shared/domain-error';
import { DEFAULT_RULES, type CoverageRuleSet } from './coverage.rules';

export interface CoverageFloorSetting {
  /** ISO 4217, upper case. */
  currency: string;
  amount: Decimal;
}

export interface CoverageSettings {
  /** DIME: years of income in the need (debts + years × income + mortgage + education). */
  dimeIncomeYears: number;
  /** Income multiple: the need when no DIME term is recorded (multiple × income). */
  incomeMultiple: number;
  /** AGE_NO_HEALTH applies over this age. */
  ageNoHealthOlderThan: number;
  /** AGE_NO_ACCIDENT applies over this age. */
  ageNoAccidentOlderThan: number;
  /** EXPIRING_SOON: ACTIVE policies ending within this many days. */
  expiringWithinDays: number;
  /** EXPIRING_SOON is HIGH within this many days (or past), MEDIUM otherwise. */
  expiringUrgentWithinDays: number;
  /** PREMIUM_UNAFFORDABLE: annual premiums above this share of annual income (0 < share ≤ 1). */
  maxPremiumShareOfIncome: Decimal;
  /** TOTAL_BELOW_FLOOR: minimum total coverage per currency; a currency without one is not checked. */
  floors: CoverageFloorSetting[];
}

export type CoverageSettingsChange = Partial<CoverageSettings>;

/** The settings DEFAULT_RULES hold (what the migration seeds). */
export function settingsOf(rules: CoverageRuleSet = DEFAULT_RULES): CoverageSettings {
  const { rules: r, needsEstimate } = rules;
  const severity = r.EXPIRING_SOON.severity;
  return {
    dimeIncomeYears: needsEstimate.dimeIncomeYears,
    incomeMultiple: needsEstimate.incomeMultiple,
    ageNoHealthOlderThan: r.AGE_NO_HEALTH.thresholds.olderThan,
    ageNoAccidentOlderThan: r.AGE_NO_ACCIDENT.thresholds.olderThan,
    expiringWithinDays: r.EXPIRING_SOON.thresholds.withinDays,
    expiringUrgentWithinDays:
      typeof severity === 'object' && 'urgentWithinDays' in severity ? severity.urgentWithinDays : 0,
    maxPremiumShareOfIncome: new Decimal(r.PREMIUM_UNAFFORDABLE.thresholds.maxShareOfIncome),
    floors: Object.entries(r.TOTAL_BELOW_FLOOR.thresholds.floorByCurrency).map(([currency, amount]) => ({
      currency,
      amount: new Decimal(amount),
    })),
  };
}

/** The rule table with `settings` in place of its thresholds (everything else, wording included, unchanged). */
export function rulesWithSettings(settings: CoverageSettings, base: CoverageRuleSet = DEFAULT_RULES): CoverageRuleSet {
  const r = base.rules;
  const expiringSeverity = r.EXPIRING_SOON.severity;
  return {
    needsEstimate: { dimeIncomeYears: settings.dimeIncomeYears, incomeMultiple: settings.incomeMultiple },
    rules: {
      ...r,
      AGE_NO_HEALTH: { ...r.AGE_NO_HEALTH, thresholds: { olderThan: settings.ageNoHealthOlderThan } },
      AGE_NO_ACCIDENT: { ...r.AGE_NO_ACCIDENT, thresholds: { olderThan: settings.ageNoAccidentOlderThan } },
      EXPIRING_SOON: {
        ...r.EXPIRING_SOON,
        thresholds: { withinDays: settings.expiringWithinDays },
        severity:
          typeof expiringSeverity === 'object' && 'urgentWithinDays' in expiringSeverity
            ? { ...expiringSeverity, urgentWithinDays: settings.expiringUrgentWithinDays }
            : expiringSeverity,
      },
      PREMIUM_UNAFFORDABLE: {
        ...r.PREMIUM_UNAFFORDABLE,
        thresholds: { maxShareOfIncome: settings.maxPremiumShareOfIncome.toFixed() },
      },
      TOTAL_BELOW_FLOOR: {
        ...r.TOTAL_BELOW_FLOOR,
        thresholds: {
          floorByCurrency: Object.fromEntries(settings.floors.map((f) => [f.currency, f.amount.toFixed()])),
        },
      },
    },
  };
}

export const SETTING_LIMITS = {
  dimeIncomeYears: [1, 50],
  incomeMultiple: [1, 50],
  ageNoHealthOlderThan: [0, 120],
  ageNoAccidentOlderThan: [0, 120],
  expiringWithinDays: [1, 366],
  expiringUrgentWithinDays: [0, 366],
} as const satisfies Record<string, readonly [number, number]>;

export const MAX_FLOORS = 200;
const MAX_FLOOR = new Decimal('1e14');

/**
 * Checks a change against the settings it would produce (`next` = current with the change
 * applied): ranges, the urgent window inside the expiry window, a share in (0, 1] with at most 4
 * decimals, floors with ISO currencies (no duplicates) and amounts ≥ 0 with at most 2 decimals.
 * Problems are reported at the input field that was sent (`input.<field>`, `input.floors.<i>.…`).
 */
export function validateSettingsChange(v: Validator, change: CoverageSettingsChange, next: CoverageSettings): void {
  const outOfRange = new Set<string>();
  for (const [key, [min, max]] of Object.entries(SETTING_LIMITS) as [keyof typeof SETTING_LIMITS, [number, number]][]) {
    const value = change[key];
    if (value === undefined) continue;
    const ok = Number.isInteger(value) && value >= min && value <= max;
    if (!ok) outOfRange.add(key);
    v.check(ok, ['input', key], `${key} must be an integer between ${min} and ${max}`);
  }
  // The urgent window inside the expiry window, once each is in range (one error per field).
  const windowsInRange = !outOfRange.has('expiringWithinDays') && !outOfRange.has('expiringUrgentWithinDays');
  if (windowsInRange && (change.expiringWithinDays !== undefined || change.expiringUrgentWithinDays !== undefined)) {
    v.check(
      next.expiringUrgentWithinDays <= next.expiringWithinDays,
      ['input', change.expiringUrgentWithinDays !== undefined ? 'expiringUrgentWithinDays' : 'expiringWithinDays'],
      `expiringUrgentWithinDays (${next.expiringUrgentWithinDays}) cannot exceed expiringWithinDays (${next.expiringWithinDays})`,
    );
  }
  const share = change.maxPremiumShareOfIncome;
  if (share !== undefined) {
    v.check(
      share.gt(0) && share.lte(1) && share.decimalPlaces() <= 4,
      ['input', 'maxPremiumShareOfIncome'],
      'maxPremiumShareOfIncome must be a fraction above 0 and at most 1, with at most 4 decimals (0.15 = 15%)',
    );
  }
  if (change.floors !== undefined) {
    v.check(change.floors.length <= MAX_FLOORS, ['input', 'floors'], `At most ${MAX_FLOORS} floors`);
    const seen = new Set<string>();
    change.floors.slice(0, MAX_FLOORS).forEach((floor, i) => {
      v.check(
        /^[A-Z]{3}$/.test(floor.currency),
        ['input', 'floors', String(i), 'currency'],
        'Currency must be an ISO 4217 code such as "EUR"',
      );
      v.check(
        !seen.has(floor.currency),
        ['input', 'floors', String(i), 'currency'],
        `${floor.currency} has more than one floor`,
      );
      seen.add(floor.currency);
      v.check(
        floor.amount.gte(0) && floor.amount.lt(MAX_FLOOR) && floor.amount.decimalPlaces() <= 2,
        ['input', 'floors', String(i), 'amount'],
        'Floor must be an amount from 0 to below 100,000,000,000,000 with at most 2 decimals',
      );
    });
  }
}

/** The settings after `change`; floors normalised (currency upper case, sorted by currency). */
export function applySettingsChange(current: CoverageSettings, change: CoverageSettingsChange): CoverageSettings {
  const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
  const next = { ...current, ...defined } as CoverageSettings;
  return {
    ...next,
    floors: next.floors
      .map((f) => ({ currency: f.currency.trim().toUpperCase(), amount: f.amount }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/** The names of the settings `change` actually changes (for the audit entry). */
export function changedSettings(current: CoverageSettings, next: CoverageSettings): string[] {
  const changed: string[] = [];
  for (const key of Object.keys(next) as (keyof CoverageSettings)[]) {
    const a = current[key];
    const b = next[key];
    const same =
      key === 'floors'
        ? JSON.stringify(current.floors.map((f) => [f.currency, f.amount.toFixed()])) ===
          JSON.stringify(next.floors.map((f) => [f.currency, f.amount.toFixed()]))
        : a instanceof Decimal
          ? a.eq(b as Decimal)
          : a === b;
    if (!same) changed.push(key);
  }
  return changed;
}

// Applies the coverage rule table (coverage.rules.ts) to one customer's policies: a pure
// function, no database, no GraphQL.
import { PolicyType } from '../../generated/prisma/enums';
import { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { ageOn } from '../../shared/dates';
import {
  COVERAGE_SEVERITIES,
  PREMIUMS_PER_YEAR,
  POLICY_TYPES,
  type CoverageAnalysis,
  type CoverageOverall,
  type CoverageCustomer,
  type CoverageGap,
  type CoveragePolicy,
  type CoverageSeverity,
  type CoverageTotal,
  type LifeCoverNeed,
} from './coverage.model';
import { DEFAULT_RULES, type CoverageRule, type CoverageRuleSet, type SeveritySpec } from './coverage.rules';

// ───────────────────────────── Helpers (exported for tests and docs) ─────────────────────────────

const ZERO = new Decimal(0);
const DAY_MS = 86_400_000;

/** 100000000 → "100,000,000 KRW"; keeps up to two decimals ("1,234.5 USD"). */
export function formatMoney(amount: Decimal, currency: string): string {
  const fixed = amount.toDecimalPlaces(2).toFixed();
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped}${fraction ? `.${fraction}` : ''} ${currency}`;
}

/** A fraction as a percentage with at most one decimal: 0.18 → "18%", 0.1875 → "18.8%". */
export function formatShare(share: Decimal): string {
  return `${share.times(100).toDecimalPlaces(1).toFixed()}%`;
}

/** Fills {placeholders}; a placeholder without a value is a bug in the table, so it throws. */
export function renderTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`Coverage template placeholder {${key}} has no value`);
    return String(values[key]);
  });
}

/** A rule's condition with its thresholds filled in, e.g. "Age (from the birth date) over 50 and …". */
export function describeCondition(rule: CoverageRule<object, string>): string {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(rule.thresholds)) {
    if (key === 'floorByCurrency') {
      values[key] = Object.entries(value as Record<string, string>)
        .map(([code, amount]) => formatMoney(new Decimal(amount), code))
        .join(', ');
    } else if (key === 'maxShareOfIncome') {
      values[key] = formatShare(new Decimal(value as string));
    } else {
      values[key] = String(value);
    }
  }
  return renderTemplate(rule.condition, values);
}

/** Annualised premium of one policy. */
export const annualPremium = (p: Pick<CoveragePolicy, 'premium' | 'premiumFrequency'>): Decimal =>
  p.premium.times(PREMIUMS_PER_YEAR[p.premiumFrequency]);

const normaliseCurrency = (code: string) => code.trim().toUpperCase();
const utcMidnight = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const sum = (values: Decimal[]) => values.reduce((a, b) => a.plus(b), ZERO);

function resolveSeverity(spec: SeveritySpec, facts: { hasDependants: boolean; daysLeft?: number }): CoverageSeverity {
  if (typeof spec === 'string') return spec;
  if ('withDependants' in spec) return facts.hasDependants ? spec.withDependants : spec.withoutDependants;
  return facts.daysLeft !== undefined && facts.daysLeft <= spec.urgentWithinDays ? spec.urgent : spec.otherwise;
}

/** The life-cover need of SPEC §3 (DIME, or an income multiple when no DIME term is recorded). */
export function estimateLifeCoverNeed(
  customer: CoverageCustomer,
  settings: CoverageRuleSet['needsEstimate'],
): LifeCoverNeed | null {
  const currency = normaliseCurrency(customer.prefCurrency);
  const money = (d: Decimal) => formatMoney(d, currency);
  const { annualIncome: income, debts, mortgageBalance: mortgage, educationCosts: education } = customer;
  if (debts != null || mortgage != null || education != null) {
    const terms: [string, Decimal][] = [];
    if (debts != null) terms.push([`debts ${money(debts)}`, debts]);
    if (income != null) {
      terms.push([
        `${settings.dimeIncomeYears} years × income ${money(income)}`,
        income.times(settings.dimeIncomeYears),
      ]);
    }
    if (mortgage != null) terms.push([`mortgage ${money(mortgage)}`, mortgage]);
    if (education != null) terms.push([`education ${money(education)}`, education]);
    return {
      method: 'DIME',
      amount: sum(terms.map(([, v]) => v)),
      basis: `DIME: ${terms.map(([t]) => t).join(' + ')}`,
    };
  }
  if (income != null) {
    return {
      method: 'INCOME_MULTIPLE',
      amount: income.times(settings.incomeMultiple),
      basis: `${settings.incomeMultiple} × annual income of ${money(income)}`,
    };
  }
  return null;
}

// ───────────────────────────── The analysis ─────────────────────────────

/**
 * Totals and gaps of one customer's insurance portfolio on `today` (only its UTC date counts).
 *
 * Currencies: nothing is converted. Totals, the needs estimate and suggested amounts are in the
 * customer's preferred currency; ACTIVE policies in another currency get their own totals rows,
 * an `otherCurrencies` entry and a LOW MIXED_CURRENCY gap, and are left out of the amount checks
 * (LIFE_BELOW_NEED, TOTAL_BELOW_FLOOR, PREMIUM_UNAFFORDABLE, whose explanations say so), while
 * still counting as cover for the "has no policy of type X" checks.
 */
export function analyseCoverage(
  customer: CoverageCustomer,
  policies: readonly CoveragePolicy[],
  today: Date,
  rules: CoverageRuleSet = DEFAULT_RULES,
): CoverageAnalysis {
  const currency = normaliseCurrency(customer.prefCurrency);
  const money = (d: Decimal) => formatMoney(d, currency);
  const active = policies.filter((p) => p.status === 'ACTIVE');
  const inCurrency = active.filter((p) => normaliseCurrency(p.currency) === currency);
  const otherCurrencyCodes = [
    ...new Set(active.map((p) => normaliseCurrency(p.currency)).filter((c) => c !== currency)),
  ].sort();

  // Totals.
  const totalRow = (type: PolicyType, code: string, rows: CoveragePolicy[]): CoverageTotal => ({
    type,
    currency: code,
    coverage: sum(rows.map((p) => p.coverageAmount)),
    annualPremium: sum(rows.map(annualPremium)),
    policyCount: rows.length,
  });
  const overallOf = (code: string, rows: CoveragePolicy[]): CoverageOverall => ({
    currency: code,
    coverage: sum(rows.map((p) => p.coverageAmount)),
    annualPremium: sum(rows.map(annualPremium)),
    policyCount: rows.length,
  });
  const totals = POLICY_TYPES.map((type) =>
    totalRow(
      type,
      currency,
      inCurrency.filter((p) => p.type === type),
    ),
  );
  const otherCurrencies: CoverageOverall[] = [];
  for (const code of otherCurrencyCodes) {
    const rows = active.filter((p) => normaliseCurrency(p.currency) === code);
    otherCurrencies.push(overallOf(code, rows));
    for (const type of POLICY_TYPES) {
      const ofType = rows.filter((p) => p.type === type);
      if (ofType.length > 0) totals.push(totalRow(type, code, ofType));
    }
  }
  const overall = overallOf(currency, inCurrency);
  const lifeCoverNeed = estimateLifeCoverNeed(customer, rules.needsEstimate);

  // Facts the rules look at.
  const hasDependants = (customer.dependants ?? 0) > 0;
  const age = customer.birthDate ? ageOn(customer.birthDate, today) : null;
  const hasActive = (type: PolicyType) => active.some((p) => p.type === type);
  const inactiveNote = (type: PolicyType) => {
    const counts = new Map<string, number>();
    for (const p of policies)
      if (p.type === type && p.status !== 'ACTIVE') counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
    if (counts.size === 0) return '';
    return ` (not counted: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')})`;
  };
  const otherCurrenciesNote = (rows: CoveragePolicy[], what: string) => {
    const codes = [
      ...new Set(
        rows.filter((p) => normaliseCurrency(p.currency) !== currency).map((p) => normaliseCurrency(p.currency)),
      ),
    ].sort();
    return codes.length === 0 ? '' : `; ${what} in ${codes.join(', ')} is not counted`;
  };
  const dependantsText =
    customer.dependants == null
      ? 'has no dependants on record'
      : customer.dependants === 0
        ? 'has no dependants'
        : `has ${plural(customer.dependants, 'dependant', 'dependants')}`;

  const gaps: (CoverageGap & { order: number; endDate?: number })[] = [];
  const ruleOrder = Object.keys(rules.rules);
  const add = <V extends string>(
    rule: CoverageRule<unknown, V>,
    variant: V,
    values: Record<string, string | number>,
    extra: {
      type?: PolicyType | null;
      suggestedAmount?: Decimal | null;
      policyId?: string | null;
      daysLeft?: number;
      endDate?: number;
    } = {},
  ) => {
    const template = rule.templates[variant];
    gaps.push({
      type: extra.type !== undefined ? extra.type : rule.type === 'POLICY' ? null : rule.type,
      severity: resolveSeverity(rule.severity, { hasDependants, daysLeft: extra.daysLeft }),
      code: rule.code,
      explanation: renderTemplate(template.explanation, values),
      recommendation: renderTemplate(template.recommendation, values),
      suggestedAmount: extra.suggestedAmount ?? null,
      policyId: extra.policyId ?? null,
      order: ruleOrder.indexOf(rule.code),
      endDate: extra.endDate,
    });
  };
  const r = rules.rules;
  const customerType = customer.type ?? 'INDIVIDUAL';
  const applies = (rule: CoverageRule<unknown, string>) => rule.enabled && rule.customerTypes.includes(customerType);

  // NO_LIFE
  if (applies(r.NO_LIFE) && !hasActive('LIFE')) {
    const base = { inactive: inactiveNote('LIFE'), dependants: dependantsText };
    if (lifeCoverNeed?.amount.gt(0)) {
      add(
        r.NO_LIFE,
        'withNeed',
        { ...base, need: money(lifeCoverNeed.amount), needBasis: lifeCoverNeed.basis },
        { suggestedAmount: lifeCoverNeed.amount },
      );
    } else {
      add(r.NO_LIFE, 'withoutNeed', base);
    }
  }

  // NO_HEALTH, or AGE_NO_HEALTH for older customers
  const olderForHealth = applies(r.AGE_NO_HEALTH) && age !== null && age > r.AGE_NO_HEALTH.thresholds.olderThan;
  if (!hasActive('HEALTH')) {
    if (olderForHealth) {
      add(r.AGE_NO_HEALTH, 'default', {
        age: age!,
        olderThan: r.AGE_NO_HEALTH.thresholds.olderThan,
        inactive: inactiveNote('HEALTH'),
      });
    } else if (applies(r.NO_HEALTH)) {
      add(r.NO_HEALTH, 'default', { inactive: inactiveNote('HEALTH') });
    }
  }

  // LIFE_BELOW_NEED
  if (applies(r.LIFE_BELOW_NEED) && hasActive('LIFE') && lifeCoverNeed) {
    const current = sum(inCurrency.filter((p) => p.type === 'LIFE').map((p) => p.coverageAmount));
    if (current.lt(lifeCoverNeed.amount)) {
      const shortfall = lifeCoverNeed.amount.minus(current);
      add(
        r.LIFE_BELOW_NEED,
        'default',
        {
          current: money(current),
          need: money(lifeCoverNeed.amount),
          needBasis: lifeCoverNeed.basis,
          shortfall: money(shortfall),
          otherCurrencies: otherCurrenciesNote(
            active.filter((p) => p.type === 'LIFE'),
            'LIFE cover',
          ),
        },
        { suggestedAmount: shortfall },
      );
    }
  }

  // TOTAL_BELOW_FLOOR
  const floorText = r.TOTAL_BELOW_FLOOR.thresholds.floorByCurrency[currency];
  if (applies(r.TOTAL_BELOW_FLOOR) && floorText !== undefined) {
    const floor = new Decimal(floorText);
    if (overall.coverage.lt(floor)) {
      const shortfall = floor.minus(overall.coverage);
      add(
        r.TOTAL_BELOW_FLOOR,
        'default',
        {
          total: money(overall.coverage),
          floor: money(floor),
          shortfall: money(shortfall),
          otherCurrencies: otherCurrenciesNote(active, 'cover'),
        },
        { suggestedAmount: shortfall },
      );
    }
  }

  // AGE_NO_ACCIDENT
  const accident = r.AGE_NO_ACCIDENT;
  if (applies(accident) && age !== null && age > accident.thresholds.olderThan && !hasActive('ACCIDENT')) {
    add(accident, 'default', { age, olderThan: accident.thresholds.olderThan, inactive: inactiveNote('ACCIDENT') });
  }

  // EXPIRING_SOON, one per policy
  if (applies(r.EXPIRING_SOON)) {
    const todayMs = utcMidnight(today);
    const expiring = active
      .map((p) => ({ p, end: utcMidnight(p.endDate) }))
      .filter(({ end }) => (end - todayMs) / DAY_MS <= r.EXPIRING_SOON.thresholds.withinDays)
      .sort((a, b) => a.end - b.end || a.p.number.localeCompare(b.p.number));
    for (const { p, end } of expiring) {
      const daysLeft = Math.round((end - todayMs) / DAY_MS);
      const variant = daysLeft > 0 ? 'upcoming' : daysLeft === 0 ? 'today' : 'overdue';
      add(
        r.EXPIRING_SOON,
        variant,
        {
          type: p.type,
          number: p.number,
          days: plural(Math.abs(daysLeft), 'day', 'days'),
          endDate: new Date(end).toISOString().slice(0, 10),
          coverage: formatMoney(p.coverageAmount, normaliseCurrency(p.currency)),
        },
        { type: p.type, policyId: p.id, daysLeft, endDate: end },
      );
    }
  }

  // PREMIUM_UNAFFORDABLE
  const afford = r.PREMIUM_UNAFFORDABLE;
  if (applies(afford) && customer.annualIncome != null) {
    const income = customer.annualIncome;
    const limit = new Decimal(afford.thresholds.maxShareOfIncome);
    const maxPremiums = income.times(limit);
    if (overall.annualPremium.gt(maxPremiums)) {
      const values = {
        premiums: money(overall.annualPremium),
        income: money(income),
        limit: formatShare(limit),
        maxPremiums: money(maxPremiums),
        otherCurrencies: otherCurrenciesNote(active, 'premium'),
      };
      if (income.gt(0)) add(afford, 'default', { ...values, share: formatShare(overall.annualPremium.div(income)) });
      else add(afford, 'noIncome', values);
    }
  }

  // MIXED_CURRENCY, one per other currency
  if (applies(r.MIXED_CURRENCY)) {
    for (const other of otherCurrencies) {
      const many = other.policyCount !== 1;
      add(r.MIXED_CURRENCY, 'default', {
        policies: plural(other.policyCount, 'active policy', 'active policies'),
        currency: other.currency,
        coverage: formatMoney(other.coverage, other.currency),
        premiums: formatMoney(other.annualPremium, other.currency),
        customerCurrency: currency,
        isAre: many ? 'are' : 'is',
        itThey: many ? 'they' : 'it',
      });
    }
  }

  const rank = (s: CoverageSeverity) => COVERAGE_SEVERITIES.indexOf(s);
  gaps.sort((a, b) => rank(a.severity) - rank(b.severity) || a.order - b.order || (a.endDate ?? 0) - (b.endDate ?? 0));
  return {
    currency,
    totals,
    overall,
    otherCurrencies,
    lifeCoverNeed,
    gaps: gaps.map(({ order: _order, endDate: _endDate, ...gap }) => gap),
  };
}

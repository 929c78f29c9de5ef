// Table-driven worked examples of the coverage rules: inputs → the exact gaps (code, severity,
// type, suggested amount) and, for one example per rule, the exact sentences. The same numbers
// are the worked examples of docs/coverage-rules.md.
import {
  analyseCoverage,
  describeCondition,
  estimateLifeCoverNeed,
  formatMoney,
  formatShare,
  renderTemplate,
} from '../../src/modules/coverage/coverage.analysis';
import type { CoverageCustomer, CoveragePolicy } from '../../src/modules/coverage/coverage.model';
import { DEFAULT_RULES, type CoverageRuleSet } from '../../src/modules/coverage/coverage.rules';
import type { PolicyType } from '../../src/generated/prisma/enums';
import { Decimal } from '../../src/generated/prisma/internal/prismaNamespace';

// Today for every example (only the UTC date counts).
const TODAY = new Date('2025-07-01T09:30:00Z');
const date = (ymd: string) => new Date(`${ymd}T00:00:00.000Z`);
const D = (value: string) => new Decimal(value);

/** Baseline: KRW, 40 years old, income 60,000,000 KRW, 2 dependants, no DIME terms. */
function customer(overrides: Partial<CoverageCustomer> = {}): CoverageCustomer {
  return {
    prefCurrency: 'KRW',
    birthDate: date('1985-03-15'),
    annualIncome: D('60000000'),
    dependants: 2,
    debts: null,
    mortgageBalance: null,
    educationCosts: null,
    ...overrides,
  };
}

let counter = 0;
function policy(type: PolicyType, coverage: string, overrides: Partial<CoveragePolicy> = {}): CoveragePolicy {
  counter += 1;
  return {
    id: `policy-${counter}`,
    number: `${type}-${String(counter).padStart(6, '0')}`,
    type,
    status: 'ACTIVE',
    premium: D('10000'),
    premiumFrequency: 'MONTHLY',
    coverageAmount: D(coverage),
    currency: 'KRW',
    endDate: date('2026-06-30'),
    ...overrides,
  };
}

/**
 * Fully covered for the baseline customer: LIFE 600,000,000 (= 10 × 60,000,000), HEALTH
 * 100,000,000, ACCIDENT 100,000,000 (without any one of them still ≥ the 100,000,000 floor);
 * premiums 360,000 a year (0.6% of income).
 */
const covered = () => [policy('LIFE', '600000000'), policy('HEALTH', '100000000'), policy('ACCIDENT', '100000000')];
const without = (type: PolicyType) => covered().filter((p) => p.type !== type);

type ExpectedGap = [code: string, severity: string, type: PolicyType | null, suggestedAmount: string | null];

interface Example {
  name: string;
  customer: CoverageCustomer;
  policies: CoveragePolicy[];
  rules?: CoverageRuleSet;
  gaps: ExpectedGap[];
  /** Exact sentences of the gap with this code (the first one, if several). */
  text?: { code: string; explanation: string; recommendation: string };
}

function check(example: Example) {
  const result = analyseCoverage(example.customer, example.policies, TODAY, example.rules);
  expect(
    result.gaps.map((g) => [
      g.code,
      g.severity,
      g.type,
      g.suggestedAmount === null ? null : g.suggestedAmount.toFixed(),
    ]),
  ).toEqual(example.gaps);
  for (const gap of result.gaps) {
    if (gap.suggestedAmount !== null) expect(gap.suggestedAmount).toBeInstanceOf(Decimal);
    expect(gap.explanation).not.toMatch(/[{}]|undefined|NaN/);
    expect(gap.recommendation).not.toMatch(/[{}]|undefined|NaN/);
  }
  if (example.text) {
    const gap = result.gaps.find((g) => g.code === example.text!.code)!;
    expect({ explanation: gap.explanation, recommendation: gap.recommendation }).toEqual({
      explanation: example.text.explanation,
      recommendation: example.text.recommendation,
    });
  }
  return result;
}

const table = (examples: Example[]) =>
  it.each(examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
    check(example);
  });

describe('baseline', () => {
  table([
    { name: 'the fully covered baseline customer has no gaps', customer: customer(), policies: covered(), gaps: [] },
  ]);
});

describe('totals', () => {
  it('sums coverage and annualised premiums of ACTIVE policies per type and overall (MONTHLY × 12, QUARTERLY × 4, ANNUAL × 1)', () => {
    const result = analyseCoverage(
      customer(),
      [
        policy('LIFE', '400000000', { premium: D('100000'), premiumFrequency: 'MONTHLY' }), // 1,200,000 a year
        policy('LIFE', '200000000', { premium: D('150000'), premiumFrequency: 'QUARTERLY' }), // 600,000 a year
        policy('HEALTH', '50000000', { premium: D('240000'), premiumFrequency: 'ANNUAL' }), // 240,000 a year
        policy('AUTO', '30000000', { status: 'PENDING' }), // not in force: not counted
        policy('HOME', '90000000', { status: 'EXPIRED' }),
        policy('TRAVEL', '5000000', { status: 'CANCELLED' }),
      ],
      TODAY,
    );
    expect(result.currency).toBe('KRW');
    expect(
      result.totals.map((t) => [t.type, t.currency, t.coverage.toFixed(), t.annualPremium.toFixed(), t.policyCount]),
    ).toEqual([
      ['AUTO', 'KRW', '0', '0', 0],
      ['HOME', 'KRW', '0', '0', 0],
      ['LIFE', 'KRW', '600000000', '1800000', 2],
      ['HEALTH', 'KRW', '50000000', '240000', 1],
      ['ACCIDENT', 'KRW', '0', '0', 0],
      ['TRAVEL', 'KRW', '0', '0', 0],
      ['OTHER', 'KRW', '0', '0', 0],
    ]);
    expect([
      result.overall.currency,
      result.overall.coverage.toFixed(),
      result.overall.annualPremium.toFixed(),
      result.overall.policyCount,
    ]).toEqual(['KRW', '650000000', '2040000', 3]);
    expect(result.otherCurrencies).toEqual([]);
  });

  it('is exact decimal arithmetic, never floating point', () => {
    const result = analyseCoverage(
      customer({ prefCurrency: 'USD', annualIncome: null, dependants: null }),
      [
        policy('AUTO', '0.10', { currency: 'USD', premium: D('33.33'), premiumFrequency: 'MONTHLY' }),
        policy('AUTO', '0.20', { currency: 'USD', premium: D('0.10'), premiumFrequency: 'QUARTERLY' }),
      ],
      TODAY,
    );
    const auto = result.totals.find((t) => t.type === 'AUTO')!;
    expect(auto.coverage.toFixed()).toBe('0.3'); // 0.1 + 0.2 in floats is 0.30000000000000004
    expect(auto.annualPremium.toFixed()).toBe('400.36'); // 33.33 × 12 + 0.10 × 4
    expect(result.gaps.find((g) => g.code === 'TOTAL_BELOW_FLOOR')!.suggestedAmount!.toFixed()).toBe('74999.7');
  });

  it('formats money with thousands separators and up to two decimals', () => {
    expect(formatMoney(D('100000000'), 'KRW')).toBe('100,000,000 KRW');
    expect(formatMoney(D('1234.5'), 'USD')).toBe('1,234.5 USD');
    expect(formatMoney(D('999.999'), 'USD')).toBe('1,000 USD');
    expect(formatMoney(D('0'), 'EUR')).toBe('0 EUR');
  });
});

describe('needs estimate (used by NO_LIFE and LIFE_BELOW_NEED)', () => {
  it.each([
    [
      'income multiple when no DIME term is recorded',
      {},
      'INCOME_MULTIPLE',
      '600000000',
      '10 × annual income of 60,000,000 KRW',
    ],
    [
      'DIME with every term',
      { debts: D('20000000'), mortgageBalance: D('300000000'), educationCosts: D('50000000') },
      'DIME',
      '970000000',
      'DIME: debts 20,000,000 KRW + 10 years × income 60,000,000 KRW + mortgage 300,000,000 KRW + education 50,000,000 KRW',
    ],
    [
      'DIME with only a mortgage (missing terms count as zero)',
      { mortgageBalance: D('300000000') },
      'DIME',
      '900000000',
      'DIME: 10 years × income 60,000,000 KRW + mortgage 300,000,000 KRW',
    ],
    [
      'DIME without income',
      { annualIncome: null, debts: D('20000000'), mortgageBalance: D('300000000') },
      'DIME',
      '320000000',
      'DIME: debts 20,000,000 KRW + mortgage 300,000,000 KRW',
    ],
  ] as const)('%s', (_name, overrides, method, amount, basis) => {
    const need = estimateLifeCoverNeed(customer(overrides), DEFAULT_RULES.needsEstimate)!;
    expect([need.method, need.amount.toFixed(), need.basis]).toEqual([method, amount, basis]);
  });

  it('is null when the record has neither income nor any DIME term', () => {
    expect(estimateLifeCoverNeed(customer({ annualIncome: null }), DEFAULT_RULES.needsEstimate)).toBeNull();
  });
});

describe('NO_LIFE', () => {
  table([
    {
      name: 'with dependants: HIGH, suggested = income multiple',
      customer: customer(),
      policies: without('LIFE'),
      gaps: [['NO_LIFE', 'HIGH', 'LIFE', '600000000']],
      text: {
        code: 'NO_LIFE',
        explanation:
          'The customer has no active LIFE policy and has 2 dependants. Estimated life-cover need: 600,000,000 KRW (10 × annual income of 60,000,000 KRW).',
        recommendation: 'Propose a term life policy covering 600,000,000 KRW.',
      },
    },
    {
      name: 'no dependants: MEDIUM',
      customer: customer({ dependants: 0 }),
      policies: without('LIFE'),
      gaps: [['NO_LIFE', 'MEDIUM', 'LIFE', '600000000']],
    },
    {
      name: 'with DIME terms: suggested = debts + 10 years × income + mortgage + education',
      customer: customer({
        dependants: 3,
        debts: D('20000000'),
        mortgageBalance: D('300000000'),
        educationCosts: D('50000000'),
      }),
      policies: without('LIFE'),
      gaps: [['NO_LIFE', 'HIGH', 'LIFE', '970000000']],
    },
    {
      name: 'dependants and income unknown: MEDIUM, no suggested amount',
      customer: customer({ dependants: null, annualIncome: null }),
      policies: without('LIFE'),
      gaps: [['NO_LIFE', 'MEDIUM', 'LIFE', null]],
      text: {
        code: 'NO_LIFE',
        explanation:
          'The customer has no active LIFE policy and has no dependants on record. The need cannot be estimated: the record shows no income, debts, mortgage or education costs.',
        recommendation: "Record the customer's income and debts to size the cover, then propose a term life policy.",
      },
    },
    {
      name: 'a cancelled LIFE policy is not cover, and the explanation says so',
      customer: customer({ dependants: 1 }),
      policies: [...without('LIFE'), policy('LIFE', '600000000', { status: 'CANCELLED' })],
      gaps: [['NO_LIFE', 'HIGH', 'LIFE', '600000000']],
      text: {
        code: 'NO_LIFE',
        explanation:
          'The customer has no active LIFE policy (not counted: 1 CANCELLED) and has 1 dependant. Estimated life-cover need: 600,000,000 KRW (10 × annual income of 60,000,000 KRW).',
        recommendation: 'Propose a term life policy covering 600,000,000 KRW.',
      },
    },
  ]);
});

describe('NO_HEALTH', () => {
  table([
    {
      name: 'no HEALTH policy: HIGH, no suggested amount',
      customer: customer(),
      policies: without('HEALTH'),
      gaps: [['NO_HEALTH', 'HIGH', 'HEALTH', null]],
      text: {
        code: 'NO_HEALTH',
        explanation: 'The customer has no active HEALTH policy: hospital and medical costs are not covered.',
        recommendation: 'Propose health insurance covering hospitalisation and medical costs.',
      },
    },
    {
      name: 'birth date unknown: still NO_HEALTH',
      customer: customer({ birthDate: null }),
      policies: without('HEALTH'),
      gaps: [['NO_HEALTH', 'HIGH', 'HEALTH', null]],
    },
    {
      name: 'a PENDING HEALTH policy is not cover yet',
      customer: customer(),
      policies: [...without('HEALTH'), policy('HEALTH', '50000000', { status: 'PENDING' })],
      gaps: [['NO_HEALTH', 'HIGH', 'HEALTH', null]],
    },
    {
      name: 'exactly 50 is not over 50: NO_HEALTH, not AGE_NO_HEALTH',
      customer: customer({ birthDate: date('1975-07-01') }),
      policies: without('HEALTH'),
      gaps: [['NO_HEALTH', 'HIGH', 'HEALTH', null]],
    },
  ]);
});

describe('AGE_NO_HEALTH (replaces NO_HEALTH over 50)', () => {
  table([
    {
      name: 'age 57 without HEALTH: HIGH',
      customer: customer({ birthDate: date('1968-02-10') }),
      policies: without('HEALTH'),
      gaps: [['AGE_NO_HEALTH', 'HIGH', 'HEALTH', null]],
      text: {
        code: 'AGE_NO_HEALTH',
        explanation: 'The customer is 57, over 50, and has no active HEALTH policy; medical costs rise with age.',
        recommendation: "Propose health insurance suited to the customer's age (hospitalisation and critical illness).",
      },
    },
    {
      name: 'age 51 (51st birthday today)',
      customer: customer({ birthDate: date('1974-07-01') }),
      policies: without('HEALTH'),
      gaps: [['AGE_NO_HEALTH', 'HIGH', 'HEALTH', null]],
    },
    {
      name: 'still 50 (51st birthday tomorrow)',
      customer: customer({ birthDate: date('1974-07-02') }),
      policies: without('HEALTH'),
      gaps: [['NO_HEALTH', 'HIGH', 'HEALTH', null]],
    },
    {
      name: 'age 57 with HEALTH: no gap',
      customer: customer({ birthDate: date('1968-02-10') }),
      policies: covered(),
      gaps: [],
    },
  ]);
});

describe('AGE_NO_ACCIDENT', () => {
  table([
    {
      name: 'age 57 without ACCIDENT: MEDIUM',
      customer: customer({ birthDate: date('1968-02-10') }),
      policies: without('ACCIDENT'),
      gaps: [['AGE_NO_ACCIDENT', 'MEDIUM', 'ACCIDENT', null]],
      text: {
        code: 'AGE_NO_ACCIDENT',
        explanation:
          'The customer is 57, over 50, and has no active ACCIDENT policy; injuries become more likely and costlier with age.',
        recommendation: 'Propose accident cover with injury, disability and hospitalisation benefits.',
      },
    },
    {
      name: 'age 50 without ACCIDENT: no gap',
      customer: customer({ birthDate: date('1975-07-01') }),
      policies: without('ACCIDENT'),
      gaps: [],
    },
    { name: 'age 40 without ACCIDENT: no gap', customer: customer(), policies: without('ACCIDENT'), gaps: [] },
  ]);
});

describe('LIFE_BELOW_NEED', () => {
  table([
    {
      name: 'income multiple, with dependants: HIGH, suggested = 600,000,000 − 200,000,000',
      customer: customer(),
      policies: [policy('LIFE', '200000000'), policy('HEALTH', '50000000'), policy('ACCIDENT', '30000000')],
      gaps: [['LIFE_BELOW_NEED', 'HIGH', 'LIFE', '400000000']],
      text: {
        code: 'LIFE_BELOW_NEED',
        explanation:
          'Active LIFE cover of 200,000,000 KRW is below the estimated need of 600,000,000 KRW (10 × annual income of 60,000,000 KRW); the shortfall is 400,000,000 KRW.',
        recommendation: 'Propose additional life cover of 400,000,000 KRW.',
      },
    },
    {
      name: 'DIME, no dependants: MEDIUM, two LIFE policies summed (970,000,000 − 600,000,000)',
      customer: customer({
        dependants: 0,
        debts: D('20000000'),
        mortgageBalance: D('300000000'),
        educationCosts: D('50000000'),
      }),
      policies: [
        policy('LIFE', '400000000'),
        policy('LIFE', '200000000'),
        policy('HEALTH', '50000000'),
        policy('ACCIDENT', '30000000'),
      ],
      gaps: [['LIFE_BELOW_NEED', 'MEDIUM', 'LIFE', '370000000']],
    },
    {
      name: 'DIME without income (320,000,000 − 100,000,000)',
      customer: customer({ annualIncome: null, debts: D('20000000'), mortgageBalance: D('300000000') }),
      policies: [policy('LIFE', '100000000'), policy('HEALTH', '50000000')],
      gaps: [['LIFE_BELOW_NEED', 'HIGH', 'LIFE', '220000000']],
    },
    { name: 'cover equal to the need: no gap', customer: customer(), policies: covered(), gaps: [] },
    {
      name: 'no income and no DIME term: nothing to compare with',
      customer: customer({ annualIncome: null }),
      policies: [policy('LIFE', '1000'), policy('HEALTH', '100000000')],
      gaps: [],
    },
  ]);
});

describe('TOTAL_BELOW_FLOOR', () => {
  const floor200m: CoverageRuleSet = {
    ...DEFAULT_RULES,
    rules: {
      ...DEFAULT_RULES.rules,
      TOTAL_BELOW_FLOOR: {
        ...DEFAULT_RULES.rules.TOTAL_BELOW_FLOOR,
        thresholds: { floorByCurrency: { KRW: '200000000' } },
      },
    },
  };
  table([
    {
      name: 'KRW 90,000,000 against the 100,000,000 floor: MEDIUM, suggested 10,000,000',
      customer: customer({ annualIncome: null }),
      policies: [policy('LIFE', '60000000'), policy('HEALTH', '30000000')],
      gaps: [['TOTAL_BELOW_FLOOR', 'MEDIUM', null, '10000000']],
      text: {
        code: 'TOTAL_BELOW_FLOOR',
        explanation:
          'Total active coverage of 90,000,000 KRW is below the recommended minimum of 100,000,000 KRW; the shortfall is 10,000,000 KRW.',
        recommendation: 'Increase overall coverage by at least 10,000,000 KRW.',
      },
    },
    {
      name: 'exactly at the floor: no gap',
      customer: customer({ annualIncome: null }),
      policies: [policy('LIFE', '70000000'), policy('HEALTH', '30000000')],
      gaps: [],
    },
    {
      name: 'USD floor 75,000: suggested 25,000',
      customer: customer({ prefCurrency: 'USD', annualIncome: null }),
      policies: [policy('LIFE', '40000', { currency: 'USD' }), policy('HEALTH', '10000', { currency: 'USD' })],
      gaps: [['TOTAL_BELOW_FLOOR', 'MEDIUM', null, '25000']],
    },
    {
      name: 'a configured floor of 200,000,000 KRW: suggested 110,000,000',
      customer: customer({ annualIncome: null }),
      policies: [policy('LIFE', '60000000'), policy('HEALTH', '30000000')],
      rules: floor200m,
      gaps: [['TOTAL_BELOW_FLOOR', 'MEDIUM', null, '110000000']],
    },
    {
      name: 'a currency without a floor is not checked',
      customer: customer({ prefCurrency: 'NZD', annualIncome: null }),
      policies: [policy('LIFE', '1000', { currency: 'NZD' }), policy('HEALTH', '1000', { currency: 'NZD' })],
      gaps: [],
    },
  ]);
});

describe('EXPIRING_SOON (today 2025-07-01)', () => {
  const ending = (endDate: string, overrides: Partial<CoveragePolicy> = {}) => [
    ...covered(),
    policy('HOME', '300000000', { number: 'HOME-000042', endDate: date(endDate), ...overrides }),
  ];
  table([
    {
      name: 'ends in 30 days: MEDIUM, type of the policy',
      customer: customer(),
      policies: ending('2025-07-31'),
      gaps: [['EXPIRING_SOON', 'MEDIUM', 'HOME', null]],
      text: {
        code: 'EXPIRING_SOON',
        explanation: 'HOME policy HOME-000042 ends in 30 days on 2025-07-31 (coverage 300,000,000 KRW).',
        recommendation: 'Contact the customer about renewing HOME-000042 before 2025-07-31.',
      },
    },
    { name: 'ends in 31 days: no gap', customer: customer(), policies: ending('2025-08-01'), gaps: [] },
    {
      name: 'ends in 8 days: MEDIUM',
      customer: customer(),
      policies: ending('2025-07-09'),
      gaps: [['EXPIRING_SOON', 'MEDIUM', 'HOME', null]],
    },
    {
      name: 'ends in 7 days: HIGH',
      customer: customer(),
      policies: ending('2025-07-08'),
      gaps: [['EXPIRING_SOON', 'HIGH', 'HOME', null]],
    },
    {
      name: 'ends today: HIGH',
      customer: customer(),
      policies: ending('2025-07-01'),
      gaps: [['EXPIRING_SOON', 'HIGH', 'HOME', null]],
      text: {
        code: 'EXPIRING_SOON',
        explanation: 'HOME policy HOME-000042 ends today, 2025-07-01 (coverage 300,000,000 KRW).',
        recommendation: 'Renew HOME-000042 today or the cover lapses.',
      },
    },
    {
      name: 'ended 3 days ago but still ACTIVE: HIGH',
      customer: customer(),
      policies: ending('2025-06-28'),
      gaps: [['EXPIRING_SOON', 'HIGH', 'HOME', null]],
      text: {
        code: 'EXPIRING_SOON',
        explanation:
          'HOME policy HOME-000042 ended 3 days ago on 2025-06-28 and is still marked ACTIVE (coverage 300,000,000 KRW).',
        recommendation: 'Renew HOME-000042 or mark it expired; the customer may be without this cover.',
      },
    },
    {
      name: 'a CANCELLED policy ending in 5 days: no gap',
      customer: customer(),
      policies: ending('2025-07-06', { status: 'CANCELLED' }),
      gaps: [],
    },
    {
      name: 'one gap per policy, HIGH before MEDIUM, then by end date',
      customer: customer(),
      policies: [
        policy('LIFE', '600000000', { endDate: date('2025-07-20') }),
        policy('HEALTH', '50000000', { endDate: date('2025-07-03') }),
        policy('ACCIDENT', '30000000', { endDate: date('2025-07-15') }),
      ],
      gaps: [
        ['EXPIRING_SOON', 'HIGH', 'HEALTH', null],
        ['EXPIRING_SOON', 'MEDIUM', 'ACCIDENT', null],
        ['EXPIRING_SOON', 'MEDIUM', 'LIFE', null],
      ],
    },
  ]);
});

describe('PREMIUM_UNAFFORDABLE (limit 15% of income)', () => {
  const premiums = (monthlyLife: string) => [
    policy('LIFE', '600000000', { premium: D(monthlyLife) }),
    policy('HEALTH', '50000000', { premium: D('0'), premiumFrequency: 'ANNUAL' }),
    policy('ACCIDENT', '30000000', { premium: D('0'), premiumFrequency: 'ANNUAL' }),
  ];
  table([
    {
      name: '9,600,000 a year on 60,000,000 income (16%): MEDIUM, no suggested amount',
      customer: customer(),
      policies: premiums('800000'),
      gaps: [['PREMIUM_UNAFFORDABLE', 'MEDIUM', null, null]],
      text: {
        code: 'PREMIUM_UNAFFORDABLE',
        explanation:
          'Annual premiums of 9,600,000 KRW are 16% of the annual income of 60,000,000 KRW, above the affordability limit of 15%.',
        recommendation:
          'Review the policies for overlapping or excessive cover: within the limit, premiums stay below 9,000,000 KRW a year.',
      },
    },
    { name: 'exactly 15% (9,000,000): no gap', customer: customer(), policies: premiums('750000'), gaps: [] },
    {
      name: 'income unknown: not checked',
      customer: customer({ annualIncome: null }),
      policies: premiums('800000'),
      gaps: [],
    },
    {
      name: 'income recorded as 0: any premium is above the limit',
      customer: customer({ annualIncome: D('0'), dependants: 0 }),
      policies: premiums('1000'),
      gaps: [['PREMIUM_UNAFFORDABLE', 'MEDIUM', null, null]],
      text: {
        code: 'PREMIUM_UNAFFORDABLE',
        explanation:
          'Annual premiums of 12,000 KRW are paid from a recorded annual income of 0 KRW, above the affordability limit of 15% of income.',
        recommendation: "Check the customer's income and whether the premiums can be paid.",
      },
    },
  ]);
});

describe('special cases', () => {
  it('no policies at all: zero totals; NO_LIFE, NO_HEALTH and TOTAL_BELOW_FLOOR', () => {
    const result = check({
      name: 'no policies',
      customer: customer({ annualIncome: D('50000000'), dependants: 1 }),
      policies: [],
      gaps: [
        ['NO_LIFE', 'HIGH', 'LIFE', '500000000'],
        ['NO_HEALTH', 'HIGH', 'HEALTH', null],
        ['TOTAL_BELOW_FLOOR', 'MEDIUM', null, '100000000'],
      ],
    });
    expect(result.totals).toHaveLength(7);
    expect(
      result.totals.every(
        (t) => t.currency === 'KRW' && t.coverage.isZero() && t.annualPremium.isZero() && t.policyCount === 0,
      ),
    ).toBe(true);
    expect([
      result.overall.coverage.toFixed(),
      result.overall.annualPremium.toFixed(),
      result.overall.policyCount,
    ]).toEqual(['0', '0', 0]);
    expect(result.lifeCoverNeed?.amount.toFixed()).toBe('500000000');
  });

  it('only cancelled and expired policies: the same as none, and the explanations say what was not counted', () => {
    const result = check({
      name: 'only cancelled',
      customer: customer({ annualIncome: D('50000000'), dependants: 1 }),
      policies: [
        policy('LIFE', '500000000', { status: 'CANCELLED', premium: D('90000') }),
        policy('HEALTH', '50000000', { status: 'EXPIRED', endDate: date('2025-06-20') }),
        policy('HEALTH', '50000000', { status: 'CANCELLED', endDate: date('2025-07-10') }),
      ],
      gaps: [
        ['NO_LIFE', 'HIGH', 'LIFE', '500000000'],
        ['NO_HEALTH', 'HIGH', 'HEALTH', null],
        ['TOTAL_BELOW_FLOOR', 'MEDIUM', null, '100000000'],
      ],
    });
    expect(result.overall.policyCount).toBe(0);
    expect(result.overall.annualPremium.toFixed()).toBe('0');
    expect(result.gaps[0].explanation).toContain('(not counted: 1 CANCELLED)');
    expect(result.gaps[1].explanation).toBe(
      'The customer has no active HEALTH policy (not counted: 1 EXPIRED, 1 CANCELLED): hospital and medical costs are not covered.',
    );
  });

  it('mixed currencies: other currencies get their own totals and a LOW MIXED_CURRENCY notice; nothing is converted', () => {
    const result = check({
      name: 'mixed',
      customer: customer(),
      policies: [
        ...covered(),
        policy('LIFE', '100000', { currency: 'USD', premium: D('50'), premiumFrequency: 'MONTHLY' }),
        policy('TRAVEL', '20000', { currency: 'USD', premium: D('120'), premiumFrequency: 'ANNUAL' }),
        policy('HOME', '500000', { currency: 'EUR', status: 'CANCELLED' }), // not active: no EUR anything
      ],
      gaps: [['MIXED_CURRENCY', 'LOW', null, null]],
      text: {
        code: 'MIXED_CURRENCY',
        explanation:
          "2 active policies in USD (coverage 120,000 USD, annual premiums 720 USD) are not in the customer's currency KRW: they are totalled separately and not counted in the KRW totals or amount checks.",
        recommendation:
          "Review the USD cover by hand when judging the amounts above, or align the policies with the customer's currency.",
      },
    });
    expect(
      result.totals
        .slice(7)
        .map((t) => [t.type, t.currency, t.coverage.toFixed(), t.annualPremium.toFixed(), t.policyCount]),
    ).toEqual([
      ['LIFE', 'USD', '100000', '600', 1],
      ['TRAVEL', 'USD', '20000', '120', 1],
    ]);
    expect(result.totals.find((t) => t.type === 'LIFE' && t.currency === 'KRW')!.coverage.toFixed()).toBe('600000000');
    expect([result.overall.currency, result.overall.coverage.toFixed(), result.overall.policyCount]).toEqual([
      'KRW',
      '800000000',
      3,
    ]);
    expect(
      result.otherCurrencies.map((o) => [o.currency, o.coverage.toFixed(), o.annualPremium.toFixed(), o.policyCount]),
    ).toEqual([['USD', '120000', '720', 2]]);
  });

  it("mixed currencies: cover only in another currency counts as having the type, but not towards the customer's amounts", () => {
    const result = check({
      name: 'only foreign cover',
      customer: customer({ dependants: 1 }),
      policies: [
        policy('LIFE', '500000', { currency: 'USD', premium: D('40') }),
        policy('HEALTH', '50000', { currency: 'USD', premium: D('30') }),
        policy('ACCIDENT', '20000', { currency: 'EUR', premium: D('10') }),
      ],
      gaps: [
        ['LIFE_BELOW_NEED', 'HIGH', 'LIFE', '600000000'],
        ['TOTAL_BELOW_FLOOR', 'MEDIUM', null, '100000000'],
        ['MIXED_CURRENCY', 'LOW', null, null],
        ['MIXED_CURRENCY', 'LOW', null, null],
      ],
    });
    expect(result.gaps[0].explanation).toBe(
      'Active LIFE cover of 0 KRW is below the estimated need of 600,000,000 KRW (10 × annual income of 60,000,000 KRW); LIFE cover in USD is not counted; the shortfall is 600,000,000 KRW.',
    );
    expect(result.gaps[1].explanation).toBe(
      'Total active coverage of 0 KRW is below the recommended minimum of 100,000,000 KRW; cover in EUR, USD is not counted; the shortfall is 100,000,000 KRW.',
    );
    expect(result.gaps.slice(2).map((g) => g.explanation.slice(0, 30))).toEqual([
      '1 active policy in EUR (covera',
      '2 active policies in USD (cove',
    ]);
    expect(result.otherCurrencies.map((o) => o.currency)).toEqual(['EUR', 'USD']);
  });
});

describe('BUSINESS customers (personal rules apply to INDIVIDUAL only)', () => {
  table([
    {
      name: 'a company without policies: no personal gaps',
      customer: customer({ type: 'BUSINESS', birthDate: null, annualIncome: null, dependants: null }),
      policies: [],
      gaps: [],
    },
    {
      name: 'a company keeps EXPIRING_SOON and MIXED_CURRENCY',
      customer: customer({ type: 'BUSINESS', birthDate: null, annualIncome: null, dependants: null }),
      policies: [
        policy('HOME', '900000000', { endDate: date('2025-07-20') }),
        policy('AUTO', '50000', { currency: 'USD' }),
      ],
      gaps: [
        ['EXPIRING_SOON', 'MEDIUM', 'HOME', null],
        ['MIXED_CURRENCY', 'LOW', null, null],
      ],
    },
    {
      name: 'an INDIVIDUAL with the same policies gets the personal gaps too',
      customer: customer({ type: 'INDIVIDUAL', birthDate: null, annualIncome: null, dependants: null }),
      policies: [policy('HOME', '900000000', { endDate: date('2025-07-20') })],
      gaps: [
        ['NO_HEALTH', 'HIGH', 'HEALTH', null],
        ['NO_LIFE', 'MEDIUM', 'LIFE', null],
        ['EXPIRING_SOON', 'MEDIUM', 'HOME', null],
      ],
    },
  ]);
});

describe('the rule table is data', () => {
  it('a disabled rule produces no gap', () => {
    const rules: CoverageRuleSet = {
      ...DEFAULT_RULES,
      rules: { ...DEFAULT_RULES.rules, NO_HEALTH: { ...DEFAULT_RULES.rules.NO_HEALTH, enabled: false } },
    };
    check({ name: 'disabled', customer: customer(), policies: without('HEALTH'), rules, gaps: [] });
  });

  it('thresholds change the outcome: income multiple 12 and a premium share limit of 0.5%', () => {
    const rules: CoverageRuleSet = {
      needsEstimate: { ...DEFAULT_RULES.needsEstimate, incomeMultiple: 12 },
      rules: {
        ...DEFAULT_RULES.rules,
        PREMIUM_UNAFFORDABLE: {
          ...DEFAULT_RULES.rules.PREMIUM_UNAFFORDABLE,
          thresholds: { maxShareOfIncome: '0.005' },
        },
      },
    };
    // 720,000,000 − 600,000,000; premiums 360,000 > 0.5% × 60,000,000 = 300,000
    check({
      name: 'thresholds',
      customer: customer(),
      policies: covered(),
      rules,
      gaps: [
        ['LIFE_BELOW_NEED', 'HIGH', 'LIFE', '120000000'],
        ['PREMIUM_UNAFFORDABLE', 'MEDIUM', null, null],
      ],
    });
  });

  it('every rule of the table has a code matching its key and a condition that renders with its thresholds', () => {
    for (const [key, rule] of Object.entries(DEFAULT_RULES.rules)) {
      expect(rule.code).toBe(key);
      expect(describeCondition(rule)).not.toMatch(/[{}]/);
    }
    expect(describeCondition(DEFAULT_RULES.rules.AGE_NO_HEALTH)).toBe(
      'Age (from the birth date) over 50 and no ACTIVE HEALTH policy (in any currency).',
    );
    expect(describeCondition(DEFAULT_RULES.rules.PREMIUM_UNAFFORDABLE)).toBe(
      "Annual income recorded, and annualised premiums of ACTIVE policies in the customer's currency above 15% of it.",
    );
    expect(describeCondition(DEFAULT_RULES.rules.TOTAL_BELOW_FLOOR)).toContain(
      'for that currency (100,000,000 KRW, 75,000 USD, 70,000 EUR, 60,000 GBP,',
    );
  });

  it('orders gaps HIGH, MEDIUM, LOW', () => {
    const result = analyseCoverage(
      customer({ birthDate: date('1968-02-10') }),
      [policy('LIFE', '90000000', { endDate: date('2025-07-20') }), policy('TRAVEL', '1000', { currency: 'USD' })],
      TODAY,
    );
    expect(result.gaps.map((g) => [g.code, g.severity])).toEqual([
      ['AGE_NO_HEALTH', 'HIGH'],
      ['LIFE_BELOW_NEED', 'HIGH'],
      ['TOTAL_BELOW_FLOOR', 'MEDIUM'],
      ['AGE_NO_ACCIDENT', 'MEDIUM'],
      ['EXPIRING_SOON', 'MEDIUM'],
      ['MIXED_CURRENCY', 'LOW'],
    ]);
  });
});

// Rows found by mutation testing (README, Mutation testing): wording, tie-breaks and edges that the
// worked examples above did not pin down.
describe('edges of the wording and the rules', () => {
  it('a template placeholder without a value is a bug in the table and throws', () => {
    expect(() => renderTemplate('Cover of {amount} for {name}', { amount: '1 KRW' })).toThrow(
      new Error('Coverage template placeholder {name} has no value'),
    );
    expect(renderTemplate('{a} and {a}, {b}', { a: 'x', b: 2 })).toBe('x and x, 2');
  });

  it('shares are shown as percentages with at most one decimal', () => {
    expect([formatShare(D('0.15')), formatShare(D('0.1875')), formatShare(D('0.005')), formatShare(D('1'))]).toEqual([
      '15%',
      '18.8%',
      '0.5%',
      '100%',
    ]);
  });

  it('currency codes are compared trimmed and upper-cased', () => {
    const result = check({
      name: 'lower-case codes',
      customer: customer({ prefCurrency: ' usd ', annualIncome: null }),
      policies: [policy('LIFE', '80000', { currency: 'usd' }), policy('HEALTH', '1000', { currency: 'Usd ' })],
      gaps: [],
    });
    expect([result.currency, result.overall.currency, result.overall.coverage.toFixed()]).toEqual([
      'USD',
      'USD',
      '81000',
    ]);
    expect(result.otherCurrencies).toEqual([]);
  });

  it.each([
    [
      'only education costs',
      { educationCosts: D('50000000') },
      '650000000',
      'DIME: 10 years × income 60,000,000 KRW + education 50,000,000 KRW',
    ],
    [
      'only debts',
      { debts: D('20000000') },
      '620000000',
      'DIME: debts 20,000,000 KRW + 10 years × income 60,000,000 KRW',
    ],
  ] as const)('DIME with %s', (_name, overrides, amount, basis) => {
    const need = estimateLifeCoverNeed(customer(overrides), DEFAULT_RULES.needsEstimate)!;
    expect([need.method, need.amount.toFixed(), need.basis]).toEqual(['DIME', amount, basis]);
  });

  table([
    {
      name: 'no dependants: the explanation says so',
      customer: customer({ dependants: 0 }),
      policies: without('LIFE'),
      gaps: [['NO_LIFE', 'MEDIUM', 'LIFE', '600000000']],
      text: {
        code: 'NO_LIFE',
        explanation:
          'The customer has no active LIFE policy and has no dependants. Estimated life-cover need: 600,000,000 KRW (10 × annual income of 60,000,000 KRW).',
        recommendation: 'Propose a term life policy covering 600,000,000 KRW.',
      },
    },
    {
      name: 'a need of 0 (income and every DIME term recorded as 0): NO_LIFE without a suggested amount (and any premium is above a 0 income)',
      customer: customer({ annualIncome: D('0'), debts: D('0'), mortgageBalance: D('0'), educationCosts: D('0') }),
      policies: without('LIFE'),
      gaps: [
        ['NO_LIFE', 'HIGH', 'LIFE', null],
        ['PREMIUM_UNAFFORDABLE', 'MEDIUM', null, null],
      ],
    },
    {
      name: 'a company with a birth date on record over 50: no age rules (they are for INDIVIDUAL customers)',
      customer: customer({ type: 'BUSINESS', birthDate: date('1960-01-01'), annualIncome: null, dependants: null }),
      policies: [policy('HOME', '900000000')],
      gaps: [],
    },
    {
      name: 'ends tomorrow: "1 day"',
      customer: customer(),
      policies: [...covered(), policy('HOME', '300000000', { number: 'HOME-000042', endDate: date('2025-07-02') })],
      gaps: [['EXPIRING_SOON', 'HIGH', 'HOME', null]],
      text: {
        code: 'EXPIRING_SOON',
        explanation: 'HOME policy HOME-000042 ends in 1 day on 2025-07-02 (coverage 300,000,000 KRW).',
        recommendation: 'Contact the customer about renewing HOME-000042 before 2025-07-02.',
      },
    },
  ]);

  it('with AGE_NO_HEALTH disabled, an older customer without HEALTH gets NO_HEALTH', () => {
    const rules: CoverageRuleSet = {
      ...DEFAULT_RULES,
      rules: { ...DEFAULT_RULES.rules, AGE_NO_HEALTH: { ...DEFAULT_RULES.rules.AGE_NO_HEALTH, enabled: false } },
    };
    check({
      name: 'age rule disabled',
      customer: customer({ birthDate: date('1968-02-10') }),
      policies: [policy('LIFE', '600000000'), policy('ACCIDENT', '100000000')],
      rules,
      gaps: [['NO_HEALTH', 'HIGH', 'HEALTH', null]],
    });
  });

  it('policies ending on the same day are listed by policy number, each gap with its policy id', () => {
    const b = policy('HOME', '300000000', { id: 'policy-b', number: 'HOME-000002', endDate: date('2025-07-20') });
    const a = policy('AUTO', '30000000', { id: 'policy-a', number: 'AUTO-000001', endDate: date('2025-07-20') });
    const result = analyseCoverage(customer(), [...covered(), b, a], TODAY);
    expect(result.gaps.map((g) => [g.code, g.type, g.policyId])).toEqual([
      ['EXPIRING_SOON', 'AUTO', 'policy-a'],
      ['EXPIRING_SOON', 'HOME', 'policy-b'],
    ]);
    const other = analyseCoverage(customer(), without('HEALTH'), TODAY);
    expect(other.gaps.map((g) => [g.code, g.policyId])).toEqual([['NO_HEALTH', null]]);
  });

  it('one policy in another currency: "is", "it"', () => {
    check({
      name: 'one foreign policy',
      customer: customer(),
      policies: [
        ...covered(),
        policy('TRAVEL', '20000', { currency: 'USD', premium: D('120'), premiumFrequency: 'ANNUAL' }),
      ],
      gaps: [['MIXED_CURRENCY', 'LOW', null, null]],
      text: {
        code: 'MIXED_CURRENCY',
        explanation:
          "1 active policy in USD (coverage 20,000 USD, annual premiums 120 USD) is not in the customer's currency KRW: it is totalled separately and not counted in the KRW totals or amount checks.",
        recommendation:
          "Review the USD cover by hand when judging the amounts above, or align the policies with the customer's currency.",
      },
    });
  });
});

describe('edges of the wording and the rules (2)', () => {
  it('a disabled EXPIRING_SOON or MIXED_CURRENCY rule produces no gap', () => {
    const rules: CoverageRuleSet = {
      ...DEFAULT_RULES,
      rules: {
        ...DEFAULT_RULES.rules,
        EXPIRING_SOON: { ...DEFAULT_RULES.rules.EXPIRING_SOON, enabled: false },
        MIXED_CURRENCY: { ...DEFAULT_RULES.rules.MIXED_CURRENCY, enabled: false },
      },
    };
    check({
      name: 'disabled',
      customer: customer(),
      policies: [
        ...covered(),
        policy('HOME', '1000', { endDate: date('2025-07-02') }),
        policy('AUTO', '50000', { currency: 'USD' }),
      ],
      rules,
      gaps: [],
    });
  });

  it('the age rules say which HEALTH and ACCIDENT policies were not counted', () => {
    const result = check({
      name: 'older, with lapsed policies',
      customer: customer({ birthDate: date('1968-02-10') }),
      policies: [
        policy('LIFE', '600000000'),
        policy('HEALTH', '100000000', { status: 'EXPIRED' }),
        policy('ACCIDENT', '100000000', { status: 'CANCELLED' }),
      ],
      gaps: [
        ['AGE_NO_HEALTH', 'HIGH', 'HEALTH', null],
        ['AGE_NO_ACCIDENT', 'MEDIUM', 'ACCIDENT', null],
      ],
    });
    expect(result.gaps.map((g) => g.explanation)).toEqual([
      'The customer is 57, over 50, and has no active HEALTH policy (not counted: 1 EXPIRED); medical costs rise with age.',
      'The customer is 57, over 50, and has no active ACCIDENT policy (not counted: 1 CANCELLED); injuries become more likely and costlier with age.',
    ]);
  });

  it('unaffordable premiums say which premiums in other currencies were not counted', () => {
    const result = check({
      name: 'premiums with a foreign policy',
      customer: customer(),
      policies: [
        policy('LIFE', '600000000', { premium: D('800000') }),
        policy('HEALTH', '100000000', { premium: D('0'), premiumFrequency: 'ANNUAL' }),
        policy('ACCIDENT', '100000000', { premium: D('0'), premiumFrequency: 'ANNUAL' }),
        policy('TRAVEL', '20000', { currency: 'USD', premium: D('120'), premiumFrequency: 'ANNUAL' }),
      ],
      gaps: [
        ['PREMIUM_UNAFFORDABLE', 'MEDIUM', null, null],
        ['MIXED_CURRENCY', 'LOW', null, null],
      ],
    });
    expect(result.gaps[0].explanation).toBe(
      'Annual premiums of 9,600,000 KRW are 16% of the annual income of 60,000,000 KRW, above the affordability limit of 15%; premium in USD is not counted.',
    );
  });
});

describe('the order of the rule table', () => {
  it('decides the order of gaps of the same severity (a rule set with NO_HEALTH listed before NO_LIFE)', () => {
    const { NO_HEALTH, ...others } = DEFAULT_RULES.rules;
    const rules: CoverageRuleSet = { ...DEFAULT_RULES, rules: { NO_HEALTH, ...others } };
    check({
      name: 'reordered',
      customer: customer(),
      policies: [policy('ACCIDENT', '100000000')],
      rules,
      gaps: [
        ['NO_HEALTH', 'HIGH', 'HEALTH', null],
        ['NO_LIFE', 'HIGH', 'LIFE', '600000000'],
      ],
    });
    check({
      name: 'default order',
      customer: customer(),
      policies: [policy('ACCIDENT', '100000000')],
      gaps: [
        ['NO_LIFE', 'HIGH', 'LIFE', '600000000'],
        ['NO_HEALTH', 'HIGH', 'HEALTH', null],
      ],
    });
  });
});

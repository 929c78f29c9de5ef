// Coverage and gap analysis (SPEC §3 "Coverage and gap analysis"): the rules and thresholds as
// data (DEFAULT_RULES) and one pure function that applies them (analyseCoverage). No database,
// no GraphQL: the field resolver hands in the customer row and all of its policies.
//
// Money is Prisma's Decimal (decimal.js) throughout; thresholds that are amounts or fractions are
// written as strings so that no floating-point number ever enters a money calculation.
// docs/coverage-rules.md documents every rule with a worked example (the same numbers as
// test/coverage/coverage.rules.test.ts).
//
// This file holds the rule table (DEFAULT_RULES); coverage.analysis.ts applies it and
// coverage.model.ts names the vocabulary.
import type { CustomerType, PolicyType } from '../../generated/prisma/enums';
import type { CoverageGapCode, CoverageSeverity } from './coverage.model';

// ───────────────────────────── The rule table ─────────────────────────────

/**
 * A fixed severity, one that depends on whether the customer has dependants (dependants > 0;
 * unknown counts as none), or one that depends on how many days a policy has left.
 */
export type SeveritySpec =
  | CoverageSeverity
  | { withDependants: CoverageSeverity; withoutDependants: CoverageSeverity }
  | { urgentWithinDays: number; urgent: CoverageSeverity; otherwise: CoverageSeverity };

export interface GapTemplate {
  /** Text with {placeholders}; the placeholders each rule fills are listed in docs/coverage-rules.md. */
  explanation: string;
  recommendation: string;
}

export interface CoverageRule<Thresholds, Variant extends string = 'default'> {
  code: CoverageGapCode;
  /** The gap's policy type: a fixed type, 'POLICY' (the type of the policy concerned) or null (whole portfolio). */
  type: PolicyType | 'POLICY' | null;
  /** A disabled rule never produces a gap. */
  enabled: boolean;
  /** The customer types the rule applies to (personal needs make no sense for a company). */
  customerTypes: CustomerType[];
  severity: SeveritySpec;
  thresholds: Thresholds;
  /** When the rule fires, in words, with {threshold} placeholders (documentation; the logic is in analyseCoverage). See describeCondition. */
  condition: string;
  /** How suggestedAmount is computed, in words; null when the rule never suggests an amount. */
  suggestedAmount: string | null;
  /** Wording, per variant of the situation. */
  templates: Record<Variant, GapTemplate>;
}

type NoThresholds = Record<string, never>;

export interface CoverageRuleTable {
  NO_LIFE: CoverageRule<NoThresholds, 'withNeed' | 'withoutNeed'>;
  NO_HEALTH: CoverageRule<NoThresholds>;
  AGE_NO_HEALTH: CoverageRule<{ olderThan: number }>;
  LIFE_BELOW_NEED: CoverageRule<NoThresholds>;
  TOTAL_BELOW_FLOOR: CoverageRule<{ floorByCurrency: Record<string, string> }>;
  AGE_NO_ACCIDENT: CoverageRule<{ olderThan: number }>;
  EXPIRING_SOON: CoverageRule<{ withinDays: number }, 'upcoming' | 'today' | 'overdue'>;
  PREMIUM_UNAFFORDABLE: CoverageRule<{ maxShareOfIncome: string }, 'default' | 'noIncome'>;
  MIXED_CURRENCY: CoverageRule<NoThresholds>;
}

export interface CoverageRuleSet {
  /**
   * Life-cover needs estimate shared by NO_LIFE and LIFE_BELOW_NEED. DIME (debts + years × income
   * + mortgage + education) when the customer has any of debts, mortgage balance or education
   * costs recorded; otherwise an income multiple (multiple × annual income). Missing DIME terms
   * count as zero; with neither income nor any DIME term there is no estimate.
   */
  needsEstimate: { dimeIncomeYears: number; incomeMultiple: number };
  /** Evaluated, and gaps of equal severity listed, in this order. */
  rules: CoverageRuleTable;
}

export const DEFAULT_RULES: CoverageRuleSet = {
  needsEstimate: { dimeIncomeYears: 10, incomeMultiple: 10 },
  rules: {
    NO_LIFE: {
      code: 'NO_LIFE',
      type: 'LIFE',
      enabled: true,
      customerTypes: ['INDIVIDUAL'],
      severity: { withDependants: 'HIGH', withoutDependants: 'MEDIUM' },
      thresholds: {},
      condition: 'No ACTIVE LIFE policy (in any currency).',
      suggestedAmount: 'The life-cover need (DIME or income multiple); null when it cannot be estimated.',
      templates: {
        withNeed: {
          explanation:
            'The customer has no active LIFE policy{inactive} and {dependants}. Estimated life-cover need: {need} ({needBasis}).',
          recommendation: 'Propose a term life policy covering {need}.',
        },
        withoutNeed: {
          explanation:
            'The customer has no active LIFE policy{inactive} and {dependants}. The need cannot be estimated: the record shows no income, debts, mortgage or education costs.',
          recommendation: "Record the customer's income and debts to size the cover, then propose a term life policy.",
        },
      },
    },
    NO_HEALTH: {
      code: 'NO_HEALTH',
      type: 'HEALTH',
      enabled: true,
      customerTypes: ['INDIVIDUAL'],
      severity: 'HIGH',
      thresholds: {},
      condition:
        'No ACTIVE HEALTH policy (in any currency), and AGE_NO_HEALTH does not apply (it replaces this gap for older customers).',
      suggestedAmount: null,
      templates: {
        default: {
          explanation:
            'The customer has no active HEALTH policy{inactive}: hospital and medical costs are not covered.',
          recommendation: 'Propose health insurance covering hospitalisation and medical costs.',
        },
      },
    },
    AGE_NO_HEALTH: {
      code: 'AGE_NO_HEALTH',
      type: 'HEALTH',
      enabled: true,
      customerTypes: ['INDIVIDUAL'],
      severity: 'HIGH',
      thresholds: { olderThan: 50 },
      condition: 'Age (from the birth date) over {olderThan} and no ACTIVE HEALTH policy (in any currency).',
      suggestedAmount: null,
      templates: {
        default: {
          explanation:
            'The customer is {age}, over {olderThan}, and has no active HEALTH policy{inactive}; medical costs rise with age.',
          recommendation:
            "Propose health insurance suited to the customer's age (hospitalisation and critical illness).",
        },
      },
    },
    LIFE_BELOW_NEED: {
      code: 'LIFE_BELOW_NEED',
      type: 'LIFE',
      enabled: true,
      customerTypes: ['INDIVIDUAL'],
      severity: { withDependants: 'HIGH', withoutDependants: 'MEDIUM' },
      thresholds: {},
      condition:
        "At least one ACTIVE LIFE policy, and ACTIVE LIFE cover in the customer's currency below the needs estimate.",
      suggestedAmount: "need − ACTIVE LIFE cover in the customer's currency.",
      templates: {
        default: {
          explanation:
            'Active LIFE cover of {current} is below the estimated need of {need} ({needBasis}){otherCurrencies}; the shortfall is {shortfall}.',
          recommendation: 'Propose additional life cover of {shortfall}.',
        },
      },
    },
    TOTAL_BELOW_FLOOR: {
      code: 'TOTAL_BELOW_FLOOR',
      type: null,
      enabled: true,
      customerTypes: ['INDIVIDUAL'],
      severity: 'MEDIUM',
      // 100,000,000 KRW is the advisor design's floor; the others are round equivalents (2025 rates).
      // A currency without a floor here is not checked.
      thresholds: {
        floorByCurrency: {
          KRW: '100000000',
          USD: '75000',
          EUR: '70000',
          GBP: '60000',
          JPY: '11000000',
          CHF: '65000',
          CAD: '100000',
          AUD: '110000',
          CNY: '540000',
        },
      },
      condition:
        "Total ACTIVE coverage in the customer's currency below the floor for that currency ({floorByCurrency}); other currencies are not checked.",
      suggestedAmount: "floor − total ACTIVE coverage in the customer's currency.",
      templates: {
        default: {
          explanation:
            'Total active coverage of {total} is below the recommended minimum of {floor}{otherCurrencies}; the shortfall is {shortfall}.',
          recommendation: 'Increase overall coverage by at least {shortfall}.',
        },
      },
    },
    AGE_NO_ACCIDENT: {
      code: 'AGE_NO_ACCIDENT',
      type: 'ACCIDENT',
      enabled: true,
      customerTypes: ['INDIVIDUAL'],
      severity: 'MEDIUM',
      thresholds: { olderThan: 50 },
      condition: 'Age (from the birth date) over {olderThan} and no ACTIVE ACCIDENT policy (in any currency).',
      suggestedAmount: null,
      templates: {
        default: {
          explanation:
            'The customer is {age}, over {olderThan}, and has no active ACCIDENT policy{inactive}; injuries become more likely and costlier with age.',
          recommendation: 'Propose accident cover with injury, disability and hospitalisation benefits.',
        },
      },
    },
    EXPIRING_SOON: {
      code: 'EXPIRING_SOON',
      type: 'POLICY',
      enabled: true,
      customerTypes: ['INDIVIDUAL', 'BUSINESS'],
      severity: { urgentWithinDays: 7, urgent: 'HIGH', otherwise: 'MEDIUM' },
      thresholds: { withinDays: 30 },
      condition:
        'For each ACTIVE policy: end date at most {withinDays} days after today (an end date already past counts too: the policy has not been marked EXPIRED yet).',
      suggestedAmount: null,
      templates: {
        upcoming: {
          explanation: '{type} policy {number} ends in {days} on {endDate} (coverage {coverage}).',
          recommendation: 'Contact the customer about renewing {number} before {endDate}.',
        },
        today: {
          explanation: '{type} policy {number} ends today, {endDate} (coverage {coverage}).',
          recommendation: 'Renew {number} today or the cover lapses.',
        },
        overdue: {
          explanation:
            '{type} policy {number} ended {days} ago on {endDate} and is still marked ACTIVE (coverage {coverage}).',
          recommendation: 'Renew {number} or mark it expired; the customer may be without this cover.',
        },
      },
    },
    PREMIUM_UNAFFORDABLE: {
      code: 'PREMIUM_UNAFFORDABLE',
      type: null,
      enabled: true,
      customerTypes: ['INDIVIDUAL', 'BUSINESS'],
      severity: 'MEDIUM',
      thresholds: { maxShareOfIncome: '0.15' },
      condition:
        "Annual income recorded, and annualised premiums of ACTIVE policies in the customer's currency above {maxShareOfIncome} of it.",
      suggestedAmount: null,
      templates: {
        default: {
          explanation:
            'Annual premiums of {premiums} are {share} of the annual income of {income}, above the affordability limit of {limit}{otherCurrencies}.',
          recommendation:
            'Review the policies for overlapping or excessive cover: within the limit, premiums stay below {maxPremiums} a year.',
        },
        noIncome: {
          explanation:
            'Annual premiums of {premiums} are paid from a recorded annual income of {income}, above the affordability limit of {limit} of income{otherCurrencies}.',
          recommendation: "Check the customer's income and whether the premiums can be paid.",
        },
      },
    },
    MIXED_CURRENCY: {
      code: 'MIXED_CURRENCY',
      type: null,
      enabled: true,
      customerTypes: ['INDIVIDUAL', 'BUSINESS'],
      severity: 'LOW',
      thresholds: {},
      condition:
        "For each other currency with ACTIVE policies: those policies are not in the customer's currency (no exchange rates are applied).",
      suggestedAmount: null,
      templates: {
        default: {
          explanation:
            "{policies} in {currency} (coverage {coverage}, annual premiums {premiums}) {isAre} not in the customer's currency {customerCurrency}: {itThey} {isAre} totalled separately and not counted in the {customerCurrency} totals or amount checks.",
          recommendation:
            "Review the {currency} cover by hand when judging the amounts above, or align the policies with the customer's currency.",
        },
      },
    },
  },
};

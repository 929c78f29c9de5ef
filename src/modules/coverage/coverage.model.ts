// The vocabulary of coverage analysis: gap codes, severities, and the shapes of its input and
// result. The rules are in coverage.rules.ts, the analysis in coverage.analysis.ts.
import { PolicyType, type CustomerType, type PolicyStatus, type PremiumFrequency } from '../../generated/prisma/enums';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { PAYMENTS_PER_YEAR } from '../policy/policy.rules';

// ───────────────────────────── Vocabulary ─────────────────────────────

export const COVERAGE_SEVERITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type CoverageSeverity = (typeof COVERAGE_SEVERITIES)[number];

export const COVERAGE_GAP_CODES = [
  'NO_LIFE',
  'NO_HEALTH',
  'AGE_NO_HEALTH',
  'LIFE_BELOW_NEED',
  'TOTAL_BELOW_FLOOR',
  'AGE_NO_ACCIDENT',
  'EXPIRING_SOON',
  'PREMIUM_UNAFFORDABLE',
  'MIXED_CURRENCY',
] as const;
export type CoverageGapCode = (typeof COVERAGE_GAP_CODES)[number];

/** How many premiums a year each frequency means (annualised premium = premium × this); the policy module's table. */
export const PREMIUMS_PER_YEAR: Record<PremiumFrequency, number> = PAYMENTS_PER_YEAR;

/** Policy types in their canonical order (totals are listed in this order). */
export const POLICY_TYPES = Object.values(PolicyType) as PolicyType[];

// ───────────────────────────── Inputs and result ─────────────────────────────

/** What the analysis reads from a customer (a Prisma Customer row fits). */
export interface CoverageCustomer {
  /** ISO 4217; the analysis currency. Income, debts, mortgage and education costs are in it. */
  prefCurrency: string;
  birthDate: Date | null;
  annualIncome: Decimal | null;
  dependants: number | null;
  debts: Decimal | null;
  mortgageBalance: Decimal | null;
  educationCosts: Decimal | null;
  /** INDIVIDUAL when absent. */
  type?: CustomerType;
}

/** What the analysis reads from a policy (a Prisma Policy row fits). */
export interface CoveragePolicy {
  id: string;
  number: string;
  type: PolicyType;
  status: PolicyStatus;
  premium: Decimal;
  premiumFrequency: PremiumFrequency;
  coverageAmount: Decimal;
  currency: string;
  /** Calendar date (midnight UTC, as Prisma reads a DATE column). */
  endDate: Date;
}

export interface CoverageTotal {
  type: PolicyType;
  currency: string;
  /** Sum of coverage amounts of the ACTIVE policies of this type in this currency. */
  coverage: Decimal;
  /** Sum of their premiums annualised (MONTHLY × 12, QUARTERLY × 4, ANNUAL × 1). */
  annualPremium: Decimal;
  policyCount: number;
}

export interface CoverageOverall {
  currency: string;
  coverage: Decimal;
  annualPremium: Decimal;
  policyCount: number;
}

export interface CoverageGap {
  /** The policy type the gap is about; null when it is about the whole portfolio. */
  type: PolicyType | null;
  severity: CoverageSeverity;
  code: CoverageGapCode;
  explanation: string;
  recommendation: string;
  /** Suggested additional coverage in the analysis currency; null when it cannot be computed. */
  suggestedAmount: Decimal | null;
  /** The policy the gap is about (EXPIRING_SOON), else null. */
  policyId: string | null;
}

export interface LifeCoverNeed {
  method: 'DIME' | 'INCOME_MULTIPLE';
  amount: Decimal;
  /** The arithmetic, in words: "10 × annual income of 60,000 USD". */
  basis: string;
}

export interface CoverageAnalysis {
  /** The customer's currency: `overall`, the needs estimate and every suggested amount are in it. */
  currency: string;
  /** One row per policy type in the customer's currency (zero when none), then one row per type and other currency that has ACTIVE policies. */
  totals: CoverageTotal[];
  /** All ACTIVE policies in the customer's currency. */
  overall: CoverageOverall;
  /** All ACTIVE policies per other currency (never converted or added to `overall`). */
  otherCurrencies: CoverageOverall[];
  /** The life-cover needs estimate, or null when the customer record gives nothing to base it on. */
  lifeCoverNeed: LifeCoverNeed | null;
  /** Sorted by severity (HIGH first), then by the order of the rule table, then by policy end date. */
  gaps: CoverageGap[];
}

import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PolicyType } from '../../generated/prisma/enums';
import { CurrencyScalar, DecimalScalar } from '../../graphql/scalars';
import { Policy } from '../policy/policy.type';
import { describeCondition } from './coverage.analysis';
import {
  COVERAGE_GAP_CODES,
  COVERAGE_SEVERITIES,
  type CoverageGapCode as GapCode,
  type CoverageSeverity as Severity,
} from './coverage.model';
import { DEFAULT_RULES } from './coverage.rules';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const CoverageSeverity = asEnum(COVERAGE_SEVERITIES);
export const CoverageGapCode = asEnum(COVERAGE_GAP_CODES);
export const LifeCoverNeedMethod = asEnum(['DIME', 'INCOME_MULTIPLE'] as const);

registerEnumType(CoverageSeverity, {
  name: 'CoverageSeverity',
  description: 'How urgent a coverage gap is.',
  valuesConfig: {
    HIGH: { description: 'Act now: the customer or their dependants are exposed.' },
    MEDIUM: { description: 'Worth raising at the next contact.' },
    LOW: { description: 'A notice: check by hand.' },
  },
});
registerEnumType(CoverageGapCode, {
  name: 'CoverageGapCode',
  description: 'Machine code of a coverage gap; each is one rule of the rule table (docs/coverage-rules.md).',
  // The condition of each rule with its default thresholds, straight from the rule table, so the schema documents it.
  valuesConfig: Object.fromEntries(
    COVERAGE_GAP_CODES.map((code) => [code, { description: describeCondition(DEFAULT_RULES.rules[code]) }]),
  ),
});
registerEnumType(LifeCoverNeedMethod, {
  name: 'LifeCoverNeedMethod',
  description: 'How the life-cover need was estimated.',
  valuesConfig: {
    DIME: {
      description:
        'Debts + years × income + mortgage + education (used when any of debts, mortgage or education costs is recorded).',
    },
    INCOME_MULTIPLE: { description: 'A multiple of the annual income (used when no DIME term is recorded).' },
  },
});

@ObjectType({ description: 'Coverage and annualised premium of the ACTIVE policies of one type in one currency.' })
export class CoverageTotal {
  @Field(() => PolicyType, { description: 'The policy type.' }) type!: PolicyType;
  @Field(() => CurrencyScalar, { description: 'Currency of the amounts; no conversion is ever applied.' })
  currency!: string;
  @Field(() => DecimalScalar, { description: 'Sum of the coverage amounts.' }) coverage!: unknown;
  @Field(() => DecimalScalar, {
    description: 'Sum of the premiums per year (MONTHLY × 12, QUARTERLY × 4, ANNUAL × 1).',
  })
  annualPremium!: unknown;
  @Field(() => Int, { description: 'Number of ACTIVE policies counted.' }) policyCount!: number;
}

@ObjectType({ description: 'Coverage and annualised premium of all ACTIVE policies in one currency.' })
export class CoverageOverall {
  @Field(() => CurrencyScalar, { description: 'Currency of the amounts.' }) currency!: string;
  @Field(() => DecimalScalar, { description: 'Sum of the coverage amounts.' }) coverage!: unknown;
  @Field(() => DecimalScalar, {
    description: 'Sum of the premiums per year (MONTHLY × 12, QUARTERLY × 4, ANNUAL × 1).',
  })
  annualPremium!: unknown;
  @Field(() => Int, { description: 'Number of ACTIVE policies counted.' }) policyCount!: number;
}

@ObjectType({ description: "The estimated life cover the customer needs, in the customer's currency." })
export class LifeCoverNeed {
  @Field(() => LifeCoverNeedMethod, { description: 'How it was estimated.' }) method!: string;
  @Field(() => DecimalScalar, { description: 'The estimated need.' }) amount!: unknown;
  @Field(() => String, { description: 'The arithmetic in words, e.g. "10 × annual income of 60,000 USD".' })
  basis!: string;
}

@ObjectType({ description: "Something missing or wrong in the customer's cover, explained, with what to do about it." })
export class CoverageGap {
  @Field(() => PolicyType, {
    nullable: true,
    description: 'The policy type concerned; null when the gap is about the whole portfolio.',
  })
  type!: PolicyType | null;
  @Field(() => CoverageSeverity, { description: 'How urgent it is.' }) severity!: Severity;
  @Field(() => CoverageGapCode, { description: 'Machine code of the rule that found it.' }) code!: GapCode;
  @Field(() => String, { description: 'Why this is a gap, with the numbers that led to it.' }) explanation!: string;
  @Field(() => String, { description: 'What the advisor should propose.' }) recommendation!: string;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Suggested additional coverage in the analysis currency; null when it cannot be computed.',
  })
  suggestedAmount!: unknown;
  @Field(() => Policy, { nullable: true, description: 'The policy the gap is about (EXPIRING_SOON); null otherwise.' })
  policy!: unknown;
}

@ObjectType({
  description: "Coverage totals and gap analysis of a customer's ACTIVE policies (rules: docs/coverage-rules.md).",
})
export class CoverageAnalysis {
  @Field(() => CurrencyScalar, {
    description: "The customer's preferred currency: overall, the needs estimate and suggested amounts are in it.",
  })
  currency!: string;
  @Field(() => [CoverageTotal], {
    description:
      "One row per policy type in the customer's currency (zero when none), then one per type and other currency that has ACTIVE policies.",
  })
  totals!: CoverageTotal[];
  @Field(() => CoverageOverall, { description: "All ACTIVE policies in the customer's currency." })
  overall!: CoverageOverall;
  @Field(() => [CoverageOverall], {
    description: 'All ACTIVE policies per other currency; never converted or added to overall.',
  })
  otherCurrencies!: CoverageOverall[];
  @Field(() => LifeCoverNeed, {
    nullable: true,
    description:
      'The life-cover needs estimate; null when the record has no income, debts, mortgage or education costs.',
  })
  lifeCoverNeed!: LifeCoverNeed | null;
  @Field(() => [CoverageGap], { description: 'Gaps, most severe first.' }) gaps!: CoverageGap[];
}

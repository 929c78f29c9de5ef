import { Field, ID, InputType, Int } from 'type-graphql';
import { PolicyStatus, PolicyType, PremiumFrequency } from '../../generated/prisma/enums';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { CurrencyScalar, DecimalScalar, JSONScalar, LocalDateScalar } from '../../graphql/scalars';

@InputType({
  description:
    'A new policy. Its number comes from the per-type sequence; it starts ACTIVE when startDate is today or earlier, else PENDING.',
})
export class PolicyCreateInput {
  @Field(() => PolicyType) type!: PolicyType;
  @Field(() => String, { description: '1–200 characters.' }) insurer!: string;
  @Field(() => String, { description: '1–200 characters.' }) productName!: string;
  @Field(() => DecimalScalar, { description: 'Premium per payment: > 0, at most 10,000,000,000, 2 decimals.' })
  premium!: Decimal;
  @Field(() => PremiumFrequency) premiumFrequency!: PremiumFrequency;
  @Field(() => DecimalScalar, { description: 'Maximum paid per claim: > 0, at most 10,000,000,000,000.' })
  coverageAmount!: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'Default 0; at most the coverage amount.' })
  deductible?: Decimal | null;
  @Field(() => CurrencyScalar, { nullable: true, description: "Default: the customer's preferred currency." })
  currency?: string | null;
  @Field(() => LocalDateScalar) startDate!: string;
  @Field(() => LocalDateScalar, { description: 'Last day of cover; after startDate.' }) endDate!: string;
  @Field(() => JSONScalar, {
    nullable: true,
    description: 'Type-specific attributes (see Policy.attributes); unknown keys are refused.',
  })
  attributes?: unknown;
}

@InputType({
  description:
    'Changes to a policy; omitted fields stay as they are. The premium changes through policyPremiumChange (kept as history).',
})
export class PolicyUpdateInput {
  @Field(() => Int, { description: 'The version last read; a stale one is a VERSION_CONFLICT.' }) version!: number;
  @Field(() => String, { nullable: true }) insurer?: string | null;
  @Field(() => String, { nullable: true }) productName?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) coverageAmount?: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) deductible?: Decimal | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Not on EXPIRED policies (renew them instead).' })
  startDate?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Not on EXPIRED policies (renew them instead).' })
  endDate?: string | null;
  @Field(() => JSONScalar, { nullable: true, description: 'Replaces all attributes; validated for the policy type.' })
  attributes?: unknown;
}

@InputType({ description: 'A new premium and why; the change is kept in Policy.premiumHistory.' })
export class PolicyPremiumChangeInput {
  @Field(() => DecimalScalar) premium!: Decimal;
  @Field(() => String, { description: 'Required, 1–500 characters.' }) reason!: string;
}

@InputType({
  description:
    'A renewal: extend the term from the current end date by termMonths, or to newEndDate (exactly one), optionally with a new premium.',
})
export class PolicyRenewInput {
  @Field(() => Int, { nullable: true, description: '1–120 months added to the current end date.' }) termMonths?:
    | number
    | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'The new last day of cover, after the current one.' })
  newEndDate?: string | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'New premium from the renewal on; omitted keeps the current one.',
  })
  premium?: Decimal | null;
}

@InputType({ description: 'Cancellation of a policy; CANCELLED is final and the customer is notified.' })
export class PolicyCancelInput {
  @Field(() => String, {
    nullable: true,
    description: 'Required (a missing or blank reason is a VALIDATION error), up to 500 characters.',
  })
  reason?: string | null;
}

@InputType({ description: 'Expiry run: moves policies to the status their dates imply.' })
export class PolicyExpireDueInput {
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'The day to judge by (default today, UTC); not in the future.',
  })
  asOf?: string | null;
}

@InputType({ description: 'Renews each chosen policy by the same term; each one succeeds or fails on its own.' })
export class PolicyBulkRenewInput {
  @Field(() => [ID], { description: '1 to 100 policy IDs.' }) policyIds!: string[];
  @Field(() => Int, { description: '1–120 months added to each current end date.' }) termMonths!: number;
}

@InputType({ description: 'Filters of a policy list; all given conditions must hold.' })
export class PolicyFilter {
  @Field(() => [PolicyType], { nullable: true }) type?: PolicyType[] | null;
  @Field(() => [PolicyStatus], { nullable: true }) status?: PolicyStatus[] | null;
  @Field(() => String, { nullable: true, description: 'Insurer name (case-insensitive, exact).' }) insurer?:
    | string
    | null;
  @Field(() => DecimalScalar, { nullable: true }) premiumMin?: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) premiumMax?: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) coverageMin?: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) coverageMax?: Decimal | null;
  @Field(() => Int, {
    nullable: true,
    description: 'ACTIVE policies whose end date is within this many days from today (0–3650).',
  })
  expiringWithinDays?: number | null;
  @Field(() => ID, { nullable: true, description: 'Global ID of the customer (ignored under Customer.policies).' })
  customerId?: string | null;
}

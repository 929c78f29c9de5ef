import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PolicyStatus, PolicyType, PremiumFrequency } from '../../generated/prisma/enums';
import { Node } from '../../graphql/relay';
import { CurrencyScalar, DateTimeScalar, DecimalScalar, JSONScalar, LocalDateScalar } from '../../graphql/scalars';

registerEnumType(PolicyType, {
  name: 'PolicyType',
  description: 'Line of insurance; policy numbers run per type (AUTO-000001, HOME-000001…).',
});
registerEnumType(PolicyStatus, {
  name: 'PolicyStatus',
  description:
    'PENDING (starts in the future) → ACTIVE (from its start date) → EXPIRED (after its end date, via policyExpireDue); ' +
    'ACTIVE or recently EXPIRED → ACTIVE by renewal; PENDING/ACTIVE → CANCELLED, which is final.',
});
registerEnumType(PremiumFrequency, { name: 'PremiumFrequency', description: 'How often the premium is paid.' });

/**
 * Fields resolved from the row as they are; id, policyNumber, dates, customer, claims and the
 * histories are resolved in policy.resolver.ts.
 */
@ObjectType({
  implements: Node,
  description: "An insurance policy held by a customer. Money fields are exact decimals in the policy's `currency`.",
})
export class Policy extends Node {
  @Field(() => String, { description: 'Unique per type, e.g. "AUTO-000001".' }) policyNumber!: string;
  @Field(() => PolicyType) type!: PolicyType;
  @Field(() => String, { description: 'The insurance company.' }) insurer!: string;
  @Field(() => String) productName!: string;
  @Field(() => PolicyStatus) status!: PolicyStatus;
  @Field(() => DecimalScalar, { description: 'Premium per payment (see premiumFrequency), in `currency`.' })
  premium!: unknown;
  @Field(() => PremiumFrequency) premiumFrequency!: PremiumFrequency;
  @Field(() => DecimalScalar, { description: 'Premium per year: premium × payments per year.' })
  annualPremium!: unknown;
  @Field(() => DecimalScalar, { description: 'Maximum paid out per claim, in `currency`.' }) coverageAmount!: unknown;
  @Field(() => DecimalScalar, { description: 'Paid by the customer per claim, in `currency`.' }) deductible!: unknown;
  @Field(() => CurrencyScalar, { description: 'ISO 4217 currency of every amount of the policy and its claims.' })
  currency!: string;
  @Field(() => LocalDateScalar, { description: 'First day of cover.' }) startDate!: string;
  @Field(() => LocalDateScalar, { description: 'Last day of cover; the policy expires the day after.' })
  endDate!: string;
  @Field(() => JSONScalar, {
    description:
      'Type-specific attributes: AUTO {vehicle {make, model, year, vin?, plate?}}; HOME {property {address, type, yearBuilt?, area?}}; ' +
      'LIFE/HEALTH/ACCIDENT {insuredPersons [{name, birthDate, relationship?}]}; TRAVEL the same plus destination?, tripStartDate?, tripEndDate?; OTHER free-form (≤ 4 KB). ' +
      'For analysts, personal values (names, birth dates, addresses, VIN, plate) are null and free-form attributes are withheld ({}).',
  })
  attributes!: unknown;
  @Field(() => DateTimeScalar, { nullable: true }) cancelledAt!: Date | null;
  @Field(() => String, { nullable: true }) cancellationReason!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
  @Field(() => Int, {
    description: 'Increases with every change; send it back with policyUpdate (optimistic concurrency).',
  })
  version!: number;
}

@ObjectType({
  description:
    "One change of a policy's premium: old and new amount (in the policy's currency), why, when and by whom.",
})
export class PolicyPremiumChange {
  @Field(() => DecimalScalar) oldPremium!: unknown;
  @Field(() => DecimalScalar) newPremium!: unknown;
  @Field(() => String) reason!: string;
  @Field(() => DateTimeScalar) changedAt!: Date;
}

@ObjectType({ description: 'One renewal of a policy: the term it added and the premium before and after.' })
export class PolicyRenewal {
  @Field(() => LocalDateScalar) previousEndDate!: string;
  @Field(() => LocalDateScalar) newEndDate!: string;
  @Field(() => DecimalScalar) oldPremium!: unknown;
  @Field(() => DecimalScalar) newPremium!: unknown;
  @Field(() => DateTimeScalar) renewedAt!: Date;
}

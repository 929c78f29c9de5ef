import { Arg, Authorized, Ctx, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { DateTimeScalar, DecimalScalar } from '../../graphql/scalars';
import type { StoredCoverageSettings } from './coverage.settings.service';

const ADMIN_ONLY = ['ADMIN' as const];

@ObjectType({
  description: 'The minimum total ACTIVE coverage for customers whose currency is `currency` (TOTAL_BELOW_FLOOR).',
})
export class CoverageFloor {
  @Field(() => String, { description: 'ISO 4217 currency code.' }) currency!: string;
  @Field(() => DecimalScalar, { description: 'The floor, in that currency.' }) amount!: unknown;
}

@ObjectType({
  description:
    'The thresholds and floors of the coverage gap analysis (docs/coverage-rules.md), as stored; every analysis reads them.',
})
export class CoverageSettings {
  @Field(() => Int, { description: 'DIME need: debts + this many years × annual income + mortgage + education.' })
  dimeIncomeYears!: number;
  @Field(() => Int, { description: 'Need when no DIME term is recorded: this multiple × annual income.' })
  incomeMultiple!: number;
  @Field(() => Int, { description: 'AGE_NO_HEALTH applies to customers older than this.' })
  ageNoHealthOlderThan!: number;
  @Field(() => Int, { description: 'AGE_NO_ACCIDENT applies to customers older than this.' })
  ageNoAccidentOlderThan!: number;
  @Field(() => Int, { description: 'EXPIRING_SOON: ACTIVE policies ending within this many days.' })
  expiringWithinDays!: number;
  @Field(() => Int, { description: 'EXPIRING_SOON is HIGH within this many days (or past), else MEDIUM.' })
  expiringUrgentWithinDays!: number;
  @Field(() => DecimalScalar, {
    description: 'PREMIUM_UNAFFORDABLE: annual premiums above this share of annual income (0.15 = 15%).',
  })
  maxPremiumShareOfIncome!: unknown;
  @Field(() => [CoverageFloor], {
    description: 'TOTAL_BELOW_FLOOR per currency, by currency; a currency without a floor is not checked.',
  })
  floors!: CoverageFloor[];
  @Field(() => DateTimeScalar, { description: 'When the settings last changed.' }) updatedAt!: Date;
}

@InputType({ description: 'A floor of total coverage for one currency.' })
export class CoverageFloorInput {
  @Field(() => String, { description: 'ISO 4217 currency code.' }) currency!: string;
  @Field(() => DecimalScalar, { description: 'Amount from 0, at most 2 decimals.' }) amount!: Decimal;
}

@InputType({ description: 'Changes to the coverage settings; omitted fields stay as they are.' })
export class CoverageSettingsUpdateInput {
  @Field(() => Int, { nullable: true, description: '1–50.' }) dimeIncomeYears?: number | null;
  @Field(() => Int, { nullable: true, description: '1–50.' }) incomeMultiple?: number | null;
  @Field(() => Int, { nullable: true, description: '0–120.' }) ageNoHealthOlderThan?: number | null;
  @Field(() => Int, { nullable: true, description: '0–120.' }) ageNoAccidentOlderThan?: number | null;
  @Field(() => Int, { nullable: true, description: '1–366.' }) expiringWithinDays?: number | null;
  @Field(() => Int, { nullable: true, description: '0–366, at most expiringWithinDays.' })
  expiringUrgentWithinDays?: number | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Above 0 and at most 1, up to 4 decimals.' })
  maxPremiumShareOfIncome?: Decimal | null;
  @Field(() => [CoverageFloorInput], {
    nullable: true,
    description: 'Replaces every floor (at most 200, one per currency); an empty list checks no currency.',
  })
  floors?: CoverageFloorInput[] | null;
}

@ObjectType({ description: 'Result of coverageSettingsUpdate.' })
class CoverageSettingsPayload extends Payload {
  @Field(() => CoverageSettings, { nullable: true }) coverageSettings?: StoredCoverageSettings;
}

@Resolver()
export class CoverageSettingsResolver {
  @Authorized(ADMIN_ONLY)
  @Query(() => CoverageSettings, { description: 'The thresholds and floors of the coverage gap analysis (ADMIN).' })
  coverageSettings(@Ctx() ctx: Context): Promise<StoredCoverageSettings> {
    return ctx.services.coverageSettings.get(actorOf(ctx));
  }

  @Authorized(ADMIN_ONLY)
  @Mutation(() => CoverageSettingsPayload, {
    description:
      'Changes coverage thresholds and floors (ADMIN); validated, audited with the changed fields, applied to every later analysis.',
  })
  coverageSettingsUpdate(
    @Arg('input', () => CoverageSettingsUpdateInput) input: CoverageSettingsUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<CoverageSettingsPayload> {
    return payload(async () => {
      // null means "not sent" for every field: none of them can be cleared.
      const change = Object.fromEntries(Object.entries(input).filter(([, value]) => value != null));
      return { coverageSettings: await ctx.services.coverageSettings.update(actorOf(ctx), change) };
    });
  }
}

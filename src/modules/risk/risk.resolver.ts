import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { WRITER_ROLES } from '../../auth/actor';
import type { Customer as CustomerRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { decodeId } from '../../graphql/relay';
import { Customer } from '../customer/customer.type';
import type { RiskFactors } from './risk.rules';
import { RiskScore } from './risk.type';

@ObjectType({ description: 'Result of customerRiskScoreRecompute.' })
class CustomerRiskScorePayload extends Payload {
  @Field(() => Customer, { nullable: true }) customer?: unknown;
  @Field(() => RiskScore, { nullable: true, description: 'The score just stored.' }) riskScore?: RiskScore | null;
}

/** The stored score of a customer row (no database access), or null before the first recompute. */
export function storedRiskScore(c: CustomerRow): RiskScore | null {
  if (c.riskScore == null || !c.riskScoreComputedAt) return null;
  const f = (c.riskScoreFactors ?? {}) as Partial<RiskFactors>;
  return {
    score: c.riskScore,
    computedAt: c.riskScoreComputedAt,
    factors: {
      age: f.age ?? null,
      claims: f.claims ?? 0,
      latePayments: f.latePayments ?? 0,
      yearsAsCustomer: f.yearsAsCustomer ?? 0,
    },
  };
}

@Resolver(() => Customer)
export class CustomerRiskResolver {
  @FieldResolver(() => RiskScore, {
    nullable: true,
    description:
      'The stored risk score with the time and inputs it was computed from; null until customerRiskScoreRecompute has run (queries never write).',
  })
  riskScore(@Root() c: CustomerRow): RiskScore | null {
    return storedRiskScore(c);
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => CustomerRiskScorePayload, {
    description:
      "Recomputes the customer's risk score from their age, claims, late payments and years as a customer, and stores it with the time computed.",
  })
  customerRiskScoreRecompute(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() ctx: Context,
  ): Promise<CustomerRiskScorePayload> {
    return payload(async () => {
      const customer = await ctx.services.risk.recompute(
        actorOf(ctx),
        decodeId(customerId, 'Customer', ['customerId']),
      );
      return { customer, riskScore: storedRiskScore(customer) };
    });
  }
}

import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { WRITER_ROLES } from '../../auth/actor';
import type { Claim as ClaimRow, Customer as CustomerRow, Policy as PolicyRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, decodeId, fromGlobalId, toConnection, toGlobalId } from '../../graphql/relay';
import { CurrencyScalar, LocalDateScalar } from '../../graphql/scalars';
import { toLocalDate } from '../../shared/dates';
import { pageSize } from '../../shared/pagination';
import { Customer } from '../customer/customer.type';
import { Policy } from '../policy/policy.type';
import { ClaimFileInput, ClaimTransitionInput } from './claim.input';
import { formatClaimNumber } from './claim.status';
import { Claim } from './claim.type';

export const ClaimConnection = connectionOf(Claim, 'Claim');

@ObjectType({ description: 'Result of a mutation on one claim.' })
class ClaimPayload extends Payload {
  @Field(() => Claim, { nullable: true }) claim?: unknown;
}

@Resolver(() => Claim)
export class ClaimResolver {
  @FieldResolver(() => ID)
  id(@Root() c: ClaimRow): string {
    return toGlobalId('Claim', c.id);
  }

  @FieldResolver(() => String)
  claimNumber(@Root() c: ClaimRow): string {
    return formatClaimNumber(c.number);
  }

  @FieldResolver(() => LocalDateScalar, { nullable: true })
  incidentDate(@Root() c: ClaimRow): string | null {
    return toLocalDate(c.incidentDate);
  }

  @FieldResolver(() => Policy, { description: 'The policy claimed against.' })
  policy(@Root() c: ClaimRow, @Ctx() ctx: Context) {
    return ctx.loaders.policyById.load(c.policyId);
  }

  @FieldResolver(() => CurrencyScalar, { description: "Currency of the amount (the policy's)." })
  async currency(@Root() c: ClaimRow, @Ctx() ctx: Context): Promise<string | null> {
    return (await ctx.loaders.policyById.load(c.policyId))?.currency ?? null;
  }

  @Query(() => Claim, { nullable: true, description: 'A claim by global ID; null when unknown or not visible to you.' })
  claim(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const decoded = fromGlobalId(id, 'Claim');
    return decoded ? ctx.services.claims.findVisible(actorOf(ctx), decoded.id) : null;
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => ClaimPayload, {
    description:
      "Files a claim (status FILED) against an ACTIVE policy, for more than 0 and at most the policy's coverage amount.",
  })
  claimFile(
    @Arg('policyId', () => ID) policyId: string,
    @Arg('input', () => ClaimFileInput) input: ClaimFileInput,
    @Ctx() ctx: Context,
  ): Promise<ClaimPayload> {
    return payload(async () => ({
      claim: await ctx.services.claims.file(actorOf(ctx), decodeId(policyId, 'Policy', ['policyId']), input),
    }));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => ClaimPayload, {
    description:
      'Moves a claim FILED → IN_REVIEW → APPROVED/REJECTED, APPROVED → PAID (anything else is INVALID_TRANSITION); the customer is notified.',
  })
  claimTransition(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ClaimTransitionInput) input: ClaimTransitionInput,
    @Ctx() ctx: Context,
  ): Promise<ClaimPayload> {
    return payload(async () => ({
      claim: await ctx.services.claims.transition(actorOf(ctx), decodeId(id, 'Claim', ['id']), input),
    }));
  }
}

/** Policy.claims, batched per request. */
@Resolver(() => Policy)
export class PolicyClaimsResolver {
  @FieldResolver(() => [Claim], { description: 'Claims against this policy, newest first.' })
  claims(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.claimsByPolicyId.load(p.id);
  }
}

/** Customer.claims: a page per customer over all their policies, one statement for all customers of a request. */
@Resolver(() => Customer)
export class CustomerClaimsResolver {
  @FieldResolver(() => ClaimConnection, { description: "Claims against any of the customer's policies, newest first." })
  async claims(@Root() c: CustomerRow, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: Context) {
    return toConnection(await ctx.loaders.claimPageByCustomerId(pageSize(page), page.after).load(c.id));
  }
}

import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { SUPERVISOR_ROLES, WRITER_ROLES } from '../../auth/actor';
import type {
  Customer as CustomerRow,
  Policy as PolicyRow,
  PolicyPremiumChange as PremiumChangeRow,
  PolicyRenewal as RenewalRow,
} from '../../generated/prisma/client';
import { PolicyType } from '../../generated/prisma/enums';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload, UserError, userErrorsOf } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, decodeId, fromGlobalId, toConnection, toGlobalId } from '../../graphql/relay';
import { DecimalScalar, LocalDateScalar } from '../../graphql/scalars';
import { toLocalDate } from '../../shared/dates';
import { DomainError } from '../../shared/domain-error';
import { pageSize } from '../../shared/pagination';
import { Customer } from '../customer/customer.type';
import { StaffUser } from '../staff/staff.type';
import {
  PolicyBulkRenewInput,
  PolicyCancelInput,
  PolicyCreateInput,
  PolicyExpireDueInput,
  PolicyFilter,
  PolicyPremiumChangeInput,
  PolicyRenewInput,
  PolicyUpdateInput,
} from './policy.input';
import type { PolicyListFilter } from './policy.query';
import { validateFilter } from './policy.query';
import { PAYMENTS_PER_YEAR } from './policy.rules';
import { MAX_BULK_RENEWALS } from './policy.service';
import { Policy, PolicyPremiumChange, PolicyRenewal } from './policy.type';

export const PolicyConnection = connectionOf(Policy, 'Policy');

@ObjectType({ description: 'Result of a mutation on one policy.' })
class PolicyPayload extends Payload {
  @Field(() => Policy, { nullable: true }) policy?: unknown;
}

@ObjectType({ description: 'Result of policyExpireDue.' })
class PolicyExpireDuePayload extends Payload {
  @Field(() => Int, { nullable: true, description: 'Policies that became EXPIRED in this run (0 when run again).' })
  expiredCount?: number;
  @Field(() => Int, {
    nullable: true,
    description: 'PENDING policies that became ACTIVE because their start date has come.',
  })
  activatedCount?: number;
}

@ObjectType({ description: 'Outcome for one policy of policyBulkRenew.' })
class PolicyBulkRenewResult {
  @Field(() => ID, { description: 'The ID as it was sent.' }) id!: string;
  @Field(() => Boolean) success!: boolean;
  @Field(() => Policy, { nullable: true, description: 'The renewed policy (null when it failed).' }) policy?: unknown;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ description: 'Per-policy results of policyBulkRenew; one failure does not undo the others.' })
class PolicyBulkRenewPayload extends Payload {
  @Field(() => [PolicyBulkRenewResult], { nullable: true }) results?: PolicyBulkRenewResult[];
  @Field(() => Int, { nullable: true }) succeeded?: number;
  @Field(() => Int, { nullable: true }) failed?: number;
}

const NO_MATCH = '00000000-0000-0000-0000-000000000000';

function listFilter(filter: PolicyFilter | null | undefined): PolicyListFilter | null {
  if (!filter) return null;
  const customerId = filter.customerId == null ? null : (fromGlobalId(filter.customerId, 'Customer')?.id ?? NO_MATCH); // unknown ID: matches nothing
  return { ...filter, customerId };
}

@Resolver(() => Policy)
export class PolicyResolver {
  @FieldResolver(() => ID)
  id(@Root() p: PolicyRow): string {
    return toGlobalId('Policy', p.id);
  }

  @FieldResolver(() => String)
  policyNumber(@Root() p: PolicyRow): string {
    return p.number;
  }

  @FieldResolver(() => LocalDateScalar)
  startDate(@Root() p: PolicyRow): string {
    return toLocalDate(p.startDate)!;
  }

  @FieldResolver(() => LocalDateScalar)
  endDate(@Root() p: PolicyRow): string {
    return toLocalDate(p.endDate)!;
  }

  @FieldResolver(() => DecimalScalar)
  annualPremium(@Root() p: PolicyRow): unknown {
    return p.premium.mul(PAYMENTS_PER_YEAR[p.premiumFrequency]);
  }

  @FieldResolver(() => Customer, { description: 'The customer holding the policy.' })
  customer(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.customerById.load(p.customerId);
  }

  @FieldResolver(() => [PolicyPremiumChange], { description: 'Every change of the premium, oldest first.' })
  premiumHistory(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.premiumChangesByPolicyId.load(p.id);
  }

  @FieldResolver(() => [PolicyRenewal], { description: 'Every renewal, oldest first.' })
  renewals(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.renewalsByPolicyId.load(p.id);
  }

  @Query(() => Policy, {
    nullable: true,
    description: 'A policy by global ID; null when unknown or not visible to you.',
  })
  policy(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const decoded = fromGlobalId(id, 'Policy');
    return decoded ? ctx.services.policies.findVisible(actorOf(ctx), decoded.id) : null;
  }

  @Query(() => Policy, {
    nullable: true,
    description:
      'A policy by its number, e.g. "AUTO-000001" (case and zero padding do not matter); null when unknown or not visible to you.',
  })
  policyByNumber(@Arg('number', () => String) number: string, @Ctx() ctx: Context) {
    return ctx.services.policies.findVisibleByNumber(actorOf(ctx), number);
  }

  @Query(() => PolicyConnection, {
    description: 'Policies, newest first, filtered (agents see only their customers\u2019 policies).',
  })
  async policies(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => PolicyFilter, { nullable: true }) filter: PolicyFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await ctx.services.policies.list(actorOf(ctx), listFilter(filter), page));
  }

  @Query(() => PolicyConnection, {
    description:
      'ACTIVE policies (of one type, or all) ending within `withinDays` days, soonest first; each links its customer.',
  })
  async renewalCandidates(
    @Arg('type', () => PolicyType, { nullable: true, description: 'Omit for all types.' }) type: PolicyType | null,
    @Arg('withinDays', () => Int, { description: '0–3650.' }) withinDays: number,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await ctx.services.policies.renewalCandidates(actorOf(ctx), type, withinDays, page));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => PolicyPayload, {
    description:
      'Creates a policy for a customer, numbered from the per-type sequence (AUTO-000001); ACTIVE when it starts today or earlier, else PENDING.',
  })
  policyCreate(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => PolicyCreateInput) input: PolicyCreateInput,
    @Ctx() ctx: Context,
  ): Promise<PolicyPayload> {
    return payload(async () => ({
      policy: await ctx.services.policies.create(actorOf(ctx), decodeId(customerId, 'Customer', ['customerId']), input),
    }));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => PolicyPayload, {
    description:
      'Changes insurer, product, coverage, deductible, dates or attributes; `input.version` must be the current version. Not on CANCELLED policies.',
  })
  policyUpdate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PolicyUpdateInput) input: PolicyUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<PolicyPayload> {
    return payload(async () => ({
      policy: await ctx.services.policies.update(actorOf(ctx), decodeId(id, 'Policy', ['id']), input),
    }));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => PolicyPayload, {
    description:
      'Sets a new premium with a reason; the change (old, new, reason, when, who) is kept in premiumHistory.',
  })
  policyPremiumChange(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PolicyPremiumChangeInput) input: PolicyPremiumChangeInput,
    @Ctx() ctx: Context,
  ): Promise<PolicyPayload> {
    return payload(async () => ({
      policy: await ctx.services.policies.changePremium(actorOf(ctx), decodeId(id, 'Policy', ['id']), input),
    }));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => PolicyPayload, {
    description:
      'Renews an ACTIVE policy, or one EXPIRED within the last 90 days: extends the term from the current end date, optionally with a new premium; the policy becomes ACTIVE and the renewal is kept in renewals.',
  })
  policyRenew(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PolicyRenewInput) input: PolicyRenewInput,
    @Ctx() ctx: Context,
  ): Promise<PolicyPayload> {
    return payload(async () => ({
      policy: await ctx.services.policies.renew(actorOf(ctx), decodeId(id, 'Policy', ['id']), input),
    }));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => PolicyPayload, {
    description:
      'Cancels a PENDING or ACTIVE policy with a reason (CANCELLED is final) and queues a POLICY_CANCELLED notification to the customer, in one transaction.',
  })
  policyCancel(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PolicyCancelInput) input: PolicyCancelInput,
    @Ctx() ctx: Context,
  ): Promise<PolicyPayload> {
    return payload(async () => ({
      policy: await ctx.services.policies.cancel(actorOf(ctx), decodeId(id, 'Policy', ['id']), input),
    }));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => PolicyExpireDuePayload, {
    description:
      'Expires policies past their end date (and activates PENDING ones whose start date has come), as of today or `asOf`; safe to run repeatedly (MANAGER/ADMIN).',
  })
  policyExpireDue(
    @Arg('input', () => PolicyExpireDueInput, { nullable: true }) input: PolicyExpireDueInput | null,
    @Ctx() ctx: Context,
  ): Promise<PolicyExpireDuePayload> {
    return payload(async () => {
      const { expired, activated } = await ctx.services.policies.expireDue(actorOf(ctx), input?.asOf);
      return { expiredCount: expired, activatedCount: activated };
    });
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => PolicyBulkRenewPayload, {
    description: `Renews up to ${MAX_BULK_RENEWALS} chosen policies by the same term, each in its own transaction; reports each one.`,
  })
  policyBulkRenew(
    @Arg('input', () => PolicyBulkRenewInput) input: PolicyBulkRenewInput,
    @Ctx() ctx: Context,
  ): Promise<PolicyBulkRenewPayload> {
    return payload(async () => {
      const ids = input.policyIds;
      if (ids.length === 0 || ids.length > MAX_BULK_RENEWALS)
        throw new DomainError('LIMIT_EXCEEDED', `Send between 1 and ${MAX_BULK_RENEWALS} policy IDs`, [
          'input',
          'policyIds',
        ]);
      const results: PolicyBulkRenewResult[] = [];
      for (const [index, id] of ids.entries()) {
        const item = ['input', 'policyIds', String(index)];
        try {
          const policy = await ctx.services.policies.renew(
            actorOf(ctx),
            decodeId(id, 'Policy', item),
            { termMonths: input.termMonths },
            ['input'],
          );
          results.push({ id, success: true, policy, userErrors: [] });
        } catch (error) {
          // A service's ['id'] is this item's ['input', 'policyIds', index] here.
          const userErrors = userErrorsOf(error).map((e) =>
            e.field?.length === 1 && e.field[0] === 'id' ? { ...e, field: item } : e,
          );
          results.push({ id, success: false, policy: null, userErrors });
        }
      }
      const succeeded = results.filter((r) => r.success).length;
      return { results, succeeded, failed: results.length - succeeded };
    });
  }
}

@Resolver(() => PolicyPremiumChange)
export class PolicyPremiumChangeResolver {
  @FieldResolver(() => StaffUser, {
    nullable: true,
    description: 'Who changed it (null when that staff member no longer exists).',
  })
  changedBy(@Root() c: PremiumChangeRow, @Ctx() ctx: Context) {
    return c.changedById ? ctx.loaders.staffById.load(c.changedById) : null;
  }
}

@Resolver(() => PolicyRenewal)
export class PolicyRenewalResolver {
  @FieldResolver(() => LocalDateScalar)
  previousEndDate(@Root() r: RenewalRow): string {
    return toLocalDate(r.previousEndDate)!;
  }

  @FieldResolver(() => LocalDateScalar)
  newEndDate(@Root() r: RenewalRow): string {
    return toLocalDate(r.newEndDate)!;
  }

  @FieldResolver(() => StaffUser, {
    nullable: true,
    description: 'Who renewed it (null when that staff member no longer exists).',
  })
  renewedBy(@Root() r: RenewalRow, @Ctx() ctx: Context) {
    return r.renewedById ? ctx.loaders.staffById.load(r.renewedById) : null;
  }
}

/** Customer.policies: a page per customer, loaded for every customer of the request in one statement. */
@Resolver(() => Customer)
export class CustomerPoliciesResolver {
  @FieldResolver(() => PolicyConnection, {
    description: "The customer's policies, newest first (filter.customerId is ignored here).",
  })
  async policies(
    @Root() c: CustomerRow,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => PolicyFilter, { nullable: true }) filter: PolicyFilter | null,
    @Ctx() ctx: Context,
  ) {
    const first = pageSize(page);
    const { customerId: _ignored, ...rest } = listFilter(filter) ?? {};
    validateFilter(rest);
    return toConnection(
      await ctx.loaders.policyPageByCustomerId({ filter: filter ? rest : null, first, after: page.after }).load(c.id),
    );
  }
}

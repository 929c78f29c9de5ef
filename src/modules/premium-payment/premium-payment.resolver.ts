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
  Resolver,
  Root,
} from 'type-graphql';
import { WRITER_ROLES } from '../../auth/actor';
import type { Policy as PolicyRow, PolicyPremiumPayment as PaymentRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, decodeId, toConnection } from '../../graphql/relay';
import { LocalDateScalar } from '../../graphql/scalars';
import { toLocalDate } from '../../shared/dates';
import { pageSize } from '../../shared/pagination';
import { Policy } from '../policy/policy.type';
import { PolicyPremiumPaymentRecordInput } from './premium-payment.input';
import { daysLate } from './premium-payment.rules';
import { PolicyPremiumPayment } from './premium-payment.type';

export const PolicyPremiumPaymentConnection = connectionOf(PolicyPremiumPayment, 'PolicyPremiumPayment');

@ObjectType({ description: 'Result of policyPremiumPaymentRecord.' })
class PolicyPremiumPaymentRecordPayload extends Payload {
  @Field(() => PolicyPremiumPayment, { nullable: true, description: 'The instalment as stored now.' })
  premiumPayment?: unknown;
  @Field(() => Policy, { nullable: true }) policy?: unknown;
}

@Resolver(() => PolicyPremiumPayment)
export class PolicyPremiumPaymentResolver {
  @FieldResolver(() => LocalDateScalar)
  dueOn(@Root() p: PaymentRow): string {
    return toLocalDate(p.dueOn)!;
  }

  @FieldResolver(() => LocalDateScalar, { nullable: true })
  paidOn(@Root() p: PaymentRow): string | null {
    return toLocalDate(p.paidOn);
  }

  @FieldResolver(() => Boolean)
  late(@Root() p: PaymentRow): boolean {
    return daysLate(p, new Date()) > 0;
  }

  @FieldResolver(() => Int)
  daysLate(@Root() p: PaymentRow): number {
    return daysLate(p, new Date());
  }

  @FieldResolver(() => Policy, { description: 'The policy the instalment belongs to.' })
  policy(@Root() p: PaymentRow, @Ctx() ctx: Context) {
    return ctx.loaders.policyById.load(p.policyId);
  }
}

@Resolver(() => Policy)
export class PolicyPremiumPaymentsResolver {
  @FieldResolver(() => PolicyPremiumPaymentConnection, {
    description: 'Premium instalments recorded for the policy, latest due date first.',
  })
  async premiumPayments(@Root() p: PolicyRow, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: Context) {
    return toConnection(await ctx.loaders.premiumPaymentPageByPolicyId(pageSize(page), page.after).load(p.id));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => PolicyPremiumPaymentRecordPayload, {
    description:
      'Records a premium instalment of a policy as due (dueOn, amount) and, with paidOn, as paid; recording a known due date again records its payment. Late payments feed the risk score.',
  })
  policyPremiumPaymentRecord(
    @Arg('policyId', () => ID) policyId: string,
    @Arg('input', () => PolicyPremiumPaymentRecordInput) input: PolicyPremiumPaymentRecordInput,
    @Ctx() ctx: Context,
  ): Promise<PolicyPremiumPaymentRecordPayload> {
    return payload(async () => {
      const { payment, policy } = await ctx.services.premiumPayments.record(
        actorOf(ctx),
        decodeId(policyId, 'Policy', ['policyId']),
        input,
      );
      return { premiumPayment: payment, policy };
    });
  }
}

import type { Actor } from '../../auth/actor';
import type { PrismaClient } from '../../db/client';
import type { Policy, PolicyPremiumPayment } from '../../generated/prisma/client';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { fromLocalDate } from '../../shared/dates';
import { DomainError, Validator } from '../../shared/domain-error';
import { recordAudit } from '../audit/audit';
import { lockPolicy, staffIdOf } from '../policy/policy.lock';
import { validatePaymentRecord } from './premium-payment.rules';

export interface PaymentRecordInput {
  dueOn: string;
  amount: Decimal;
  paidOn?: string | null;
}

export interface PaymentRecordResult {
  payment: PolicyPremiumPayment;
  policy: Policy;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Premium instalments per policy (policy_premium_payments, one per policy and due date). Every
 * record locks the policy row (lockPolicy, which also hides another agent's policy), so two
 * records of the same instalment from any instance apply one after the other.
 */
export class PremiumPaymentService {
  constructor(private readonly prisma: PrismaClient) {}

  async record(
    actor: Actor,
    policyId: string,
    input: PaymentRecordInput,
    today = new Date(),
  ): Promise<PaymentRecordResult> {
    const fields = {
      dueOn: fromLocalDate(input.dueOn),
      amount: input.amount,
      paidOn: input.paidOn ? fromLocalDate(input.paidOn) : null,
    };
    // What can be judged without the policy first, so bad input never opens a transaction.
    const edge = new Validator();
    validatePaymentRecord(edge, fields, null, today);
    edge.throwIfInvalid();

    return this.prisma.$transaction(async (tx) => {
      const { policy } = await lockPolicy(tx, actor, policyId, ['policyId']);
      const v = new Validator();
      validatePaymentRecord(v, fields, policy, today);
      v.throwIfInvalid();

      const existing = await tx.policyPremiumPayment.findUnique({
        where: { policyId_dueOn: { policyId, dueOn: fields.dueOn } },
      });
      let payment: PolicyPremiumPayment;
      let changedFields: string[];
      if (!existing) {
        payment = await tx.policyPremiumPayment.create({
          data: { policyId, ...fields, recordedById: await staffIdOf(tx, actor) },
        });
        changedFields = fields.paidOn ? ['dueOn', 'amount', 'paidOn'] : ['dueOn', 'amount'];
      } else {
        if (!existing.amount.eq(fields.amount)) {
          throw new DomainError(
            'VALIDATION',
            `The instalment due on ${input.dueOn} is recorded with amount ${existing.amount.toFixed(2)}`,
            ['input', 'amount'],
          );
        }
        const same = fields.paidOn === null || existing.paidOn?.getTime() === fields.paidOn.getTime();
        if (same) return { payment: existing, policy }; // a retry, or "due" again: nothing changes
        if (existing.paidOn) {
          throw new DomainError(
            'DUPLICATE',
            `The instalment due on ${input.dueOn} was already paid on ${day(existing.paidOn)}`,
            ['input', 'paidOn'],
          );
        }
        payment = await tx.policyPremiumPayment.update({ where: { id: existing.id }, data: { paidOn: fields.paidOn } });
        changedFields = ['paidOn'];
      }
      await recordAudit(tx, actor, {
        action: 'policy.premiumPayment.record',
        entityType: 'Policy',
        entityId: policyId,
        changedFields: changedFields.map((f) => `premiumPayments.${f}`),
      });
      return { payment, policy };
    });
  }
}

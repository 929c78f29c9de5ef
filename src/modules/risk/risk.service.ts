import type { Actor } from '../../auth/actor';
import type { PrismaClient } from '../../db/client';
import type { Customer } from '../../generated/prisma/client';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace';
import { recordAudit } from '../audit/audit';
import { lockCustomer } from '../customer/customer.lock';
import { countLatePayments } from '../premium-payment/premium-payment.rules';
import { computeRiskScore, fullYearsBetween, type RiskFactors } from './risk.rules';

/**
 * Recomputes a customer's risk score and stores it with the time and the inputs that produced
 * it. Claims counted: every claim on any of the customer's policies except REJECTED ones (a
 * rejected claim was not a covered loss). Late payments: the premium instalments of any of the
 * customer's policies paid after their due date or unpaid past it (premium-payment.rules.ts).
 * Reads never compute: until the first recompute the customer has no score.
 */
export class RiskService {
  constructor(private readonly prisma: PrismaClient) {}

  async recompute(actor: Actor, customerId: string, now = new Date()): Promise<Customer> {
    return this.prisma.$transaction(async (tx) => {
      const customer = await lockCustomer(tx, actor, customerId, ['customerId']);
      const claims = await tx.claim.count({ where: { policy: { customerId }, status: { not: 'REJECTED' } } });
      const payments = await tx.policyPremiumPayment.findMany({
        where: { policy: { customerId } },
        select: { dueOn: true, paidOn: true },
      });
      const factors: RiskFactors = {
        age: customer.birthDate ? fullYearsBetween(customer.birthDate, now) : null,
        claims,
        latePayments: countLatePayments(payments, now),
        yearsAsCustomer: fullYearsBetween(customer.createdAt, now),
      };
      const { score } = computeRiskScore(factors);
      const updated = await tx.customer.update({
        where: { id: customerId },
        data: { riskScore: score, riskScoreComputedAt: now, riskScoreFactors: factors as unknown as InputJsonValue },
      });
      await recordAudit(tx, actor, {
        action: 'customer.riskScore.recompute',
        entityType: 'Customer',
        entityId: customerId,
        changedFields: ['riskScore', 'riskScoreComputedAt', 'riskScoreFactors'],
      });
      return updated;
    });
  }
}

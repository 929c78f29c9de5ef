import { ownerScope, type Actor } from '../../auth/actor';
import type { PrismaClient } from '../../db/client';
import type { Claim } from '../../generated/prisma/client';
import type { ClaimStatus } from '../../generated/prisma/enums';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { fromLocalDate, toLocalDate } from '../../shared/dates';
import { DomainError, notFound, Validator } from '../../shared/domain-error';
import { recordAudit } from '../audit/audit';
import { enqueueNotification } from '../notification/outbox';
import { lockPolicy } from '../policy/policy.lock';
import { checkMoney, MAX_COVERAGE, todayUtc } from '../policy/policy.rules';
import { formatClaimNumber, refuseClaimTransition } from './claim.status';

export interface ClaimFileData {
  amount: Decimal;
  description?: string | null;
  incidentDate?: string | null;
}

export const MAX_CLAIM_TEXT = 2000;

/**
 * Claims: filed against an ACTIVE policy for at most its coverage amount, then moved through the
 * status machine of claim.status.ts. Each change locks the policy or claim row, writes its audit
 * entry and tells the customer through the outbox, in one transaction.
 */
export class ClaimService {
  constructor(private readonly prisma: PrismaClient) {}

  /** The claim, or null when it does not exist or belongs to a customer the actor may not see. */
  async findVisible(actor: Actor, id: string): Promise<Claim | null> {
    const scope = ownerScope(actor);
    return this.prisma.claim.findFirst({
      where: { id, ...(scope ? { policy: { customer: { ownerId: scope } } } : {}) },
    });
  }

  async file(actor: Actor, policyId: string, input: ClaimFileData): Promise<Claim> {
    const description = input.description?.trim() || null;
    const incidentDate = input.incidentDate ? fromLocalDate(input.incidentDate) : null;
    const v = new Validator();
    checkMoney(v, input.amount, ['input', 'amount'], 'Claim amount', MAX_COVERAGE, true);
    v.check(
      (description?.length ?? 0) <= MAX_CLAIM_TEXT,
      ['input', 'description'],
      `Description is longer than ${MAX_CLAIM_TEXT} characters`,
    );
    v.check(
      !incidentDate || incidentDate.getTime() <= todayUtc().getTime(),
      ['input', 'incidentDate'],
      'Incident date is in the future',
    );
    v.throwIfInvalid();

    return this.prisma.$transaction(async (tx) => {
      // Locking the policy orders the claim after any concurrent cancellation or coverage change.
      const { policy } = await lockPolicy(tx, actor, policyId, ['policyId']);
      const checks = new Validator();
      checks.check(
        policy.status === 'ACTIVE',
        ['policyId'],
        `Claims can only be filed against ACTIVE policies; ${policy.number} is ${policy.status}`,
      );
      checks.check(
        input.amount.lte(policy.coverageAmount),
        ['input', 'amount'],
        `Claim amount ${input.amount.toFixed(2)} exceeds the coverage amount ${policy.coverageAmount.toFixed(2)} ${policy.currency}`,
      );
      if (incidentDate) {
        checks.check(
          incidentDate >= policy.startDate && incidentDate <= policy.endDate,
          ['input', 'incidentDate'],
          `Incident date must be within the policy term (${toLocalDate(policy.startDate)} to ${toLocalDate(policy.endDate)})`,
        );
      }
      checks.throwIfInvalid();
      const claim = await tx.claim.create({ data: { policyId, amount: input.amount, description, incidentDate } });
      await recordAudit(tx, actor, {
        action: 'claim.file',
        entityType: 'Claim',
        entityId: claim.id,
        changedFields: Object.keys(input),
      });
      return claim;
    });
  }

  /** Moves a claim along the status machine; anything else is INVALID_TRANSITION. */
  async transition(actor: Actor, id: string, input: { status: ClaimStatus; note?: string | null }): Promise<Claim> {
    const note = input.note?.trim() || null;
    if ((note?.length ?? 0) > MAX_CLAIM_TEXT)
      throw new DomainError('VALIDATION', `Note is longer than ${MAX_CLAIM_TEXT} characters`, ['input', 'note']);

    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM claims WHERE id = ${id}::uuid FOR UPDATE`;
      const current = await tx.claim.findUnique({
        where: { id },
        include: { policy: { include: { customer: true } } },
      });
      const scope = ownerScope(actor);
      if (!current || (scope && current.policy.customer.ownerId !== scope)) throw notFound('Claim');
      const refusal = refuseClaimTransition(current.status, input.status);
      if (refusal) throw new DomainError('INVALID_TRANSITION', refusal, ['input', 'status']);
      const now = new Date();
      const updated = await tx.claim.update({
        where: { id },
        data: {
          status: input.status,
          statusNote: note,
          ...(input.status === 'APPROVED' || input.status === 'REJECTED' ? { decidedAt: now } : {}),
          ...(input.status === 'PAID' ? { paidAt: now } : {}),
        },
      });
      const { customer } = current.policy;
      await enqueueNotification(tx, {
        type: 'CLAIM_STATUS_CHANGED',
        customerId: customer.id,
        channel: customer.prefChannel,
        payload: {
          claimNumber: formatClaimNumber(current.number),
          policyNumber: current.policy.number,
          from: current.status,
          to: input.status,
        },
      });
      await recordAudit(tx, actor, {
        action: `claim.status.${current.status}->${input.status}`,
        entityType: 'Claim',
        entityId: id,
        changedFields: ['status', ...(note ? ['statusNote'] : [])],
      });
      return updated;
    });
  }
}

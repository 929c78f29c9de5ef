import { randomUUID } from 'node:crypto';
import { auditRoleOf, ownerScope, type Actor } from '../../auth/actor';
import { bulkTransaction } from '../../db/bulk';
import type { PrismaClient, Tx } from '../../db/client';
import { Prisma, type Customer, type Policy } from '../../generated/prisma/client';
import type { PolicyType, PremiumFrequency } from '../../generated/prisma/enums';
import type { Decimal, InputJsonValue } from '../../generated/prisma/internal/prismaNamespace';
import { fromLocalDate, toLocalDate } from '../../shared/dates';
import { DomainError, notFound, Validator } from '../../shared/domain-error';
import { pageSize, type Page, type PageRequest } from '../../shared/pagination';
import { recordAudit } from '../audit/audit';
import { enqueueNotification } from '../notification/outbox';
import { validateAttributes } from './policy.attributes';
import { lockPolicy, staffIdOf } from './policy.lock';
import { nextPolicyNumber, normalisePolicyNumber } from './policy.numbering';
import {
  MAX_EXPIRING_WITHIN_DAYS,
  policyConditions,
  policyPage,
  validateFilter,
  type PolicyListFilter,
} from './policy.query';
import {
  checkMoney,
  checkText,
  initialStatus,
  MAX_PREMIUM,
  MAX_REASON,
  refuseCancellation,
  refuseChange,
  refuseRenewal,
  renewalEndDate,
  todayUtc,
  validateMoney,
  validateTerm,
  type Refusal,
} from './policy.rules';

export interface PolicyCreateData {
  type: PolicyType;
  insurer: string;
  productName: string;
  premium: Decimal;
  premiumFrequency: PremiumFrequency;
  coverageAmount: Decimal;
  deductible?: Decimal | null;
  currency?: string | null;
  startDate: string;
  endDate: string;
  attributes?: unknown;
}

export interface PolicyUpdateData {
  version: number;
  insurer?: string | null;
  productName?: string | null;
  coverageAmount?: Decimal | null;
  deductible?: Decimal | null;
  startDate?: string | null;
  endDate?: string | null;
  attributes?: unknown;
}

export interface PolicyRenewData {
  termMonths?: number | null;
  newEndDate?: string | null;
  premium?: Decimal | null;
}

export const MAX_BULK_RENEWALS = 100;

const trim = (value: string | null | undefined) => (value == null ? value : value.trim());
const refuse = (refusal: Refusal | null, field: string[]) => {
  if (refusal) throw new DomainError(refusal.code, refusal.message, field);
};

/**
 * Policies: the rules of SPEC §3 "Insurance policies and claims". Each change runs in one
 * transaction with its history rows, audit entry and notifications; every check that can run
 * before the transaction does, and anything refused inside it rolls back, so bad input never
 * leaves a partial write.
 */
export class PolicyService {
  constructor(private readonly prisma: PrismaClient) {}

  /** The policy, or null when it does not exist or the actor may not see its customer. */
  async findVisible(actor: Actor, id: string): Promise<Policy | null> {
    const scope = ownerScope(actor);
    return this.prisma.policy.findFirst({ where: { id, ...(scope ? { customer: { ownerId: scope } } : {}) } });
  }

  async findVisibleByNumber(actor: Actor, number: string): Promise<Policy | null> {
    const normalised = normalisePolicyNumber(number);
    if (!normalised) return null;
    const scope = ownerScope(actor);
    return this.prisma.policy.findFirst({
      where: { number: normalised, ...(scope ? { customer: { ownerId: scope } } : {}) },
    });
  }

  /** Policies visible to the actor, newest first. */
  async list(actor: Actor, filter: PolicyListFilter | null | undefined, page: PageRequest): Promise<Page<Policy>> {
    const first = pageSize(page);
    validateFilter(filter);
    return policyPage(this.prisma, policyConditions(filter, ownerScope(actor)), 'CREATED_DESC', first, page.after);
  }

  /** ACTIVE policies (of one type, or all) ending within `withinDays` days, soonest first. */
  async renewalCandidates(
    actor: Actor,
    type: PolicyType | null | undefined,
    withinDays: number,
    page: PageRequest,
  ): Promise<Page<Policy>> {
    const first = pageSize(page);
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > MAX_EXPIRING_WITHIN_DAYS) {
      throw new DomainError('VALIDATION', `withinDays must be between 0 and ${MAX_EXPIRING_WITHIN_DAYS}`, [
        'withinDays',
      ]);
    }
    const conditions = policyConditions(
      { type: type ? [type] : null, expiringWithinDays: withinDays },
      ownerScope(actor),
    );
    return policyPage(this.prisma, conditions, 'END_DATE_ASC', first, page.after);
  }

  async create(actor: Actor, customerId: string, input: PolicyCreateData): Promise<Policy> {
    const insurer = trim(input.insurer);
    const productName = trim(input.productName);
    const attributes = input.attributes ?? {};
    const startDate = fromLocalDate(input.startDate);
    const endDate = fromLocalDate(input.endDate);
    const v = new Validator();
    checkText(v, insurer, ['input', 'insurer'], 'Insurer');
    checkText(v, productName, ['input', 'productName'], 'Product name');
    validateMoney(v, { premium: input.premium, coverageAmount: input.coverageAmount, deductible: input.deductible });
    validateTerm(v, startDate, endDate, { start: ['input', 'startDate'], end: ['input', 'endDate'] });
    validateAttributes(v, input.type, attributes);
    v.throwIfInvalid();

    return this.prisma.$transaction(async (tx) => {
      const customer = await this.visibleCustomer(tx, actor, customerId);
      const id = randomUUID();
      await recordAudit(tx, actor, {
        action: 'policy.create',
        entityType: 'Policy',
        entityId: id,
        changedFields: Object.keys(input),
      });
      // Numbered last: the counter row stays locked only for the insert and the commit, so
      // concurrent creates of one type (on any instance) queue as briefly as possible.
      const number = await nextPolicyNumber(tx, input.type);
      return tx.policy.create({
        data: {
          id,
          number,
          customerId,
          type: input.type,
          insurer: insurer!,
          productName: productName!,
          status: initialStatus(startDate),
          premium: input.premium,
          premiumFrequency: input.premiumFrequency,
          coverageAmount: input.coverageAmount,
          deductible: input.deductible ?? 0,
          currency: (input.currency ?? customer.prefCurrency).toUpperCase(),
          startDate,
          endDate,
          attributes: attributes as InputJsonValue,
        },
      });
    });
  }

  async update(actor: Actor, id: string, input: PolicyUpdateData): Promise<Policy> {
    const insurer = trim(input.insurer);
    const productName = trim(input.productName);
    const v = new Validator();
    if (insurer !== undefined) checkText(v, insurer, ['input', 'insurer'], 'Insurer');
    if (productName !== undefined) checkText(v, productName, ['input', 'productName'], 'Product name');
    validateMoney(v, { coverageAmount: input.coverageAmount, deductible: input.deductible });
    v.throwIfInvalid();

    return this.prisma.$transaction(async (tx) => {
      const { policy: current } = await lockPolicy(tx, actor, id);
      if (current.version !== input.version) {
        throw new DomainError(
          'VERSION_CONFLICT',
          `Policy was changed meanwhile (version ${current.version}, you sent ${input.version}); reload and retry`,
          ['input', 'version'],
        );
      }
      const datesChange = input.startDate != null || input.endDate != null;
      refuse(
        refuseChange(current.status, datesChange ? 'dates' : 'update'),
        datesChange ? ['input', input.startDate != null ? 'startDate' : 'endDate'] : ['id'],
      );

      const startDate = input.startDate != null ? fromLocalDate(input.startDate) : current.startDate;
      const endDate = input.endDate != null ? fromLocalDate(input.endDate) : current.endDate;
      const checks = new Validator();
      if (datesChange)
        validateTerm(checks, startDate, endDate, { start: ['input', 'startDate'], end: ['input', 'endDate'] });
      const coverage = input.coverageAmount ?? current.coverageAmount;
      const deductible = input.deductible ?? current.deductible;
      checks.check(
        deductible.lte(coverage),
        ['input', input.deductible != null ? 'deductible' : 'coverageAmount'],
        'Deductible cannot exceed the coverage amount',
      );
      if (input.attributes != null) validateAttributes(checks, current.type, input.attributes);
      checks.throwIfInvalid();

      const changes: Prisma.PolicyUncheckedUpdateInput = {};
      if (insurer != null && insurer !== current.insurer) changes.insurer = insurer;
      if (productName != null && productName !== current.productName) changes.productName = productName;
      if (input.coverageAmount != null && !input.coverageAmount.equals(current.coverageAmount))
        changes.coverageAmount = input.coverageAmount;
      if (input.deductible != null && !input.deductible.equals(current.deductible))
        changes.deductible = input.deductible;
      if (startDate.getTime() !== current.startDate.getTime()) changes.startDate = startDate;
      if (endDate.getTime() !== current.endDate.getTime()) changes.endDate = endDate;
      if (input.attributes != null && JSON.stringify(input.attributes) !== JSON.stringify(current.attributes))
        changes.attributes = input.attributes as InputJsonValue;
      // A policy not yet started, or started, follows its (new) start date.
      if (changes.startDate && (current.status === 'PENDING' || current.status === 'ACTIVE')) {
        const status = initialStatus(startDate);
        if (status !== current.status) changes.status = status;
      }
      const changed = Object.keys(changes);
      if (changed.length === 0) return current;
      const updated = await tx.policy.update({ where: { id }, data: { ...changes, version: { increment: 1 } } });
      await recordAudit(tx, actor, {
        action: 'policy.update',
        entityType: 'Policy',
        entityId: id,
        changedFields: changed,
      });
      return updated;
    });
  }

  /** Sets a new premium and keeps the change (old, new, reason, when, who) as history. */
  async changePremium(
    actor: Actor,
    id: string,
    input: { premium: Decimal; reason: string | null | undefined },
  ): Promise<Policy> {
    const reason = trim(input.reason);
    const v = new Validator();
    checkMoney(v, input.premium, ['input', 'premium'], 'Premium', MAX_PREMIUM, true);
    checkText(v, reason, ['input', 'reason'], 'Reason', MAX_REASON);
    v.throwIfInvalid();

    return this.prisma.$transaction(async (tx) => {
      const { policy: current } = await lockPolicy(tx, actor, id);
      refuse(refuseChange(current.status, 'premium'), ['id']);
      if (input.premium.equals(current.premium))
        throw new DomainError('VALIDATION', `The premium is already ${current.premium.toFixed(2)}`, [
          'input',
          'premium',
        ]);
      const updated = await tx.policy.update({
        where: { id },
        data: { premium: input.premium, version: { increment: 1 } },
      });
      await tx.policyPremiumChange.create({
        data: {
          policyId: id,
          oldPremium: current.premium,
          newPremium: input.premium,
          reason: reason!,
          changedById: await staffIdOf(tx, actor),
        },
      });
      await recordAudit(tx, actor, {
        action: 'policy.premiumChange',
        entityType: 'Policy',
        entityId: id,
        changedFields: ['premium'],
        reason,
      });
      return updated;
    });
  }

  /**
   * Extends the term from the current end date (so a recently expired policy continues without a
   * gap), optionally with a new premium; the policy becomes ACTIVE and the renewal is kept as
   * history (a new premium also enters the premium history).
   */
  async renew(actor: Actor, id: string, input: PolicyRenewData, field: string[] = ['input']): Promise<Policy> {
    const v = new Validator();
    checkMoney(v, input.premium, [...field, 'premium'], 'Premium', MAX_PREMIUM, true);
    v.throwIfInvalid();

    return this.prisma.$transaction(async (tx) => {
      const { policy: current } = await lockPolicy(tx, actor, id);
      const today = todayUtc();
      refuse(refuseRenewal(current.status, current.endDate, today), ['id']);
      const checks = new Validator();
      const newEndDate = renewalEndDate(
        checks,
        current.endDate,
        input.termMonths,
        input.newEndDate == null ? null : fromLocalDate(input.newEndDate),
        today,
        field,
      );
      checks.throwIfInvalid();

      const newPremium = input.premium ?? current.premium;
      const staffId = await staffIdOf(tx, actor);
      const updated = await tx.policy.update({
        where: { id },
        data: { endDate: newEndDate!, status: 'ACTIVE', premium: newPremium, version: { increment: 1 } },
      });
      await tx.policyRenewal.create({
        data: {
          policyId: id,
          previousEndDate: current.endDate,
          newEndDate: newEndDate!,
          oldPremium: current.premium,
          newPremium,
          renewedById: staffId,
        },
      });
      if (!newPremium.equals(current.premium)) {
        await tx.policyPremiumChange.create({
          data: {
            policyId: id,
            oldPremium: current.premium,
            newPremium,
            reason: `Renewal until ${toLocalDate(newEndDate)}`,
            changedById: staffId,
          },
        });
      }
      const changed = [
        'endDate',
        ...(current.status !== 'ACTIVE' ? ['status'] : []),
        ...(newPremium.equals(current.premium) ? [] : ['premium']),
      ];
      await recordAudit(tx, actor, {
        action: 'policy.renew',
        entityType: 'Policy',
        entityId: id,
        changedFields: changed,
      });
      return updated;
    });
  }

  /** Cancels a PENDING or ACTIVE policy (final) and notifies the customer through the outbox, atomically. */
  async cancel(actor: Actor, id: string, input: { reason?: string | null }): Promise<Policy> {
    const reason = trim(input.reason);
    const v = new Validator();
    checkText(v, reason, ['input', 'reason'], 'A cancellation reason', MAX_REASON);
    v.throwIfInvalid();

    return this.prisma.$transaction(async (tx) => {
      const { policy: current, customer } = await lockPolicy(tx, actor, id);
      refuse(refuseCancellation(current.status), ['id']);
      const cancelledAt = new Date();
      const updated = await tx.policy.update({
        where: { id },
        data: { status: 'CANCELLED', cancelledAt, cancellationReason: reason!, version: { increment: 1 } },
      });
      await enqueueNotification(tx, {
        type: 'POLICY_CANCELLED',
        customerId: customer.id,
        channel: customer.prefChannel,
        payload: {
          policyNumber: current.number,
          policyType: current.type,
          reason: reason!,
          cancelledAt: cancelledAt.toISOString(),
        },
      });
      await recordAudit(tx, actor, {
        action: 'policy.cancel',
        entityType: 'Policy',
        entityId: id,
        changedFields: ['status', 'cancelledAt', 'cancellationReason'],
        reason,
      });
      return updated;
    });
  }

  /**
   * Brings statuses in line with dates as of `asOf` (default today, UTC): policies whose end date
   * has passed (ACTIVE, or PENDING ones whose whole term passed) become EXPIRED, and PENDING ones
   * whose start date has come become ACTIVE. Set-based, one audit entry per policy changed, and
   * safe to run repeatedly or concurrently: a second run finds nothing left to change. A backlog
   * (e.g. after a bulk import) can take longer than a request may: it runs under the bulk limits
   * (src/db/bulk.ts), else the hourly job would fail and roll back the same work every hour.
   */
  async expireDue(actor: Actor, asOf?: string | null): Promise<{ expired: number; activated: number }> {
    const today = todayUtc();
    const day = asOf ? fromLocalDate(asOf) : today;
    if (day.getTime() > today.getTime())
      throw new DomainError('VALIDATION', 'asOf cannot be in the future', ['input', 'asOf']);
    const date = toLocalDate(day);
    return bulkTransaction(this.prisma, async (tx) => {
      const expired = await this.moveStatus(
        tx,
        actor,
        'EXPIRED',
        Prisma.sql`status IN ('ACTIVE', 'PENDING') AND end_date < ${date}::date`,
      );
      const activated = await this.moveStatus(
        tx,
        actor,
        'ACTIVE',
        Prisma.sql`status = 'PENDING' AND start_date <= ${date}::date AND end_date >= ${date}::date`,
      );
      return { expired, activated };
    });
  }

  private async moveStatus(tx: Tx, actor: Actor, to: 'EXPIRED' | 'ACTIVE', where: Prisma.Sql): Promise<number> {
    const rows = await tx.$queryRaw<{ n: number }[]>`
      WITH moved AS (
        UPDATE policies SET status = ${to}::"PolicyStatus", version = version + 1, updated_at = now()
        WHERE ${where}
        RETURNING id, customer_id
      ), audited AS (
        INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, changed_fields, customer_id)
        SELECT ${actor.id}::uuid, ${auditRoleOf(actor)}, ${`policy.${to === 'EXPIRED' ? 'expire' : 'activate'}`}, 'Policy', moved.id::text, ARRAY['status'], moved.customer_id
        FROM moved
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM audited`;
    return rows[0].n;
  }

  /** The customer a policy is created for, or NOT_FOUND when the actor may not see them. */
  private async visibleCustomer(tx: Tx, actor: Actor, customerId: string): Promise<Customer> {
    const customer = await tx.customer.findUnique({ where: { id: customerId } });
    const scope = ownerScope(actor);
    if (!customer || (scope && customer.ownerId !== scope)) throw notFound('Customer', ['customerId']);
    return customer;
  }
}

import { ownerScope, type Actor } from '../../auth/actor';
import { bulkTransaction } from '../../db/bulk';
import type { PrismaClient } from '../../db/client';
import type { CustomerAnalytics } from '../../generated/prisma/client';
import { DomainError, notFound } from '../../shared/domain-error';
import { recordAudit } from '../audit/audit';
import { customerAnalytics, type AnalyticsInputs, type CustomerAnalyticsFigures } from './analytics.rules';
import { analyticsInputsSql, inputsFromRow, type AnalyticsRow } from './analytics.sql';

const COLUMNS =
  'customer_id, total_spent, order_count, first_order_at, last_order_at, orders_last_year, spend_last_90, spend_prior_90, events_last_30, last_event_at, computed_at';

export const inputsFromSnapshot = (s: CustomerAnalytics): AnalyticsInputs => ({
  totalSpent: s.totalSpent,
  orderCount: s.orderCount,
  firstOrderAt: s.firstOrderAt,
  lastOrderAt: s.lastOrderAt,
  ordersLastYear: s.ordersLastYear,
  spendLast90: s.spendLast90,
  spendPrior90: s.spendPrior90,
  eventsLast30: s.eventsLast30,
  lastEventAt: s.lastEventAt,
  computedAt: s.computedAt,
});

/** Customer analytics: a set-based snapshot for everyone, on-demand figures for one. */
export class AnalyticsService {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Recomputes the snapshot of every customer in ONE statement; returns how many rows it wrote.
   * At a million customers this takes longer than a request may (statement and transaction time
   * limits), so it runs under the bulk limits (src/db/bulk.ts).
   */
  async recalculateAll(actor: Actor | null, now = new Date()): Promise<number> {
    return bulkTransaction(this.prisma, async (tx) => {
      const written = await tx.$executeRawUnsafe(
        `INSERT INTO customer_analytics (${COLUMNS}) ${analyticsInputsSql(false)}
         ON CONFLICT (customer_id) DO UPDATE SET ${COLUMNS.split(', ')
           .slice(1)
           .map((c) => `${c} = EXCLUDED.${c}`)
           .join(', ')}`,
        now.toISOString(),
      );
      if (actor)
        await recordAudit(tx, actor, {
          action: 'analytics.recalculate',
          entityType: 'CustomerAnalytics',
          entityId: null,
          changedFields: ['snapshot'],
        });
      return written;
    });
  }

  /** Computes one customer's figures now and stores them in the snapshot. */
  async recalculateOne(actor: Actor, customerId: string, now = new Date()): Promise<CustomerAnalyticsFigures> {
    return this.prisma.$transaction(async (tx) => {
      const customer = await tx.customer.findUnique({
        where: { id: customerId },
        select: { ownerId: true, status: true, dataProcessingConsentAt: true },
      });
      const scope = ownerScope(actor);
      if (!customer || customer.status === 'DELETED' || (scope && customer.ownerId !== scope))
        throw notFound('Customer', ['customerId']);
      if (!customer.dataProcessingConsentAt)
        throw new DomainError('CONSENT_REQUIRED', 'The customer withdrew consent to data processing: no analytics', [
          'customerId',
        ]);
      const [row] = await tx.$queryRawUnsafe<AnalyticsRow[]>(
        `INSERT INTO customer_analytics (${COLUMNS}) ${analyticsInputsSql(true)}
         ON CONFLICT (customer_id) DO UPDATE SET ${COLUMNS.split(', ')
           .slice(1)
           .map((c) => `${c} = EXCLUDED.${c}`)
           .join(', ')}
         RETURNING ${COLUMNS}`,
        now.toISOString(),
        [customerId],
      );
      return customerAnalytics(inputsFromRow(row));
    });
  }

  /** Live figures of some customers (one statement), for those without a snapshot yet. */
  async live(customerIds: string[], now = new Date()): Promise<Map<string, CustomerAnalyticsFigures>> {
    const rows = await this.prisma.$queryRawUnsafe<AnalyticsRow[]>(
      analyticsInputsSql(true),
      now.toISOString(),
      customerIds,
    );
    return new Map(rows.map((r) => [r.customer_id, customerAnalytics(inputsFromRow(r))]));
  }
}

import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import { toDate } from '../../shared/dates';
import { groupBy } from '../../shared/loaders';
import { pageOf, type Page } from '../../shared/pagination';
import { auditCursor } from './audit.service';
import type { AuditEntryRow } from './audit.type';

/** One page of one customer's audit trail: `first` entries older than `after` (a sequence number). */
export interface AuditTrailPageKey {
  customerId: string;
  first: number;
  after: bigint | null;
}

interface Row {
  key_index: number;
  id: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  customer_id: string | null;
  changed_fields: string[];
  reason: string | null;
  at: Date | string;
}

const fromRow = (row: Row): AuditEntryRow => ({
  id: row.id,
  actorId: row.actor_id,
  actorRole: row.actor_role,
  action: row.action,
  entityType: row.entity_type,
  entityId: row.entity_id,
  customerId: row.customer_id,
  changedFields: row.changed_fields,
  reason: row.reason,
  at: toDate(row.at),
});

export const createAuditLoaders = (prisma: PrismaClient) => {
  const auditEntryCountByCustomerId = new DataLoader<string, number>(async (customerIds) => {
    const groups = await prisma.auditEntry.groupBy({
      by: ['customerId'],
      where: { customerId: { in: [...customerIds] } },
      _count: { _all: true },
    });
    const counts = new Map(groups.map((g) => [g.customerId, g._count._all]));
    return customerIds.map((id) => counts.get(id) ?? 0);
  });

  /**
   * Pages of the audit trails of many customers (`customers { auditTrail(first: 3) }`) in ONE
   * statement: a LATERAL subquery per key reads its newest N+1 entries by the (customer_id, id) index.
   */
  const auditTrailPageByCustomer = new DataLoader<AuditTrailPageKey, Page<AuditEntryRow>, string>(
    async (keys) => {
      const rows = await prisma.$queryRaw<Row[]>`
        SELECT k.key_index::int AS key_index, a.id::text AS id, a.actor_id::text AS actor_id, a.actor_role, a.action,
               a.entity_type, a.entity_id, a.customer_id::text AS customer_id, a.changed_fields, a.reason, a.at
        FROM unnest(${keys.map((k) => k.customerId)}::uuid[], ${keys.map((k) => k.after?.toString() ?? null)}::bigint[],
                    ${keys.map((k) => k.first + 1)}::int[])
             WITH ORDINALITY AS k(customer_id, after_id, lim, key_index)
        CROSS JOIN LATERAL (
          SELECT * FROM audit_log a
          WHERE a.customer_id = k.customer_id AND (k.after_id IS NULL OR a.id < k.after_id)
          ORDER BY a.id DESC LIMIT k.lim) a
        ORDER BY k.key_index, a.id DESC`;
      const byKey = groupBy(rows, (row) => Number(row.key_index) - 1);
      return keys.map((key, index) =>
        pageOf(
          (byKey.get(index) ?? []).map(fromRow),
          key.first,
          auditCursor,
          key.after === null ? null : String(key.after),
          () => auditEntryCountByCustomerId.load(key.customerId),
        ),
      );
    },
    { cacheKeyFn: (k) => `${k.customerId}|${k.first}|${k.after ?? ''}` },
  );

  return { auditTrailPageByCustomer, auditEntryCountByCustomerId };
};

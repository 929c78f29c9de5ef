import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import type { ConsentKind } from '../../generated/prisma/enums';
import { toDate } from '../../shared/dates';
import { groupBy } from '../../shared/loaders';
import { decodeCursorAs, encodeCursor, pageOf, type Page } from '../../shared/pagination';
import type { ConsentChangeRow } from './privacy.type';

/** Position in a customer's consent history (newest first). */
export interface ConsentCursor {
  changedAt: Date;
  id: string;
}

export interface ConsentHistoryPageKey {
  customerId: string;
  first: number;
  after: ConsentCursor | null;
}

export const consentCursor = (row: ConsentChangeRow) => encodeCursor([row.changedAt.toISOString(), row.id]);

export function parseConsentCursor(after: string): ConsentCursor {
  const [changedAt, id] = decodeCursorAs(after, [{ kind: 'timestamp' }, { kind: 'uuid' }]) as [Date, string];
  return { changedAt, id };
}

interface Row {
  key_index: number;
  id: string;
  customer_id: string;
  kind: string;
  granted: boolean;
  actor_id: string | null;
  source: string | null;
  reason: string | null;
  changed_at: Date | string;
}

const fromRow = (row: Row): ConsentChangeRow => ({
  id: row.id,
  customerId: row.customer_id,
  kind: row.kind as ConsentKind,
  granted: row.granted,
  actorId: row.actor_id,
  source: row.source,
  reason: row.reason,
  changedAt: toDate(row.changed_at),
});

const pageKey = (k: ConsentHistoryPageKey) =>
  `${k.customerId}|${k.first}|${k.after ? `${k.after.changedAt.toISOString()}|${k.after.id}` : ''}`;

export const createPrivacyLoaders = (prisma: PrismaClient) => {
  const consentChangeCountByCustomerId = new DataLoader<string, number>(async (customerIds) => {
    const groups = await prisma.consentChange.groupBy({
      by: ['customerId'],
      where: { customerId: { in: [...customerIds] } },
      _count: { _all: true },
    });
    const counts = new Map(groups.map((g) => [g.customerId, g._count._all]));
    return customerIds.map((id) => counts.get(id) ?? 0);
  });

  /**
   * Pages of the consent history of many customers (`customers { consentHistory(first: 3) }`) in
   * ONE statement: a LATERAL subquery per key reads its first N+1 changes by the
   * (customer_id, changed_at) index.
   */
  const consentHistoryPageByCustomer = new DataLoader<ConsentHistoryPageKey, Page<ConsentChangeRow>, string>(
    async (keys) => {
      const rows = await prisma.$queryRaw<Row[]>`
        SELECT k.key_index::int AS key_index, c.id::text AS id, c.customer_id::text AS customer_id, c.kind::text AS kind,
               c.granted, c.actor_id::text AS actor_id, c.source, c.reason, c.changed_at
        FROM unnest(${keys.map((k) => k.customerId)}::uuid[], ${keys.map((k) => k.after?.changedAt.toISOString() ?? null)}::timestamptz[],
                    ${keys.map((k) => k.after?.id ?? null)}::uuid[], ${keys.map((k) => k.first + 1)}::int[])
             WITH ORDINALITY AS k(customer_id, after_at, after_id, lim, key_index)
        CROSS JOIN LATERAL (
          SELECT * FROM consent_changes c
          WHERE c.customer_id = k.customer_id AND (k.after_id IS NULL OR (c.changed_at, c.id) < (k.after_at, k.after_id))
          ORDER BY c.changed_at DESC, c.id DESC LIMIT k.lim) c
        ORDER BY k.key_index, c.changed_at DESC, c.id DESC`;
      const byKey = groupBy(rows, (row) => Number(row.key_index) - 1);
      return keys.map((key, index) =>
        pageOf((byKey.get(index) ?? []).map(fromRow), key.first, consentCursor, key.after, () =>
          consentChangeCountByCustomerId.load(key.customerId),
        ),
      );
    },
    { cacheKeyFn: pageKey },
  );

  return { consentHistoryPageByCustomer, consentChangeCountByCustomerId };
};

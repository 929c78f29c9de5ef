import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import { Prisma, type Segment } from '../../generated/prisma/client';
import { DomainError } from '../../shared/domain-error';
import { groupBy, loaderMany, loaderOne } from '../../shared/loaders';
import { decodeCursor, encodeCursor, pageOf, type Page } from '../../shared/pagination';
import { toDate } from '../../shared/dates';

/** One page of one segment's members or history, as the actor may see it (ownerId for agents). */
export interface SegmentPageKey {
  segmentId: string;
  ownerId: string | null;
  first: number;
  /** Members: the last customer id seen; history: the last change id seen. */
  after: string | null;
}

export interface MemberRef {
  customerId: string;
  joinedAt: Date;
}
export interface ChangeRef {
  id: string;
  customerId: string;
  change: 'JOINED' | 'LEFT';
  at: Date;
}

/** Parses a member cursor (a customer uuid) or a history cursor (a change id). */
export function parseSegmentCursor(after: string, kind: 'member' | 'change'): string {
  const [value, ...rest] = decodeCursor(after);
  const ok =
    rest.length === 0 &&
    typeof value === 'string' &&
    (kind === 'member' ? /^[0-9a-f-]{36}$/i.test(value) : /^\d{1,19}$/.test(value));
  if (!ok) throw new DomainError('VALIDATION', 'after is not a cursor of this list', ['after']);
  return value as string;
}

const keyOf = (k: SegmentPageKey) => `${k.segmentId}|${k.ownerId ?? ''}|${k.first}|${k.after ?? ''}`;

/** Rows of one segment in `table` that the actor may see, for many keys in ONE statement. */
const countPerKey = (prisma: PrismaClient, table: 'segment_memberships' | 'segment_membership_changes') =>
  new DataLoader<SegmentPageKey, number, string>(
    async (keys) => {
      // `table` is one of two literals, never input.
      const rows = await prisma.$queryRaw<{ key_index: number; n: bigint | number }[]>`
        SELECT k.key_index::int AS key_index, (SELECT count(*) FROM ${Prisma.raw(table)} t JOIN customers c ON c.id = t.customer_id
          WHERE t.segment_id = k.segment_id AND (k.owner_id IS NULL OR c.owner_id = k.owner_id)) AS n
        FROM unnest(${keys.map((k) => k.segmentId)}::uuid[], ${keys.map((k) => k.ownerId)}::uuid[]) WITH ORDINALITY AS k(segment_id, owner_id, key_index)`;
      const byIndex = new Map(rows.map((r) => [Number(r.key_index) - 1, Number(r.n)]));
      return keys.map((_, i) => byIndex.get(i) ?? 0);
    },
    { cacheKeyFn: (k) => `${k.segmentId}|${k.ownerId ?? ''}` },
  );

export const createSegmentLoaders = (prisma: PrismaClient) => {
  const memberCount = countPerKey(prisma, 'segment_memberships');

  /** Members of many segments in ONE statement (row_number per key), by customer id. */
  const membersPage = new DataLoader<SegmentPageKey, Page<MemberRef>, string>(
    async (keys) => {
      const rows = await prisma.$queryRaw<{ key_index: number; customer_id: string; joined_at: Date | string }[]>`
        SELECT key_index, customer_id, joined_at FROM (
          SELECT k.key_index::int AS key_index, sm.customer_id::text AS customer_id, sm.joined_at, k.lim,
                 row_number() OVER (PARTITION BY k.key_index ORDER BY sm.customer_id) AS rn
          FROM unnest(${keys.map((k) => k.segmentId)}::uuid[], ${keys.map((k) => k.ownerId)}::uuid[], ${keys.map((k) => k.after)}::uuid[], ${keys.map((k) => k.first + 1)}::int[])
               WITH ORDINALITY AS k(segment_id, owner_id, after_id, lim, key_index)
          JOIN segment_memberships sm ON sm.segment_id = k.segment_id AND (k.after_id IS NULL OR sm.customer_id > k.after_id)
          JOIN customers c ON c.id = sm.customer_id AND (k.owner_id IS NULL OR c.owner_id = k.owner_id)
        ) ranked WHERE rn <= lim ORDER BY key_index, rn`;
      const byKey = groupBy(rows, (r) => Number(r.key_index) - 1);
      return keys.map((key, i) =>
        pageOf(
          (byKey.get(i) ?? []).map((r) => ({ customerId: r.customer_id, joinedAt: toDate(r.joined_at) })),
          key.first,
          (m) => encodeCursor([m.customerId]),
          key.after,
          () => memberCount.load(key),
        ),
      );
    },
    { cacheKeyFn: keyOf },
  );

  const changeCount = countPerKey(prisma, 'segment_membership_changes');

  /** Joins and leaves of many segments in ONE statement, newest first. */
  const changesPage = new DataLoader<SegmentPageKey, Page<ChangeRef>, string>(
    async (keys) => {
      const rows = await prisma.$queryRaw<
        { key_index: number; id: string; customer_id: string; change: 'JOINED' | 'LEFT'; at: Date | string }[]
      >`
        SELECT key_index, id, customer_id, change, at FROM (
          SELECT k.key_index::int AS key_index, ch.id::text AS id, ch.customer_id::text AS customer_id, ch.change::text AS change, ch.at, k.lim,
                 row_number() OVER (PARTITION BY k.key_index ORDER BY ch.id DESC) AS rn
          FROM unnest(${keys.map((k) => k.segmentId)}::uuid[], ${keys.map((k) => k.ownerId)}::uuid[], ${keys.map((k) => k.after)}::bigint[], ${keys.map((k) => k.first + 1)}::int[])
               WITH ORDINALITY AS k(segment_id, owner_id, after_id, lim, key_index)
          JOIN segment_membership_changes ch ON ch.segment_id = k.segment_id AND (k.after_id IS NULL OR ch.id < k.after_id)
          JOIN customers c ON c.id = ch.customer_id AND (k.owner_id IS NULL OR c.owner_id = k.owner_id)
        ) ranked WHERE rn <= lim ORDER BY key_index, rn`;
      const byKey = groupBy(rows, (r) => Number(r.key_index) - 1);
      return keys.map((key, i) =>
        pageOf(
          (byKey.get(i) ?? []).map((r) => ({
            id: r.id,
            customerId: r.customer_id,
            change: r.change,
            at: toDate(r.at),
          })),
          key.first,
          (c) => encodeCursor([c.id]),
          key.after,
          () => changeCount.load(key),
        ),
      );
    },
    { cacheKeyFn: keyOf },
  );

  return {
    segmentById: loaderOne(
      (ids: string[]) => prisma.segment.findMany({ where: { id: { in: ids } } }),
      (s) => s.id,
    ),
    /** Current segments of many customers in one statement (archived segments left out). */
    segmentsByCustomerId: loaderMany(
      async (customerIds: string[]) => {
        const rows = await prisma.segmentMembership.findMany({
          where: { customerId: { in: customerIds }, segment: { status: { not: 'ARCHIVED' } } },
          include: { segment: true },
          orderBy: [{ customerId: 'asc' }, { segment: { name: 'asc' } }],
        });
        return rows.map((r): Segment & { memberOf: string } => ({ ...r.segment, memberOf: r.customerId }));
      },
      (row) => row.memberOf,
    ),
    segmentMembersPage: membersPage,
    segmentChangesPage: changesPage,
  };
};

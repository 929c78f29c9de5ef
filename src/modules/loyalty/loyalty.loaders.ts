import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import { Prisma, type LedgerEntry } from '../../generated/prisma/client';
import type { LedgerEntryType } from '../../generated/prisma/enums';
import { groupBy, loaderMany, loaderOne } from '../../shared/loaders';
import { decodeCursorAs, encodeCursor, pageItems } from '../../shared/pagination';
import { notClawedBack } from './loyalty.ledger';

/** A page of an account's ledger, newest first: `first` edges and whether more follow. */
export interface LedgerPageKey {
  accountId: string;
  first: number;
  after?: string | null;
}

export interface LedgerPage {
  items: { node: LedgerEntry; cursor: string }[];
  hasNextPage: boolean;
}

interface LedgerRow {
  id: string;
  account_id: string;
  type: LedgerEntryType;
  points: number;
  remaining: number | null;
  expires_at: Date | null;
  reason: string | null;
  order_id: string | null;
  idempotency_key: string | null;
  balance_after: number;
  actor_id: string | null;
  created_at: Date;
  as_of: Date | null;
  shortfall: number | null;
}

const toEntry = (r: LedgerRow): LedgerEntry => ({
  id: r.id,
  accountId: r.account_id,
  type: r.type,
  points: Number(r.points),
  remaining: r.remaining === null ? null : Number(r.remaining),
  expiresAt: r.expires_at,
  reason: r.reason,
  orderId: r.order_id,
  idempotencyKey: r.idempotency_key,
  balanceAfter: Number(r.balance_after),
  actorId: r.actor_id,
  createdAt: r.created_at,
  asOf: r.as_of,
  shortfall: r.shortfall === null ? null : Number(r.shortfall),
});

/** Ledger cursors are (createdAt, id) of the last entry seen. */
export const ledgerCursor = (entry: Pick<LedgerEntry, 'createdAt' | 'id'>) =>
  encodeCursor([entry.createdAt.toISOString(), entry.id]);

/**
 * The page of `entries` read with LIMIT first + 1, newest first (the loader's and the planner's);
 * cursors are encoded when read (most clients select none).
 */
export const ledgerPageOf = (entries: readonly LedgerEntry[], first: number): LedgerPage => ({
  items: pageItems(entries, first, ledgerCursor),
  hasNextPage: entries.length > first,
});

function decodeLedgerCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = decodeCursorAs(cursor, [{ kind: 'timestamp' }, { kind: 'uuid' }]) as [Date, string];
  return { createdAt, id };
}

/**
 * The first N+1 entries of every requested account in ONE statement (row_number() over a
 * partition per account), for each distinct (first, after) asked for in the same tick.
 */
async function loadLedgerPages(prisma: PrismaClient, keys: readonly LedgerPageKey[]): Promise<LedgerPage[]> {
  const groups = new Map<string, LedgerPageKey[]>();
  for (const key of keys) {
    const group = `${key.first}|${key.after ?? ''}`;
    groups.set(group, [...(groups.get(group) ?? []), key]);
  }
  const pages = new Map<string, LedgerPage>();
  for (const [group, members] of groups) {
    const { first, after } = members[0];
    const cursor = after ? decodeLedgerCursor(after) : null;
    const ids = [...new Set(members.map((m) => m.accountId))];
    const rows = await prisma.$queryRaw<LedgerRow[]>`
      SELECT * FROM (
        SELECT l.id, l.account_id, l.type, l.points, l.remaining, l.expires_at, l.reason, l.order_id, l.idempotency_key, l.balance_after, l.actor_id, l.created_at, l.as_of, l.shortfall,
               row_number() OVER (PARTITION BY l.account_id ORDER BY l.created_at DESC, l.id DESC) AS position
        FROM loyalty_ledger l
        WHERE l.account_id = ANY(${ids}::uuid[]) ${cursor ? Prisma.sql`AND (l.created_at, l.id) < (${cursor.createdAt}, ${cursor.id}::uuid)` : Prisma.empty}
      ) ranked
      WHERE position <= ${first + 1}
      ORDER BY account_id, position`;
    const byAccount = groupBy(rows, (row) => row.account_id);
    for (const id of ids) {
      pages.set(`${id}|${group}`, ledgerPageOf((byAccount.get(id) ?? []).map(toEntry), first));
    }
  }
  return keys.map((k) => pages.get(`${k.accountId}|${k.first}|${k.after ?? ''}`)!);
}

/** Sums per account in one grouped statement; `keyOf` folds a parameter (e.g. days) into the key. */
function sumLoader<K>(load: (keys: readonly K[]) => Promise<Map<string, number>>, cacheKey: (key: K) => string) {
  return new DataLoader<K, number, string>(
    async (keys) => {
      const sums = await load(keys);
      return keys.map((k) => sums.get(cacheKey(k)) ?? 0);
    },
    { cacheKeyFn: cacheKey },
  );
}

export const createLoyaltyLoaders = (prisma: PrismaClient) => ({
  loyaltyByCustomerId: loaderOne(
    (ids: string[]) => prisma.loyaltyAccount.findMany({ where: { customerId: { in: ids } } }),
    (a) => a.customerId,
  ),
  loyaltyById: loaderOne(
    (ids: string[]) => prisma.loyaltyAccount.findMany({ where: { id: { in: ids } } }),
    (a) => a.id,
  ),
  ledgerPage: new DataLoader<LedgerPageKey, LedgerPage, string>((keys) => loadLedgerPages(prisma, keys), {
    cacheKeyFn: (k) => `${k.accountId}|${k.first}|${k.after ?? ''}`,
  }),
  ledgerCountByAccountId: sumLoader<string>(
    async (ids) => {
      const rows = await prisma.$queryRaw<{ account_id: string; n: number }[]>`
      SELECT account_id, count(*)::int AS n FROM loyalty_ledger WHERE account_id = ANY(${[...ids]}::uuid[]) GROUP BY account_id`;
      return new Map(rows.map((r) => [r.account_id, Number(r.n)]));
    },
    (id) => id,
  ),
  /** EARN points of the trailing 12 months (not yet past their expiry date, order not refunded), as of the request. */
  qualifyingPointsByAccountId: sumLoader<string>(
    async (ids) => {
      const now = new Date();
      const rows = await prisma.$queryRaw<{ account_id: string; points: number }[]>`
      SELECT e.account_id, sum(e.points)::int AS points FROM loyalty_ledger e
      WHERE e.account_id = ANY(${[...ids]}::uuid[]) AND e.type = 'EARN' AND e.created_at <= ${now} AND e.expires_at > ${now}
        AND ${notClawedBack(now)}
      GROUP BY e.account_id`;
      return new Map(rows.map((r) => [r.account_id, Number(r.points)]));
    },
    (id) => id,
  ),
  /** Unspent points whose expiry date falls within `withinDays` (including ones already due but not yet processed). */
  pointsExpiring: sumLoader<{ accountId: string; withinDays: number }>(
    async (keys) => {
      const sums = new Map<string, number>();
      for (const days of new Set(keys.map((k) => k.withinDays))) {
        const ids = [...new Set(keys.filter((k) => k.withinDays === days).map((k) => k.accountId))];
        const until = new Date(Date.now() + days * 86_400_000);
        const rows = await prisma.$queryRaw<{ account_id: string; points: number }[]>`
        SELECT account_id, sum(remaining)::int AS points FROM loyalty_ledger
        WHERE account_id = ANY(${ids}::uuid[]) AND remaining > 0 AND expires_at <= ${until}
        GROUP BY account_id`;
        for (const r of rows) sums.set(`${r.account_id}|${days}`, Number(r.points));
      }
      return sums;
    },
    (k) => `${k.accountId}|${k.withinDays}`,
  ),
  /** Tier changes, newest first. */
  tierChangesByAccountId: loaderMany(
    (ids: string[]) =>
      prisma.loyaltyTierChange.findMany({
        where: { accountId: { in: ids } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    (c) => c.accountId,
  ),
  rewardById: loaderOne(
    (ids: string[]) => prisma.reward.findMany({ where: { id: { in: ids } } }),
    (r) => r.id,
  ),
  ledgerEntryById: loaderOne(
    (ids: string[]) => prisma.ledgerEntry.findMany({ where: { id: { in: ids } } }),
    (e) => e.id,
  ),
});

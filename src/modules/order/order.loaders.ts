import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import type { Order } from '../../generated/prisma/client';
import type { OrderStatus } from '../../generated/prisma/enums';
import { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { groupBy, loaderOne } from '../../shared/loaders';
import { decodeCursorAs, encodeCursor, pageOf, type Page } from '../../shared/pagination';
import { toDate } from '../../shared/dates';

/** Position of an order in a customer's list (newest first): placedAt, then id. */
export interface OrderCursor {
  placedAt: Date;
  id: string;
}

/** One page of one customer's orders: `first` orders after `after`. */
export interface OrdersPageKey {
  customerId: string;
  first: number;
  after: OrderCursor | null;
}

export const orderCursor = (order: Pick<Order, 'placedAt' | 'id'>): string =>
  encodeCursor([order.placedAt.toISOString(), order.id]);

export function parseOrderCursor(after: string): OrderCursor {
  const [placedAt, id] = decodeCursorAs(after, [{ kind: 'timestamp' }, { kind: 'uuid' }]) as [Date, string];
  return { placedAt, id };
}

/** An orders row as `$queryRaw` returns it (snake_case, driver types). */
interface OrderRow {
  id: string;
  number: string;
  customer_id: string;
  total: Decimal | string | number;
  currency: string;
  status: string;
  placed_at: Date | string;
  delivered_at: Date | string | null;
  completed_at: Date | string | null;
  points_awarded_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  key_index: number;
}

const toDateOrNull = (value: Date | string | null) => (value == null ? null : toDate(value));

/** Maps a raw row back to the shape Prisma's own queries return. */
export function orderFromRow(row: OrderRow): Order {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    total: row.total instanceof Decimal ? row.total : new Decimal(String(row.total)),
    currency: row.currency,
    status: row.status as OrderStatus,
    placedAt: toDate(row.placed_at),
    deliveredAt: toDateOrNull(row.delivered_at),
    completedAt: toDateOrNull(row.completed_at),
    pointsAwardedAt: toDateOrNull(row.points_awarded_at),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

const pageKey = (key: OrdersPageKey) =>
  `${key.customerId}|${key.first}|${key.after ? `${key.after.placedAt.toISOString()}|${key.after.id}` : ''}`;

export const createOrderLoaders = (prisma: PrismaClient) => {
  const orderCountByCustomerId = new DataLoader<string, number>(async (customerIds) => {
    const groups = await prisma.order.groupBy({
      by: ['customerId'],
      where: { customerId: { in: [...customerIds] } },
      _count: { _all: true },
    });
    const counts = new Map(groups.map((g) => [g.customerId, g._count._all]));
    return customerIds.map((id) => counts.get(id) ?? 0);
  });

  /**
   * Pages of orders of many customers (`customers { orders(first: 3) }`) in ONE statement:
   * every key becomes a row of an unnested parameter list, and row_number() over the key keeps
   * the first N+1 orders (newest first) of each, after its cursor.
   */
  const ordersPageByCustomer = new DataLoader<OrdersPageKey, Page<Order>, string>(
    async (keys) => {
      const customerIds = keys.map((k) => k.customerId);
      const afterPlacedAt = keys.map((k) => k.after?.placedAt.toISOString() ?? null);
      const afterIds = keys.map((k) => k.after?.id ?? null);
      const limits = keys.map((k) => k.first + 1);
      const rows = await prisma.$queryRaw<OrderRow[]>`
        SELECT id, number, customer_id, total, currency, status, placed_at, delivered_at, completed_at, points_awarded_at, created_at, updated_at, key_index
        FROM (
          SELECT o.id, o.number, o.customer_id, o.total, o.currency, o.status::text AS status, o.placed_at, o.delivered_at, o.completed_at,
                 o.points_awarded_at, o.created_at, o.updated_at, k.key_index::int AS key_index, k.lim,
                 row_number() OVER (PARTITION BY k.key_index ORDER BY o.placed_at DESC, o.id DESC) AS rn
          FROM unnest(${customerIds}::uuid[], ${afterPlacedAt}::timestamptz[], ${afterIds}::uuid[], ${limits}::int[])
               WITH ORDINALITY AS k(customer_id, after_placed_at, after_id, lim, key_index)
          JOIN orders o ON o.customer_id = k.customer_id
          WHERE k.after_id IS NULL OR (o.placed_at, o.id) < (k.after_placed_at, k.after_id)
        ) ranked
        WHERE rn <= lim
        ORDER BY key_index, rn`;
      const byKey = groupBy(rows, (row) => Number(row.key_index) - 1); // WITH ORDINALITY counts from 1
      return keys.map(
        (key, index): Page<Order> =>
          pageOf((byKey.get(index) ?? []).map(orderFromRow), key.first, orderCursor, key.after, () =>
            orderCountByCustomerId.load(key.customerId),
          ),
      );
    },
    { cacheKeyFn: pageKey },
  );

  return {
    orderById: loaderOne(
      (ids: string[]) => prisma.order.findMany({ where: { id: { in: ids } } }),
      (o) => o.id,
    ),
    orderCountByCustomerId,
    ordersPageByCustomer,
  };
};

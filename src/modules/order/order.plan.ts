// Customer.orders(first) for the planner: the first page (newest first) and, when selected, the
// count, as JSON; primed into ordersPageByCustomer / orderCountByCustomerId. A page after a
// cursor is left to the loader.
import type { Order } from '../../generated/prisma/client';
import type { Relation } from '../../graphql/plan/planner';
import { decodeJsonRow, jsonRow, type TableShape } from '../../db/table-shape';
import { pageOf, pageSize } from '../../shared/pagination';
import { orderCursor } from './order.loaders';

export const ORDER_TABLE: TableShape<Order> = {
  table: 'orders',
  columns: {
    id: ['id', 'value'],
    number: ['number', 'value'],
    customerId: ['customer_id', 'value'],
    total: ['total', 'decimal'],
    currency: ['currency', 'value'],
    status: ['status', 'value'],
    placedAt: ['placed_at', 'timestamp'],
    deliveredAt: ['delivered_at', 'timestamp'],
    completedAt: ['completed_at', 'timestamp'],
    pointsAwardedAt: ['points_awarded_at', 'timestamp'],
    createdAt: ['created_at', 'timestamp'],
    updatedAt: ['updated_at', 'timestamp'],
  },
};

/** The page size, or null when the arguments are not a plain first page (the resolver reports bad ones). */
function firstPage(args: Record<string, unknown>): number | null {
  if (args.after != null) return null;
  try {
    return pageSize({ first: args.first as number | null | undefined });
  } catch {
    return null;
  }
}

export const ordersRelation: Relation<{ id: string }> = {
  field: 'orders',
  parentKeys: ['id'],
  sql(parent, selected, params) {
    const first = firstPage(selected.args);
    if (first === null) return null;
    const counted = [...selected.children.values()].some((s) => s.name === 'totalCount');
    return `SELECT json_build_object(
      'rows', (SELECT coalesce(json_agg(${jsonRow(ORDER_TABLE, 'o')} ORDER BY o.placed_at DESC, o.id DESC), '[]'::json)
               FROM (SELECT * FROM orders o WHERE o.customer_id = ${parent}.id ORDER BY o.placed_at DESC, o.id DESC LIMIT ${params.add(first + 1)}::int) o),
      'count', ${counted ? `(SELECT count(*)::int FROM orders o WHERE o.customer_id = ${parent}.id)` : 'null'})`;
  },
  prime(loaders, parent, value, selected) {
    const first = firstPage(selected.args)!;
    const { rows, count } = value as { rows: unknown[][]; count: number | null };
    if (count !== null) loaders.orderCountByCustomerId.prime(parent.id, count);
    const orders = rows.map((row) => decodeJsonRow(ORDER_TABLE, row));
    loaders.ordersPageByCustomer.prime(
      { customerId: parent.id, first, after: null },
      pageOf(orders, first, orderCursor, null, () => loaders.orderCountByCustomerId.load(parent.id)),
    );
  },
};

// Customer.orders(first) for the planner: the first page (newest first) and, when selected, the
// count, as JSON; primed into ordersPageByCustomer / orderCountByCustomerId. A page after a
// cursor is left to the loader.
import type { Order } from '../../generated/prisma/client';
import { decodePage, firstPageSize, pageSql, selects, type Relation } from '../../graphql/plan/planner';
import type { TableShape } from '../../db/table-shape';
import { pageOf } from '../../shared/pagination';
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

export const ordersRelation: Relation<{ id: string }> = {
  field: 'orders',
  parentKeys: ['id'],
  plan(parent, selected, params) {
    const first = firstPageSize(selected.args);
    if (first === null) return null;
    const where = `o.customer_id = ${parent}.id`;
    const counted = selects(selected, 'totalCount');
    return {
      sql: pageSql(
        ORDER_TABLE,
        'o',
        { where, order: 'o.placed_at DESC, o.id DESC', limit: first + 1, counted },
        params,
      ),
      prime(loaders, p, value) {
        const { rows, count } = decodePage(ORDER_TABLE, value);
        if (count !== null) loaders.orderCountByCustomerId.prime(p.id, count);
        loaders.ordersPageByCustomer.prime(
          { customerId: p.id, first, after: null },
          pageOf(rows, first, orderCursor, null, () => loaders.orderCountByCustomerId.load(p.id)),
        );
      },
    };
  },
};

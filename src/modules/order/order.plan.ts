// Customer.orders(first) for the planner: the first page (newest first) and, when selected, the
// count, as JSON; primed into ordersPageByCustomer / orderCountByCustomerId. A page after a
// cursor is left to the loader.
import type { Order } from '../../generated/prisma/client';
import { pageRelation, type Relation } from '../../graphql/plan/planner';
import type { AnswerShape } from '../../graphql/plan/answer';
import { globalIdSql } from '../../graphql/global-id';
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

export const ORDER_ANSWER: AnswerShape<Order> = {
  type: 'Order',
  shape: ORDER_TABLE,
  computed: { id: (o) => globalIdSql('Order', `${o}.id`) },
};

export const ordersRelation: Relation<{ id: string }> = pageRelation({
  field: 'orders',
  parentKeys: ['id'],
  type: 'Order',
  shape: ORDER_TABLE,
  alias: 'o',
  where: (o, customer) => `${o}.customer_id = ${customer}.id`,
  order: 'o.placed_at DESC, o.id DESC',
  prime(loaders, customer, { rows, count }, first) {
    if (count !== null) loaders.orderCountByCustomerId.prime(customer.id, count);
    loaders.ordersPageByCustomer.prime(
      { customerId: customer.id, first, after: null },
      pageOf(rows, first, orderCursor, null, () => loaders.orderCountByCustomerId.load(customer.id)),
    );
  },
});

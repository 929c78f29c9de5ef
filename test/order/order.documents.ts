// Operations and helpers shared by the order and feedback tests.
import { graphql } from '../generated';
import type { OrderRecordInput, OrderStatus } from '../generated/graphql';
import type { StaffKey, TestServer } from '../helpers/server';

export const OrderRecord = graphql(`
  mutation OrderRecord($customerId: ID!, $input: OrderRecordInput!) {
    orderRecord(customerId: $customerId, input: $input) {
      order { id number total currency status placedAt deliveredAt completedAt pointsAwardedAt feedbackWindowClosesAt customer { id } }
      userErrors { code field message }
    }
  }
`);

export const OrderChangeStatus = graphql(`
  mutation OrderChangeStatus($id: ID!, $input: OrderStatusChangeInput!) {
    orderChangeStatus(id: $id, input: $input) {
      order { id status deliveredAt completedAt pointsAwardedAt }
      userErrors { code field message }
    }
  }
`);

const DAY_MS = 24 * 60 * 60 * 1000;
/** An ISO time `days` days before now (fractions allowed). */
export const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

let sequence = 0;
/** A unique order number for this test process. */
export const orderNumber = (prefix = 'ORD') => `${prefix}-${process.pid}-${++sequence}`;

export const orderInput = (overrides: Partial<OrderRecordInput> = {}): OrderRecordInput => ({
  number: orderNumber(),
  total: '129.99',
  currency: 'EUR',
  placedAt: daysAgo(1),
  ...overrides,
});

/** Records an order through the API and returns it; fails the test on any error. */
export async function recordOrder(
  server: TestServer,
  customerId: string,
  overrides: Partial<OrderRecordInput> = {},
  who: StaffKey = 'admin',
) {
  const res = await server.gql(OrderRecord, { customerId, input: orderInput(overrides) }, who);
  if (res.errors || res.data?.orderRecord.userErrors.length)
    throw new Error(`orderRecord failed: ${JSON.stringify(res)}`);
  return res.data!.orderRecord.order!;
}

/** Sets an order's status through the API and returns the payload. */
export async function changeOrderStatus(
  server: TestServer,
  id: string,
  status: OrderStatus,
  who: StaffKey = 'admin',
  deliveredAt?: string,
) {
  const res = await server.gql(OrderChangeStatus, { id, input: { status, deliveredAt } }, who);
  if (res.errors) throw new Error(`orderChangeStatus failed: ${JSON.stringify(res.errors)}`);
  return res.data!.orderChangeStatus;
}

/** Only code and field of user errors, for exact comparisons. */
export const codes = (errors: { code: string; field?: string[] | null }[]) =>
  errors.map(({ code, field }) => ({ code, field }));

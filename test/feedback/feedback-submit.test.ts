import { fromGlobalId, toGlobalId } from '../../src/graphql/relay';
import type { FeedbackSubmitInput, OrderRecordInput } from '../generated/graphql';
import { expectNoLeak, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';
import { codes, daysAgo, recordOrder } from '../order/order.documents';
import { FeedbackSubmit } from './feedback.documents';

describe('feedbackSubmit', () => {
  let server: TestServer;
  let customer: Awaited<ReturnType<typeof insertCustomer>>; // owned by the agent
  let otherCustomer: Awaited<ReturnType<typeof insertCustomer>>; // owned by the other agent

  beforeAll(async () => {
    server = await startTestServer();
    customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    otherCustomer = await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent });
    for (const who of ['admin', 'agent', 'otherAgent'] as const) await server.token(who);
  });
  afterAll(() => server.close());

  const order = (overrides: Partial<OrderRecordInput> = {}, owner = customer) =>
    recordOrder(server, owner.globalId, { placedAt: daysAgo(3), ...overrides });
  const submit = (orderId: string, input: Partial<FeedbackSubmitInput> = {}, who: StaffKey = 'admin') =>
    server.gql(FeedbackSubmit, { orderId, input: { customerId: customer.globalId, rating: 4, ...input } }, who);

  it('records PENDING feedback, notifies staff through the outbox and writes an audit entry', async () => {
    const { id } = await order();
    const res = await submit(id, { rating: 5, comment: '  Quick delivery, great fit.  ' }, 'agent');

    expect(res.data!.feedbackSubmit.userErrors).toEqual([]);
    const feedback = res.data!.feedbackSubmit.feedback!;
    expect(feedback).toMatchObject({
      rating: 5,
      comment: 'Quick delivery, great fit.',
      status: 'PENDING',
      order: { id, feedback: { rating: 5 } },
      customer: { id: customer.globalId },
    });

    const orderRow = await server.db.prisma.order.findUniqueOrThrow({
      where: { id: fromGlobalId(id, 'Order')!.id },
      include: { feedback: true },
    });
    // Only this order's: other tests of the file submit feedback too, in any order.
    const notifications = (
      await server.db.prisma.notification.findMany({ where: { type: 'FEEDBACK_RECEIVED' } })
    ).filter((n) => (n.payload as { orderId: string }).orderId === orderRow.id);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      customerId: null, // addressed to staff
      status: 'PENDING',
      payload: {
        feedbackId: orderRow.feedback!.id,
        orderId: orderRow.id,
        orderNumber: orderRow.number,
        customerId: customer.id,
        rating: 5,
      },
    });
    const audit = await server.db.prisma.auditEntry.findMany({
      where: { entityType: 'Feedback', entityId: orderRow.feedback!.id },
    });
    expect(audit.map((a) => [a.action, a.entityId, a.actorId, a.changedFields])).toEqual([
      ['feedback.submit', orderRow.feedback!.id, server.staffIds.agent, ['rating', 'comment']],
    ]);
  });

  it('the 7 days run from delivery when the order was delivered', async () => {
    const { id } = await order({ status: 'DELIVERED', placedAt: daysAgo(20), deliveredAt: daysAgo(6.9) });
    expect((await submit(id)).data!.feedbackSubmit.userErrors).toEqual([]);
  });

  /** Sends feedbackSubmit and asserts exactly `expected` user errors and an untouched database. */
  async function refused(
    orderId: string,
    input: Partial<FeedbackSubmitInput>,
    expected: { code: string; field: string[] }[],
    who: StaffKey = 'admin',
  ) {
    const res = await unchanged(server.db, () => submit(orderId, input, who));
    expect(res.errors).toBeUndefined();
    expect(res.data!.feedbackSubmit.feedback).toBeNull();
    expect(codes(res.data!.feedbackSubmit.userErrors)).toEqual(expected);
    expect(res.data!.feedbackSubmit.userErrors.every((e) => e.message.length > 0)).toBe(true);
    expectNoLeak(res);
    return res.data!.feedbackSubmit.userErrors;
  }

  it.each([0, 6, -1, 100])(
    'a rating of %d is a VALIDATION error on input.rating and writes nothing',
    async (rating) => {
      const { id } = await order();
      await refused(id, { rating }, [{ code: 'VALIDATION', field: ['input', 'rating'] }]);
    },
  );

  it('a comment over 2,000 characters is a VALIDATION error on input.comment', async () => {
    const { id } = await order();
    await refused(id, { comment: 'x'.repeat(2001) }, [{ code: 'VALIDATION', field: ['input', 'comment'] }]);
  });

  it('a second feedback for an order is DUPLICATE and writes nothing', async () => {
    const { id } = await order();
    expect((await submit(id, { rating: 3 })).data!.feedbackSubmit.userErrors).toEqual([]);
    await refused(id, { rating: 1 }, [{ code: 'DUPLICATE', field: ['orderId'] }]);
  });

  it("an order that is not the customer's is a VALIDATION error on input.customerId and writes nothing", async () => {
    const { id } = await order({}, otherCustomer);
    await refused(id, { customerId: customer.globalId }, [{ code: 'VALIDATION', field: ['input', 'customerId'] }]);
  });

  it('an unknown or malformed order ID is NOT_FOUND on orderId', async () => {
    await refused(toGlobalId('Order', '00000000-0000-0000-0000-000000000000'), {}, [
      { code: 'NOT_FOUND', field: ['orderId'] },
    ]);
    await refused(customer.globalId, {}, [{ code: 'NOT_FOUND', field: ['orderId'] }]); // a Customer ID is not an Order ID
  });

  it("an order of another agent's customer is NOT_FOUND to an agent", async () => {
    const { id } = await order({}, otherCustomer);
    await refused(id, { customerId: otherCustomer.globalId }, [{ code: 'NOT_FOUND', field: ['orderId'] }], 'agent');
  });

  it('8 days after placement (not delivered) is WINDOW_CLOSED and writes nothing', async () => {
    const { id } = await order({ placedAt: daysAgo(8) });
    const [error] = await refused(id, {}, [{ code: 'WINDOW_CLOSED', field: ['orderId'] }]);
    expect(error.message).toMatch(/7 days after the order/);
  });

  it('8 days after delivery is WINDOW_CLOSED and writes nothing', async () => {
    const { id } = await order({ status: 'COMPLETED', placedAt: daysAgo(10), deliveredAt: daysAgo(8) });
    const [error] = await refused(id, {}, [{ code: 'WINDOW_CLOSED', field: ['orderId'] }]);
    expect(error.message).toMatch(/7 days after delivery/);
  });
});

// Feedback writes at the same time, on PostgreSQL only (test/helpers/concurrency.ts): "one per
// order" is decided by the unique index on feedback.order_id, review steps by the row lock.
import { fromGlobalId } from '../../src/graphql/relay';
import type { FeedbackStatus } from '../../src/generated/prisma/enums';
import { FeedbackService } from '../../src/modules/feedback/feedback.service';
import { describeConcurrency } from '../helpers/concurrency';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { daysAgo, recordOrder } from '../order/order.documents';
import { FeedbackChangeStatus, FeedbackSubmit } from './feedback.documents';
import { insertFeedback } from './feedback.seed';

describeConcurrency('feedback at the same time', () => {
  let server: TestServer;
  let customer: Awaited<ReturnType<typeof insertCustomer>>;

  beforeAll(async () => {
    server = await startTestServer();
    customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    await server.token('admin');
  });
  afterAll(() => server.close());

  const order = () => recordOrder(server, customer.globalId, { placedAt: daysAgo(3) });
  const feedbackReceived = async (orderId: string) =>
    (await server.db.prisma.notification.findMany({ where: { type: 'FEEDBACK_RECEIVED' } })).filter(
      (n) => (n.payload as { orderId: string }).orderId === orderId,
    );

  it('6 submissions for one order at once: exactly one is recorded, the others are DUPLICATE', async () => {
    const { id } = await order();
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 1].map((rating) =>
        server.gql(FeedbackSubmit, { orderId: id, input: { customerId: customer.globalId, rating } }),
      ),
    );
    const outcomes = results
      .map((r) => r.data!.feedbackSubmit.userErrors.map((e) => `${e.code} ${e.field!.join('.')}`).join() || 'ok')
      .sort();
    expect(outcomes).toEqual([
      'DUPLICATE orderId',
      'DUPLICATE orderId',
      'DUPLICATE orderId',
      'DUPLICATE orderId',
      'DUPLICATE orderId',
      'ok',
    ]);
    const orderId = fromGlobalId(id, 'Order')!.id;
    expect(await server.db.prisma.feedback.count({ where: { orderId } })).toBe(1);
    expect(await feedbackReceived(orderId)).toHaveLength(1);
  });

  it('when submissions race past the check, the unique index decides and the losers get DUPLICATE', async () => {
    // Straight through the service, without HTTP to stagger them: most of these pass the
    // "already has feedback?" check together and are refused by the unique index.
    const orderId = fromGlobalId((await order()).id, 'Order')!.id;
    const service = new FeedbackService(server.db.prisma);
    const actor = { id: server.staffIds.admin, role: 'ADMIN' as const, email: 'admin@test.local', name: 'Ada Admin' };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => service.submit(actor, orderId, { customerId: customer.id, rating: 2 })),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.flatMap((r) =>
      r.status === 'rejected' ? [(r.reason as { issues: unknown[] }).issues] : [],
    );
    expect(refusals).toEqual(
      Array.from({ length: 9 }, () => [
        { code: 'DUPLICATE', field: ['orderId'], message: 'This order already has feedback' },
      ]),
    );
    expect(await server.db.prisma.feedback.count({ where: { orderId } })).toBe(1);
    expect(await feedbackReceived(orderId)).toHaveLength(1);
  });

  it('two reviewers at once: the steps apply one after the other', async () => {
    const feedback = await insertFeedback(server.db, customer.id);
    const change = (status: FeedbackStatus) =>
      server.gql(FeedbackChangeStatus, { id: feedback.globalId, input: { status } });
    const [reviewed, rejected] = await Promise.all([change('REVIEWED'), change('REJECTED')]);
    const [first, second] = [reviewed, rejected].map(
      (r) => r.data!.feedbackChangeStatus.userErrors.map((e) => e.code).join() || 'ok',
    );
    // Either PENDING → REVIEWED → REJECTED (both succeed), or PENDING → REJECTED and then REVIEWED is refused.
    expect(second).toBe('ok');
    expect(['ok', 'INVALID_TRANSITION']).toContain(first);
    expect((await server.db.prisma.feedback.findUniqueOrThrow({ where: { id: feedback.id } })).status).toBe('REJECTED');
    expect(await server.db.prisma.auditEntry.count({ where: { entityId: feedback.id } })).toBe(first === 'ok' ? 2 : 1);
  });
});

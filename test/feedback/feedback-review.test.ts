import type { FeedbackStatus } from '../../src/generated/prisma/enums';
import { toGlobalId } from '../../src/graphql/relay';
import { expectNoLeak, expectTopLevelError, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';
import { codes } from '../order/order.documents';
import { FeedbackChangeStatus } from './feedback.documents';
import { insertFeedback } from './feedback.seed';

describe('feedbackChangeStatus', () => {
  let server: TestServer;
  let customerId: string; // owned by the agent
  let otherCustomerId: string; // owned by the other agent

  beforeAll(async () => {
    server = await startTestServer();
    customerId = (await insertCustomer(server.db, { ownerId: server.staffIds.agent })).id;
    otherCustomerId = (await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent })).id;
    for (const who of ['admin', 'agent', 'otherAgent', 'analyst'] as const) await server.token(who);
  });
  afterAll(() => server.close());

  const change = (id: string, status: FeedbackStatus, who: StaffKey = 'admin') =>
    server.gql(FeedbackChangeStatus, { id, input: { status } }, who);

  it('moves PENDING → REVIEWED → RESOLVED, with an audit entry for each step', async () => {
    const feedback = await insertFeedback(server.db, customerId);
    for (const status of ['REVIEWED', 'RESOLVED'] as const) {
      const res = await change(feedback.globalId, status, 'agent');
      expect(res.data!.feedbackChangeStatus).toEqual({ feedback: { id: feedback.globalId, status }, userErrors: [] });
    }
    const audit = await server.db.prisma.auditEntry.findMany({
      where: { entityType: 'Feedback', entityId: feedback.id },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['feedback.status.PENDING->REVIEWED', server.staffIds.agent],
      ['feedback.status.REVIEWED->RESOLVED', server.staffIds.agent],
    ]);
  });

  it.each<FeedbackStatus>(['PENDING', 'REVIEWED'])('rejects from %s', async (from) => {
    const feedback = await insertFeedback(server.db, customerId, { status: from });
    expect((await change(feedback.globalId, 'REJECTED')).data!.feedbackChangeStatus.feedback).toEqual({
      id: feedback.globalId,
      status: 'REJECTED',
    });
  });

  it('setting the current status again succeeds and changes nothing', async () => {
    const feedback = await insertFeedback(server.db, customerId, { status: 'REVIEWED' });
    const res = await unchanged(server.db, () => change(feedback.globalId, 'REVIEWED'));
    expect(res.data!.feedbackChangeStatus).toEqual({
      feedback: { id: feedback.globalId, status: 'REVIEWED' },
      userErrors: [],
    });
  });

  /** Sends feedbackChangeStatus and asserts exactly `expected` user errors and an untouched database. */
  async function refused(
    id: string,
    status: FeedbackStatus,
    expected: { code: string; field: string[] }[],
    who: StaffKey = 'admin',
  ) {
    const res = await unchanged(server.db, () => change(id, status, who));
    expect(res.errors).toBeUndefined();
    expect(res.data!.feedbackChangeStatus.feedback).toBeNull();
    expect(codes(res.data!.feedbackChangeStatus.userErrors)).toEqual(expected);
    expect(res.data!.feedbackChangeStatus.userErrors[0].message.length).toBeGreaterThan(0);
    expectNoLeak(res);
  }

  it.each<[FeedbackStatus, FeedbackStatus]>([
    ['PENDING', 'RESOLVED'],
    ['REVIEWED', 'PENDING'],
    ['RESOLVED', 'REVIEWED'],
    ['RESOLVED', 'REJECTED'],
    ['REJECTED', 'PENDING'],
    ['REJECTED', 'RESOLVED'],
  ])('%s → %s is INVALID_TRANSITION and writes nothing', async (from, to) => {
    const feedback = await insertFeedback(server.db, customerId, { status: from });
    await refused(feedback.globalId, to, [{ code: 'INVALID_TRANSITION', field: ['input', 'status'] }]);
  });

  it("unknown feedback, or another agent's customer's feedback, is NOT_FOUND", async () => {
    const feedback = await insertFeedback(server.db, otherCustomerId);
    await refused(feedback.globalId, 'REVIEWED', [{ code: 'NOT_FOUND', field: ['id'] }], 'agent');
    await refused(toGlobalId('Feedback', '00000000-0000-0000-0000-000000000000'), 'REVIEWED', [
      { code: 'NOT_FOUND', field: ['id'] },
    ]);
    await refused('bogus', 'REVIEWED', [{ code: 'NOT_FOUND', field: ['id'] }]);
  });

  it('an analyst may not review feedback (FORBIDDEN) and writes nothing', async () => {
    const feedback = await insertFeedback(server.db, customerId);
    const res = await unchanged(server.db, () => change(feedback.globalId, 'REVIEWED', 'analyst'));
    expectTopLevelError(res, 200, 'FORBIDDEN');
  });
});

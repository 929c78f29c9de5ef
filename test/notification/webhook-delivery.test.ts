// Webhook delivery end to end against REAL local HTTP receivers (node:http on random ports):
// signed POSTs, retries with exponential backoff against a receiver that fails and recovers,
// timeouts, dead letters after N attempts, and the delivery log read through the API.
import { fromGlobalId, toGlobalId } from '../../src/graphql/relay';
import { verifySignature } from '../../src/modules/notification/notification.rules';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { deactivate, dispatcher, plus, soon, subscribe } from './notification.helpers';
import { startReceiver, type Receiver } from './receiver';

let server: TestServer;
const receivers: Receiver[] = [];
beforeAll(async () => {
  server = await startTestServer();
  await server.token('admin');
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await server.close();
});

const receiver = async (behaviour: Parameters<typeof startReceiver>[0]) => {
  const r = await startReceiver(behaviour);
  receivers.push(r);
  return r;
};

async function notify(type: 'POLICY_CANCELLED' | 'CLAIM_STATUS_CHANGED' | 'WELCOME' = 'POLICY_CANCELLED') {
  const customer = await insertCustomer(server.db);
  return server.db.prisma.notification.create({
    data: { type, customerId: customer.id, payload: { policyNumber: 'P-000001', reason: 'moved abroad' } },
  });
}

const deliveryOf = (notificationId: string, subscriptionId: string) =>
  server.db.prisma.webhookDelivery.findUniqueOrThrow({
    where: { subscriptionId_notificationId: { notificationId, subscriptionId: fromGlobalId(subscriptionId)!.id } },
  });

const LOG = `query Log($filter: WebhookDeliveryFilter) {
  webhookDeliveries(first: 20, filter: $filter) {
    totalCount
    edges { node { attempt outcome statusCode error durationMs attemptedAt subscription { id url } notification { id type status } } }
  }
}`;
type LogEntry = {
  attempt: number;
  outcome: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  subscription: { id: string };
  notification: { id: string; type: string };
};
async function log(subscriptionId: string): Promise<LogEntry[]> {
  const res = await server.post({ query: LOG, variables: { filter: { subscriptionId } } }, 'admin');
  expect(res.errors).toBeUndefined();
  return (res.data as { webhookDeliveries: { edges: { node: LogEntry }[] } }).webhookDeliveries.edges
    .map((e) => e.node)
    .reverse(); // oldest first
}

describe('webhook delivery', () => {
  it('retries a failing receiver with exponential backoff until it recovers; every POST is signed and logged', async () => {
    const hook = await receiver((n) => (n <= 2 ? 500 : 204));
    const { id: subscriptionId, secret } = await subscribe(server, hook.url, ['POLICY_CANCELLED']);
    const notification = await notify();
    const run = dispatcher(server, { config: { maxAttempts: 5, baseDelayMs: 1_000 } });

    const t0 = soon();
    await run(t0);
    expect(hook.received).toHaveLength(1);
    let delivery = await deliveryOf(notification.id, subscriptionId);
    expect({ status: delivery.status, attempts: delivery.attempts }).toEqual({ status: 'FAILED', attempts: 1 });
    expect(delivery.nextAttemptAt.getTime()).toBe(t0.getTime() + 1_000);

    await run(plus(t0, 999)); // backoff: not due yet
    expect(hook.received).toHaveLength(1);
    await run(plus(t0, 1_000));
    expect(hook.received).toHaveLength(2);
    delivery = await deliveryOf(notification.id, subscriptionId);
    expect(delivery.nextAttemptAt.getTime()).toBe(t0.getTime() + 1_000 + 2_000); // doubled

    await run(plus(t0, 2_999));
    expect(hook.received).toHaveLength(2);
    await run(plus(t0, 3_000));
    expect(hook.received).toHaveLength(3);
    delivery = await deliveryOf(notification.id, subscriptionId);
    expect({ status: delivery.status, attempts: delivery.attempts }).toEqual({ status: 'SENT', attempts: 3 });

    await run(plus(t0, 3_600_000)); // delivered: never again
    expect(hook.received).toHaveLength(3);

    // What the receiver got: the same envelope each time, signed over "<t>.<body>", verifiable with the secret.
    const globalId = toGlobalId('Notification', notification.id);
    for (const [i, request] of hook.received.entries()) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-webhook-id']).toBe(globalId);
      expect(request.headers['x-webhook-attempt']).toBe(String(i + 1));
      const header = request.headers['x-signature'] as string;
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifySignature(secret, header, request.body, Math.floor(Date.now() / 1000))).toBe(true);
      expect(verifySignature(`${secret}x`, header, request.body, Math.floor(Date.now() / 1000))).toBe(false);
      expect(verifySignature(secret, header, `${request.body} `, Math.floor(Date.now() / 1000))).toBe(false);
      // Replayed ten minutes later, it is refused.
      expect(verifySignature(secret, header, request.body, Math.floor(Date.now() / 1000) + 600)).toBe(false);
      expect(JSON.parse(request.body)).toEqual({
        id: globalId,
        type: 'POLICY_CANCELLED',
        time: notification.createdAt.toISOString(),
        customerId: toGlobalId('Customer', notification.customerId!),
        payload: { policyNumber: 'P-000001', reason: 'moved abroad' },
      });
    }
    expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);

    const entries = await log(subscriptionId);
    expect(entries.map((e) => [e.attempt, e.outcome, e.statusCode, e.error])).toEqual([
      [1, 'FAILED', 500, 'HTTP 500'],
      [2, 'FAILED', 500, 'HTTP 500'],
      [3, 'SENT', 204, null],
    ]);
    for (const e of entries) {
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
      expect(e.subscription.id).toBe(subscriptionId);
      expect(e.notification).toEqual({ id: globalId, type: 'POLICY_CANCELLED', status: 'SENT' });
    }
    await deactivate(server, subscriptionId);
  });

  it('dead-letters a delivery after N failed attempts and stops trying', async () => {
    const hook = await receiver(() => 503);
    const { id: subscriptionId } = await subscribe(server, hook.url, ['POLICY_CANCELLED']);
    const notification = await notify();
    const run = dispatcher(server, { config: { maxAttempts: 3, baseDelayMs: 1_000 } });
    const t0 = soon();
    await run(t0);
    await run(plus(t0, 1_000));
    await run(plus(t0, 3_000));
    expect(hook.received).toHaveLength(3);
    const delivery = await deliveryOf(notification.id, subscriptionId);
    expect({ status: delivery.status, attempts: delivery.attempts }).toEqual({ status: 'DEAD', attempts: 3 });
    await run(plus(t0, 86_400_000));
    expect(hook.received).toHaveLength(3);
    expect((await log(subscriptionId)).map((e) => [e.attempt, e.outcome, e.statusCode])).toEqual([
      [1, 'FAILED', 503],
      [2, 'FAILED', 503],
      [3, 'DEAD', 503],
    ]);
    // The notification's own message was delivered: the webhook's dead letter is its own.
    expect((await server.db.prisma.notification.findUniqueOrThrow({ where: { id: notification.id } })).status).toBe(
      'SENT',
    );
    await deactivate(server, subscriptionId);
  });

  it('a receiver that does not answer times out, and is retried until it answers', async () => {
    const hook = await receiver((n) => (n === 1 ? 'hang' : 200));
    const { id: subscriptionId } = await subscribe(server, hook.url, ['CLAIM_STATUS_CHANGED']);
    const notification = await notify('CLAIM_STATUS_CHANGED');
    const run = dispatcher(server, { config: { webhookTimeoutMs: 300, baseDelayMs: 1_000 } });
    const t0 = soon();
    const started = Date.now();
    await run(t0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await run(plus(t0, 1_000));
    const entries = await log(subscriptionId);
    expect(entries.map((e) => [e.attempt, e.outcome, e.statusCode, e.error])).toEqual([
      [1, 'FAILED', null, 'timed out'],
      [2, 'SENT', 200, null],
    ]);
    expect(entries[0].durationMs).toBeGreaterThanOrEqual(250);
    expect((await deliveryOf(notification.id, subscriptionId)).status).toBe('SENT');
    await deactivate(server, subscriptionId);
  });

  it('a receiver that is down (connection refused) is retried; only subscribed types are sent; inactive subscriptions get nothing', async () => {
    const down = await receiver(() => 200);
    await down.close(); // nothing listens on its port any more
    const { id: downId } = await subscribe(server, down.url, ['WELCOME']);
    const other = await receiver(() => 200);
    const { id: otherId } = await subscribe(server, other.url, ['CLAIM_STATUS_CHANGED']);
    const paused = await receiver(() => 200);
    const { id: pausedId } = await subscribe(server, paused.url, ['WELCOME']);
    await deactivate(server, pausedId);

    const notification = await notify('WELCOME');
    await dispatcher(server)(soon());
    const [entry] = await log(downId);
    expect([entry.outcome, entry.statusCode]).toEqual(['FAILED', null]);
    expect(entry.error).toMatch(/ECONNREFUSED|connect|fetch failed/i);
    expect(other.received).toHaveLength(0);
    expect(paused.received).toHaveLength(0);
    expect(await log(otherId)).toEqual([]);
    expect((await deliveryOf(notification.id, downId)).status).toBe('FAILED');
    await deactivate(server, downId);
    await deactivate(server, otherId);
  });

  it('a notification written by a real mutation reaches its subscriber', async () => {
    const hook = await receiver(() => 200);
    const { id: subscriptionId, secret } = await subscribe(server, hook.url, ['WELCOME']);
    const res = await server.post(
      {
        query: `mutation C($input: CustomerCreateInput!) { customerCreate(input: $input) { customer { id customerNumber } userErrors { code } } }`,
        variables: {
          input: {
            firstName: 'Web',
            lastName: 'Hook',
            email: `webhook-${Date.now()}@example.com`,
            consent: { dataProcessing: true },
          },
        },
      },
      'admin',
    );
    expect(res.errors).toBeUndefined();
    const created = (res.data as { customerCreate: { customer: { id: string; customerNumber: string } } })
      .customerCreate.customer;
    await dispatcher(server)(soon());
    expect(hook.received).toHaveLength(1);
    const body = JSON.parse(hook.received[0].body);
    expect(body).toMatchObject({
      type: 'WELCOME',
      customerId: created.id,
      payload: { customerNumber: Number(created.customerNumber.replace('C-', '')) },
    }); // the outbox keeps the number itself
    expect(
      verifySignature(
        secret,
        hook.received[0].headers['x-signature'] as string,
        hook.received[0].body,
        (Date.now() / 1000) | 0,
      ),
    ).toBe(true);
    await deactivate(server, subscriptionId);
  });
});

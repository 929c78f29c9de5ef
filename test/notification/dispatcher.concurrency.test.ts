// Two dispatchers at once on PostgreSQL, each with its own connection pool (as two instances
// would be): every notification's message and every webhook delivery goes out exactly once.
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, type Database } from '../../src/db/client';
import { deliverPendingNotifications } from '../../src/modules/notification/notification.dispatcher';
import { describeConcurrency } from '../helpers/concurrency';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { recordingTransport, silent, soon, subscribe, TEST_DELIVERY } from './notification.helpers';
import { startReceiver, type Receiver } from './receiver';

describeConcurrency('two dispatchers at once', () => {
  let server: TestServer;
  let second: Database;
  let hook: Receiver;
  beforeAll(async () => {
    server = await startTestServer();
    second = await openDatabase({ url: server.db.url, poolSize: 5 });
    hook = await startReceiver(() => 200);
  });
  afterAll(async () => {
    await hook.close();
    await second.close();
    await server.close();
  });

  it('deliver each of 120 notifications once (message and webhook), sharing the work', async () => {
    await subscribe(server, hook.url, ['WELCOME']);
    const customers = await Promise.all([1, 2, 3].map(() => insertCustomer(server.db)));
    await server.db.prisma.notification.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        type: 'WELCOME' as const,
        customerId: customers[i % 3].id,
        payload: { n: i },
      })),
    });
    const ids = (await server.db.prisma.notification.findMany({ select: { id: true } })).map((n) => n.id);

    // A slow transport keeps claims overlapping in time.
    const slow = () => {
      const recorder = recordingTransport();
      const send = recorder.transport.send;
      recorder.transport.send = async (message) => {
        await sleep(2);
        return send(message);
      };
      return recorder;
    };
    const a = slow();
    const b = slow();
    const now = soon();
    const run = (db: Database, transport: ReturnType<typeof slow>['transport']) =>
      deliverPendingNotifications({
        prisma: db.prisma,
        logger: silent,
        transports: { email: transport, sms: transport },
        config: { ...TEST_DELIVERY, batchSize: 5, webhookTimeoutMs: 20_000 },
        now,
      });
    const [ra, rb] = await Promise.all([run(server.db, a.transport), run(second, b.transport)]);

    const sent = [...a.sent, ...b.sent].map((m) => m.notificationId).sort();
    expect(sent).toEqual([...ids].sort());
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    const failures = await server.db.prisma.webhookDeliveryAttempt.groupBy({
      by: ['error'],
      where: { outcome: { not: 'SENT' } },
      _count: { _all: true },
    });
    expect(failures).toEqual([]);
    expect(ra.errors + rb.errors).toBe(0);
    expect(ra.items + rb.items).toBe(240); // 120 messages + 120 webhook deliveries

    const posted = hook.received.map((r) => r.headers['x-webhook-id'] as string);
    expect(posted).toHaveLength(120);
    expect(new Set(posted).size).toBe(120);

    const statuses = await server.db.prisma.notification.groupBy({
      by: ['status', 'attempts'],
      _count: { _all: true },
    });
    expect(statuses.map((s) => [s.status, s.attempts, s._count._all])).toEqual([['SENT', 1, 120]]);
    const deliveries = await server.db.prisma.webhookDelivery.groupBy({
      by: ['status', 'attempts'],
      _count: { _all: true },
    });
    expect(deliveries.map((s) => [s.status, s.attempts, s._count._all])).toEqual([['SENT', 1, 120]]);
    expect(await server.db.prisma.webhookDeliveryAttempt.count()).toBe(120);
  });
});

// The dispatcher's message part (e-mail/SMS through a transport) and its claims: who gets what,
// retries and dead letters, and a crashed dispatcher's lease taken over.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTransports } from '../../src/modules/notification/notification.transports';
import { deliverPendingNotifications } from '../../src/modules/notification/notification.dispatcher';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { dispatcher, plus, recordingTransport, soon, TEST_DELIVERY } from './notification.helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const statusOf = (id: string) => server.db.prisma.notification.findUniqueOrThrow({ where: { id } });

async function customerNotification(
  type: 'WELCOME' | 'TIER_UPGRADED' | 'POLICY_CANCELLED',
  customer: {
    prefChannel?: 'EMAIL' | 'SMS' | 'PHONE' | 'POST';
    marketingConsent?: boolean;
    phone?: string | null;
  } = {},
  channel: 'EMAIL' | 'SMS' | 'PHONE' | 'POST' | null = null,
) {
  const c = await insertCustomer(server.db);
  await server.db.prisma.customer.update({ where: { id: c.id }, data: customer });
  const n = await server.db.prisma.notification.create({
    data: { type, customerId: c.id, channel, payload: { customerNumber: c.number } },
  });
  return { customer: c, notification: n };
}

describe('messages to customers', () => {
  it('sends e-mail and SMS to the right address, and skips what the rules refuse', async () => {
    const { transport, sent } = recordingTransport();
    const email = await customerNotification('WELCOME');
    const sms = await customerNotification('POLICY_CANCELLED', { prefChannel: 'SMS' });
    const override = await customerNotification('WELCOME', { prefChannel: 'SMS' }, 'EMAIL');
    const phone = await customerNotification('WELCOME', { prefChannel: 'PHONE' });
    const noConsent = await customerNotification('TIER_UPGRADED', { marketingConsent: false });
    const consent = await customerNotification('TIER_UPGRADED', { marketingConsent: true });
    const noPhone = await customerNotification('WELCOME', { phone: null }, 'SMS');

    await dispatcher(server, { transport })(soon());

    const to = (id: string) => sent.filter((m) => m.notificationId === id).map((m) => m.to);
    expect(to(email.notification.id)).toEqual([email.customer.email]);
    expect(to(sms.notification.id)).toEqual(['+14155550123']);
    expect(to(override.notification.id)).toEqual([override.customer.email]);
    expect(to(consent.notification.id)).toEqual([consent.customer.email]);
    for (const skipped of [phone, noConsent, noPhone]) expect(to(skipped.notification.id)).toEqual([]);
    expect(sent.find((m) => m.notificationId === email.notification.id)).toMatchObject({
      type: 'WELCOME',
      subject: 'Welcome',
      text: expect.stringContaining(`customerNumber: ${email.customer.number}`),
    });

    const outcome = async (n: { notification: { id: string } }) => {
      const row = await statusOf(n.notification.id);
      return [row.status, row.lastError, row.sentAt !== null];
    };
    expect(await outcome(email)).toEqual(['SENT', null, true]);
    expect(await outcome(sms)).toEqual(['SENT', null, true]);
    expect(await outcome(phone)).toEqual(['SKIPPED', 'channel PHONE is not sent electronically', false]);
    expect(await outcome(noConsent)).toEqual(['SKIPPED', 'no marketing consent', false]);
    expect(await outcome(noPhone)).toEqual(['SKIPPED', 'no phone number for SMS', false]);
  });

  it('retries a failing transport with backoff and dead-letters after N attempts', async () => {
    const flaky = recordingTransport((n) => n === 1);
    const { notification: recovers } = await customerNotification('WELCOME');
    const t0 = soon();
    await dispatcher(server, { transport: flaky.transport })(t0);
    let row = await statusOf(recovers.id);
    expect([row.status, row.attempts, row.lastError, row.nextAttemptAt.getTime()]).toEqual([
      'FAILED',
      1,
      'mailbox unavailable',
      t0.getTime() + TEST_DELIVERY.baseDelayMs,
    ]);
    await dispatcher(server, { transport: flaky.transport })(plus(t0, TEST_DELIVERY.baseDelayMs));
    row = await statusOf(recovers.id);
    expect([row.status, row.attempts, row.lastError]).toEqual(['SENT', 2, null]);

    const broken = recordingTransport(() => true);
    const { notification: dies } = await customerNotification('WELCOME');
    const t1 = soon();
    const run = dispatcher(server, { transport: broken.transport, config: { maxAttempts: 3 } });
    const first = await run(t1);
    expect(first.errors).toBeGreaterThanOrEqual(1);
    await run(plus(t1, 1_000));
    await run(plus(t1, 3_000));
    row = await statusOf(dies.id);
    expect([row.status, row.attempts]).toEqual(['DEAD', 3]);
    const calls = broken.calls();
    await run(plus(t1, 86_400_000));
    expect(broken.calls()).toBe(calls);
  });

  it('a dispatcher that died holding a claim: its rows are taken over when the lease expires, not before', async () => {
    const { transport, sent } = recordingTransport();
    const { notification } = await customerNotification('WELCOME');
    const t0 = soon();
    // What a dispatcher that crashed after claiming leaves behind.
    await server.db.prisma.notification.update({
      where: { id: notification.id },
      data: { status: 'SENDING', attempts: 1, leaseToken: randomUUID(), leaseExpiresAt: plus(t0, 10_000) },
    });
    await dispatcher(server, { transport })(plus(t0, 9_999));
    expect((await statusOf(notification.id)).status).toBe('SENDING');
    expect(sent.filter((m) => m.notificationId === notification.id)).toEqual([]);
    await dispatcher(server, { transport })(plus(t0, 10_000));
    const row = await statusOf(notification.id);
    expect([row.status, row.attempts, row.leaseToken, row.leaseExpiresAt]).toEqual(['SENT', 2, null, null]);
    expect(sent.filter((m) => m.notificationId === notification.id)).toHaveLength(1);
  });

  it('a claim left by a dispatcher that died on the last attempt is dead-lettered without another try', async () => {
    const { transport, sent } = recordingTransport();
    const { notification } = await customerNotification('WELCOME');
    const t0 = soon();
    await server.db.prisma.notification.update({
      where: { id: notification.id },
      data: { status: 'SENDING', attempts: TEST_DELIVERY.maxAttempts, leaseToken: randomUUID(), leaseExpiresAt: t0 },
    });
    await dispatcher(server, { transport })(t0);
    const row = await statusOf(notification.id);
    expect([row.status, row.lastError]).toEqual(['DEAD', 'lease expired during the last attempt']);
    expect(sent.filter((m) => m.notificationId === notification.id)).toEqual([]);
  });

  it('staff notifications go to the staff address when one is configured', async () => {
    const { transport, sent } = recordingTransport();
    const n = await server.db.prisma.notification.create({
      data: { type: 'FEEDBACK_RECEIVED', customerId: null, payload: { rating: 2 } },
    });
    await dispatcher(server, { transport, config: { staffEmail: 'service-desk@example.com' } })(soon());
    expect(sent.filter((m) => m.notificationId === n.id).map((m) => m.to)).toEqual(['service-desk@example.com']);
    expect((await statusOf(n.id)).status).toBe('SENT');
  });

  it('the default logging transport logs one line with the recipient masked and no text', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const { customer, notification } = await customerNotification('WELCOME');
    const result = await deliverPendingNotifications({
      prisma: server.db.prisma,
      logger,
      transports: createTransports({ mailFrom: 'no-reply@example.com' }, logger),
      config: TEST_DELIVERY,
      now: soon(),
    });
    expect(result.items).toBeGreaterThanOrEqual(1);
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.notificationId === notification.id);
    expect(line).toMatchObject({ type: 'WELCOME', channel: 'EMAIL', to: `${customer.email[0]}***@example.com` });
    expect(lines.join('\n')).not.toContain(customer.email);
    expect(lines.join('\n')).not.toContain('customerNumber'); // no message text
  });
});

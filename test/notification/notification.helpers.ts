// Shared set-up of the notification tests: a dispatcher with a recording transport and a clock
// the test moves, and webhook subscriptions made through the API.
import pino from 'pino';
import type { NotificationType } from '../../src/generated/prisma/enums';
import {
  deliverPendingNotifications,
  type NotificationDeliveryConfig,
} from '../../src/modules/notification/notification.dispatcher';
import type { MessageTransport, OutgoingMessage } from '../../src/modules/notification/notification.transports';
import type { TestServer } from '../helpers/server';

export const silent = pino({ level: 'silent' });

export const TEST_DELIVERY: NotificationDeliveryConfig = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  leaseMs: 30_000,
  webhookTimeoutMs: 2_000,
  staffEmail: null,
};

/** A transport that records what it sends, and fails while `failing` says so. */
export function recordingTransport(failing: (n: number) => boolean = () => false) {
  const sent: OutgoingMessage[] = [];
  let calls = 0;
  const transport: MessageTransport = {
    async send(message) {
      calls += 1;
      if (failing(calls)) throw new Error('mailbox unavailable');
      sent.push(message);
    },
  };
  return { transport, sent, calls: () => calls };
}

/** A dispatcher run on `server`'s database at `now`, with the given transport and settings. */
export function dispatcher(
  server: TestServer,
  options: { transport?: MessageTransport; config?: Partial<NotificationDeliveryConfig> } = {},
) {
  const transport = options.transport ?? recordingTransport().transport;
  return (now: Date) =>
    deliverPendingNotifications({
      prisma: server.db.prisma,
      logger: silent,
      transports: { email: transport, sms: transport },
      config: { ...TEST_DELIVERY, ...options.config },
      now,
    });
}

const CREATE = `mutation Create($input: WebhookSubscriptionCreateInput!) {
  webhookSubscriptionCreate(input: $input) { subscription { id url eventTypes active } secret userErrors { code field message } }
}`;

export async function subscribe(server: TestServer, url: string, eventTypes: NotificationType[]) {
  const res = await server.post({ query: CREATE, variables: { input: { url, eventTypes } } }, 'admin');
  const result = (
    res.data as { webhookSubscriptionCreate: { subscription: { id: string }; secret: string; userErrors: unknown[] } }
  ).webhookSubscriptionCreate;
  expect(result.userErrors).toEqual([]);
  return { id: result.subscription.id, secret: result.secret };
}

export async function deactivate(server: TestServer, id: string) {
  const res = await server.post(
    {
      query: `mutation Off($id: ID!) { webhookSubscriptionUpdate(id: $id, input: { active: false }) { userErrors { code } } }`,
      variables: { id },
    },
    'admin',
  );
  expect(res.errors).toBeUndefined();
}

/** Later than anything the database's clock wrote so far: rows written now are due at this time. */
export const soon = () => new Date(Date.now() + 1_000);
export const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);

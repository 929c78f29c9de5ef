// Pure rules of notification delivery (table-tested in test/notification/notification.rules.test.ts):
// retry timing, who gets what on which channel, the webhook signature and what analysts see.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ContactChannel, CustomerStatus, NotificationType } from '../../generated/prisma/enums';

export interface RetryPolicy {
  /** Attempts before a delivery is dead-lettered (the first attempt counts). */
  maxAttempts: number;
  /** Delay after the first failed attempt; each further failure doubles it. */
  baseDelayMs: number;
  /** Longest delay between two attempts. */
  maxDelayMs: number;
}

/**
 * When to try again after `attempts` attempts have failed, or null when that was the last one
 * (dead letter). Exponential: base, 2×base, 4×base… capped at maxDelayMs; no jitter, since the
 * due time is a row in the database and dispatchers share the work through SKIP LOCKED anyway.
 */
export function nextAttemptAt(attempts: number, now: Date, policy: RetryPolicy): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const delay = Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
  return new Date(now.getTime() + delay);
}

/**
 * Types sent only to customers who accepted marketing: a tier upgrade is a loyalty-programme
 * promotion. Everything else is a service message about the customer's own contracts and data
 * (welcome, claims, policies, renewals) and is sent whatever the marketing consent.
 */
export const MARKETING_TYPES: ReadonlySet<NotificationType> = new Set<NotificationType>(['TIER_UPGRADED']);

export interface Recipient {
  status: CustomerStatus;
  email: string;
  phone: string | null;
  prefChannel: ContactChannel;
  marketingConsent: boolean;
}

/** Where the message of a notification goes, or why nothing is sent (status SKIPPED). */
export type MessageRoute =
  | { channel: 'EMAIL'; to: string }
  | { channel: 'SMS'; to: string }
  | { channel: null; skipped: string };

/**
 * The notification's own channel, else the customer's preferred one. PHONE and POST are not sent
 * electronically (staff call or write); a customer who is deleted, has no phone for SMS, or (for
 * marketing types) has no marketing consent gets nothing. Staff notifications (no customer) go to
 * the staff address when one is configured.
 */
export function messageRoute(
  type: NotificationType,
  channel: ContactChannel | null,
  recipient: Recipient | null,
  staffEmail: string | null,
): MessageRoute {
  if (!recipient)
    return staffEmail
      ? { channel: 'EMAIL', to: staffEmail }
      : { channel: null, skipped: 'no staff address configured' };
  if (recipient.status === 'DELETED') return { channel: null, skipped: 'customer deleted' };
  if (MARKETING_TYPES.has(type) && !recipient.marketingConsent)
    return { channel: null, skipped: 'no marketing consent' };
  const route = channel ?? recipient.prefChannel;
  if (route === 'EMAIL') return { channel: 'EMAIL', to: recipient.email };
  if (route === 'SMS')
    return recipient.phone
      ? { channel: 'SMS', to: recipient.phone }
      : { channel: null, skipped: 'no phone number for SMS' };
  return { channel: null, skipped: `channel ${route} is not sent electronically` };
}

const SUBJECTS: Record<NotificationType, string> = {
  WELCOME: 'Welcome',
  TIER_UPGRADED: 'Your loyalty tier was upgraded',
  FEEDBACK_RECEIVED: 'New customer feedback',
  POLICY_CANCELLED: 'Your policy was cancelled',
  RENEWAL_REMINDER: 'Your policy is due for renewal',
  CLAIM_STATUS_CHANGED: 'Your claim was updated',
};

/** Subject and plain text of a message: the type's subject and the payload's scalar fields. */
export function renderMessage(type: NotificationType, payload: unknown): { subject: string; text: string } {
  const lines =
    payload && typeof payload === 'object' && !Array.isArray(payload)
      ? Object.entries(payload)
          .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
          .map(([k, v]) => `${k}: ${String(v)}`)
      : [];
  const subject = SUBJECTS[type] ?? type;
  return { subject, text: [subject, '', ...lines].join('\n') };
}

// ── Webhook signature ──
export const SIGNATURE_HEADER = 'X-Signature';

/** Hex HMAC-SHA256 of `<timestamp>.<body>` under the subscription's secret. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The X-Signature header value: `t=<unix seconds>,v1=<hex>`. */
export const signatureHeader = (secret: string, timestamp: number, body: string) =>
  `t=${timestamp},v1=${signPayload(secret, timestamp, body)}`;

/**
 * What a receiver does (docs/notifications.md): parse t and v1, refuse a timestamp further than
 * `toleranceSeconds` from its clock (replay window), recompute and compare in constant time.
 */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (!header) return false;
  const parts = new Map(
    header.split(',').map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(v1)) return false;
  return timingSafeEqual(Buffer.from(v1, 'hex'), Buffer.from(signPayload(secret, t, body), 'hex'));
}

// ── Personal data in payloads ──
/**
 * Payload keys an analyst sees: statuses, tiers, ratings, kinds and times. Everything else
 * (customer/order/policy/claim numbers, ids, free-text reasons) is left out, and so is any key a
 * future notification adds until it is listed here.
 */
export const ANALYST_PAYLOAD_KEYS: ReadonlySet<string> = new Set([
  'from',
  'to',
  'rating',
  'policyType',
  'qualifyingPoints',
  'cancelledAt',
]);

export function maskPayload(payload: unknown): unknown {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return {};
  return Object.fromEntries(Object.entries(payload).filter(([key]) => ANALYST_PAYLOAD_KEYS.has(key)));
}

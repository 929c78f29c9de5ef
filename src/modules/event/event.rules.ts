// Validation of tracked events (pure): every check runs before SQL, and the properties JSON is
// walked with an explicit stack, bounded in depth and size, never recursively.
import type { Issue } from '../../shared/domain-error';

export const MAX_BATCH = 1000;
export const MAX_PROPERTIES_BYTES = 8 * 1024;
export const MAX_PROPERTIES_DEPTH = 5;
/** How far in the future a client clock may be and an event still be accepted. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
export const OLDEST_EVENT = new Date('2000-01-01T00:00:00Z');
export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface EventInput {
  eventId?: string | null;
  type: string;
  customer: { id?: string | null; customerNumber?: string | null; email?: string | null };
  properties?: unknown;
  occurredAt?: Date | null;
  sessionId?: string | null;
  device?: { [K in 'kind' | 'os' | 'browser' | 'model' | 'appVersion' | 'userAgent']?: string | null } | null;
}

/** How an event names its customer, after validation. */
export type CustomerRef =
  | { by: 'id'; value: string }
  | { by: 'number'; value: number }
  | { by: 'email'; value: string };

export interface CheckedEvent {
  eventId: string | null;
  type: string;
  customer: CustomerRef;
  /** Properties as JSON text (null when none). */
  data: string | null;
  /** The same properties as given (what a stored event reports back, without parsing `data`). */
  properties: unknown;
  occurredAt: Date;
  sessionId: string | null;
  device: string | null;
  /** The device parts given, as an object (null when none). */
  deviceParts: Record<string, string> | null;
}

/**
 * Walks a JSON value iteratively; returns a problem, or the value as JSON text (null when there
 * is none). The text is the one stored: measured and written once (a batch has 1,000 of them).
 */
export function propertiesJson(value: unknown): { problem: string | null; json: string | null } {
  if (value == null) return { problem: null, json: null };
  if (typeof value !== 'object' || Array.isArray(value)) return { problem: 'must be a JSON object', json: null };
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if ((nodes += 1) > 2_000) return { problem: 'has too many values', json: null };
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_PROPERTIES_DEPTH)
      return { problem: `is nested too deeply (at most ${MAX_PROPERTIES_DEPTH} levels)`, json: null };
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) stack.push({ v: child, depth: depth + 1 });
  }
  const json = JSON.stringify(value);
  // UTF-16 length ≥ UTF-8 length / 3: only long texts need the exact byte count.
  if (json.length * 3 > MAX_PROPERTIES_BYTES && Buffer.byteLength(json, 'utf8') > MAX_PROPERTIES_BYTES)
    return { problem: `must be at most ${MAX_PROPERTIES_BYTES} bytes as JSON`, json: null };
  return { problem: null, json };
}

const text = (v: string | null | undefined) => (v == null ? null : v.trim());

/**
 * Checks one event; `decodeCustomerId` turns a global Customer ID into a database id (or null).
 * Returns the checked event or the issues, with paths under `path`.
 */
export function checkEvent(
  input: EventInput,
  path: () => readonly string[],
  now: Date,
  decodeCustomerId: (id: string) => string | null,
): { event: CheckedEvent | null; issues: Issue[] } {
  const issues: Issue[] = [];
  // The path is built only for an event with an issue (a batch has 1,000 events).
  const bad = (field: string[], message: string, code: Issue['code'] = 'VALIDATION') =>
    issues.push({ code, field: [...path(), ...field], message });
  const type = input.type?.trim() ?? '';
  if (!EVENT_TYPE_PATTERN.test(type)) bad(['type'], 'must be 1–64 letters, digits or _ . : -');
  const eventId = text(input.eventId);
  if (eventId != null && (eventId.length < 1 || eventId.length > 100)) bad(['eventId'], 'must be 1–100 characters');
  const sessionId = text(input.sessionId);
  if (sessionId != null && (sessionId.length < 1 || sessionId.length > 100))
    bad(['sessionId'], 'must be 1–100 characters');

  let customer: CustomerRef | null = null;
  const c = input.customer ?? {};
  const given = (['id', 'customerNumber', 'email'] as const).filter((k) => c[k] != null);
  if (given.length !== 1) bad(['customer'], 'give exactly one of id, customerNumber, email');
  else if (c.id != null) {
    const id = decodeCustomerId(c.id);
    if (!id) bad(['customer', 'id'], 'Customer not found', 'NOT_FOUND');
    else customer = { by: 'id', value: id };
  } else if (c.customerNumber != null) {
    const m = /^C-(\d{1,9})$/i.exec(c.customerNumber.trim());
    if (!m) bad(['customer', 'customerNumber'], 'must look like C-000123');
    else customer = { by: 'number', value: Number(m[1]) };
  } else {
    const email = c.email!.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(email) || email.length > 254) bad(['customer', 'email'], 'is not an e-mail address');
    else customer = { by: 'email', value: email };
  }

  const occurredAt = input.occurredAt ?? now;
  if (Number.isNaN(occurredAt.getTime())) bad(['occurredAt'], 'is not a time');
  else if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS)
    bad(['occurredAt'], 'is in the future (more than 5 minutes ahead)');
  else if (occurredAt < OLDEST_EVENT) bad(['occurredAt'], 'is before 2000');

  const { problem, json } = propertiesJson(input.properties);
  if (problem) bad(['properties'], problem);
  let device: string | null = null;
  let deviceParts: Record<string, string> | null = null;
  if (input.device) {
    const entries = Object.entries(input.device).filter(([, v]) => v != null);
    for (const [key, v] of entries) if (String(v).length > 500) bad(['device', key], 'must be at most 500 characters');
    if (entries.length) {
      deviceParts = Object.fromEntries(entries) as Record<string, string>;
      device = JSON.stringify(deviceParts);
    }
  }
  if (issues.length > 0 || !customer) return { event: null, issues };
  return {
    event: {
      eventId,
      type,
      customer,
      data: json,
      properties: json == null ? null : input.properties,
      occurredAt,
      sessionId,
      device,
      deviceParts,
    },
    issues,
  };
}

import { NODE_TYPES, type NodeType, toGlobalId } from '../../graphql/global-id';

/** A row of domain_events as the publisher reads it. */
export interface StoredDomainEvent {
  eventId: string;
  action: string;
  customerId: string | null;
  entityType: string;
  entityId: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** The JSON document published for each event (docs/integrations.md). */
export interface DomainEventEnvelope {
  /** The event's id, also the JetStream message id (`Nats-Msg-Id`) that de-duplicates retries. */
  id: string;
  /** e.g. `customer.updated`, `order.completed`, `claim.status_changed`. */
  type: string;
  /** When the change committed its audit entry (ISO 8601, UTC). */
  time: string;
  /** Version of this envelope's shape. */
  version: 1;
  source: 'customer-api';
  /** Global ID of the customer the event belongs to (the ordering key), or null. */
  customerId: string | null;
  entity: { type: string; id: string | null };
  /** IDs, field names and states only: never personal data. */
  data: Record<string, unknown>;
}

// Past tense of the verbs the audit log uses, so subscribers read what happened.
const PAST: Record<string, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  erase: 'erased',
  anonymise: 'anonymised',
  archive: 'archived',
  renew: 'renewed',
  cancel: 'cancelled',
  submit: 'received',
  record: 'recorded',
  file: 'filed',
  earn: 'earned',
  redeem: 'redeemed',
  expire: 'expired',
  adjust: 'adjusted',
  upgrade: 'upgraded',
  downgrade: 'downgraded',
  set: 'set',
  recompute: 'recomputed',
  recalculate: 'recalculated',
  change: 'changed',
  clawback: 'clawed_back',
  joined: 'joined',
  left: 'left',
};

// Order statuses that are events of their own (what downstream systems act on).
const ORDER_OUTCOMES: Record<string, string> = {
  COMPLETED: 'order.completed',
  REFUNDED: 'order.refunded',
  CANCELLED: 'order.cancelled',
};

const STATUS_CHANGE = /^([A-Za-z]+)\.status\.([A-Z_]+)->([A-Z_]+)$/;

function snake(token: string): string {
  return token
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase();
}

/**
 * The published type of an audited action: `customer.update` → `customer.updated`,
 * `order.status.PENDING->COMPLETED` → `order.completed` (with from/to), other status moves →
 * `<entity>.status_changed`, `policy.premiumChange` → `policy.premium_changed`.
 */
export function eventTypeOf(action: string): { type: string; data: Record<string, string> } {
  const status = STATUS_CHANGE.exec(action);
  if (status) {
    const [, entity, from, to] = status;
    const outcome = entity === 'order' ? ORDER_OUTCOMES[to] : undefined;
    return { type: outcome ?? `${snake(entity)}.status_changed`, data: { from, to } };
  }
  const tokens = action.split('.').filter(Boolean);
  if (tokens.length === 0) return { type: 'unknown', data: {} };
  const last = tokens[tokens.length - 1];
  const changed = /^([a-z]+)Change$/.exec(last);
  const verb = changed ? `${snake(changed[1])}_changed` : (PAST[last] ?? snake(last));
  return { type: [...tokens.slice(0, -1).map(snake), verb].join('.'), data: {} };
}

/** NATS subject of a type: `<prefix>.<type>`; every token is [a-z0-9_], never a wildcard. */
export function subjectOf(prefix: string, type: string): string {
  return `${prefix}.${type}`;
}

function globalIdOr(type: string, id: string | null): string | null {
  if (id === null) return null;
  return (NODE_TYPES as readonly string[]).includes(type) ? toGlobalId(type as NodeType, id) : id;
}

export function envelopeOf(event: StoredDomainEvent): DomainEventEnvelope {
  const { type, data } = eventTypeOf(event.action);
  return {
    id: event.eventId,
    type,
    time: event.occurredAt.toISOString(),
    version: 1,
    source: 'customer-api',
    customerId: event.customerId ? toGlobalId('Customer', event.customerId) : null,
    entity: { type: event.entityType, id: globalIdOr(event.entityType, event.entityId) },
    data: { ...event.data, ...data },
  };
}

/**
 * Splits a batch (in write order) into per-customer queues, each still in write order: queues
 * publish concurrently, the events of one customer one after another, so a failure stops that
 * customer's queue and never lets a later event overtake an earlier one.
 */
export function queuesByCustomer<T extends { customerId: string | null }>(events: readonly T[]): T[][] {
  const queues = new Map<string, T[]>();
  for (const event of events) {
    const key = event.customerId ?? '';
    const queue = queues.get(key);
    if (queue) queue.push(event);
    else queues.set(key, [event]);
  }
  return [...queues.values()];
}

/** Wait before the next attempt after `failures` consecutive failures: 0.5 s doubling to 30 s. */
export function retryDelayMs(failures: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, Math.min(failures - 1, 10)));
}

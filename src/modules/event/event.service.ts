import { ownerScope, type Actor } from '../../auth/actor';
import type { PrismaClient } from '../../db/client';
import { DomainError, type Issue } from '../../shared/domain-error';
import { checkEvent, MAX_BATCH, type CheckedEvent, type CustomerRef, type EventInput } from './event.rules';

export interface TrackedEvent {
  id: string;
  customerId: string;
  type: string;
  data: unknown;
  occurredAt: Date;
  eventId: string | null;
  sessionId: string | null;
  device: unknown;
}

export interface TrackResult {
  /** The event as stored (for a duplicate: as sent, since the first one is already stored). */
  event: TrackedEvent | null;
  duplicate: boolean;
  issues: Issue[];
}

/**
 * Customer events: cheap, set-based writes. A batch is validated item by item before SQL; the
 * valid items go in ONE statement that claims their client event ids (ON CONFLICT DO NOTHING
 * makes retries no-ops), inserts the events and moves the customers' last activity forward.
 */
export class EventService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly decodeCustomerId: (globalId: string) => string | null,
  ) {}

  /**
   * One event: ONE small statement (no arrays to unnest, one customer probe by the reference
   * given) that resolves the customer within the actor's visibility, claims the client event id,
   * inserts the event and moves the customer's last activity forward.
   */
  async track(actor: Actor, input: EventInput, now = new Date()): Promise<TrackResult> {
    const { event, issues } = checkEvent(input, () => ['input'], now, this.decodeCustomerId);
    if (!event) throw new DomainError(issues);
    const { by, value } = event.customer;
    const match = by === 'id' ? 'c.id = $1::uuid' : by === 'number' ? 'c.number = $1::int' : 'c.email = $1::text';
    const [row] = await this.prisma.$queryRawUnsafe<
      { customer_id: string | null; restricted: boolean; id: string | null }[]
    >(
      `WITH found AS (
         SELECT c.id, c.data_processing_consent_at IS NOT NULL AS allowed FROM customers c
         WHERE ${match} AND c.status <> 'DELETED' AND ($2::uuid IS NULL OR c.owner_id = $2::uuid)),
       -- A customer who withdrew consent to data processing is found but not tracked (docs/privacy.md).
       target AS (SELECT id FROM found WHERE allowed),
       claimed AS (
         INSERT INTO customer_event_keys (event_id, customer_id) SELECT $3::text, t.id FROM target t WHERE $3::text IS NOT NULL
         ON CONFLICT DO NOTHING RETURNING event_id),
       stored AS (
         INSERT INTO customer_events (customer_id, type, data, occurred_at, event_id, session_id, device)
         SELECT t.id, $4::text, $5::jsonb, $6::timestamptz, $3::text, $7::text, $8::jsonb FROM target t
         WHERE $3::text IS NULL OR EXISTS (SELECT 1 FROM claimed)
         RETURNING id, customer_id),
       touched AS (
         UPDATE customers c SET last_activity_at = $6::timestamptz FROM stored s
         WHERE c.id = s.customer_id AND (c.last_activity_at IS NULL OR c.last_activity_at < $6::timestamptz))
       SELECT (SELECT id::text FROM target) AS customer_id, EXISTS (SELECT 1 FROM found WHERE NOT allowed) AS restricted,
              (SELECT id::text FROM stored) AS id`,
      value,
      ownerScope(actor) ?? null,
      event.eventId,
      event.type,
      event.data,
      event.occurredAt.toISOString(),
      event.sessionId,
      event.device,
    );
    if (!row?.customer_id) {
      const field = ['input', 'customer', by === 'number' ? 'customerNumber' : by];
      if (row?.restricted)
        throw new DomainError('CONSENT_REQUIRED', 'The customer withdrew consent to data processing', field);
      throw new DomainError('NOT_FOUND', 'Customer not found', field);
    }
    return { event: this.stored(event, row.customer_id, row.id), duplicate: row.id == null, issues: [] };
  }

  private stored(event: CheckedEvent, customerId: string, id: string | null): TrackedEvent {
    return {
      id: id ?? '',
      customerId,
      type: event.type,
      data: event.properties,
      occurredAt: event.occurredAt,
      eventId: event.eventId,
      sessionId: event.sessionId,
      device: event.deviceParts,
    };
  }

  async trackBatch(actor: Actor, inputs: EventInput[], now = new Date()): Promise<TrackResult[]> {
    if (inputs.length === 0 || inputs.length > MAX_BATCH)
      throw new DomainError('LIMIT_EXCEEDED', `give 1 to ${MAX_BATCH} events`, ['events']);
    return this.trackMany(actor, inputs, null, now);
  }

  private async trackMany(
    actor: Actor,
    inputs: EventInput[],
    rootPath: string[] | null,
    now: Date,
  ): Promise<TrackResult[]> {
    const results: TrackResult[] = [];
    const pathOf = (i: number) => rootPath ?? ['events', String(i)];
    const checked: (CheckedEvent | null)[] = inputs.map((input, i) => {
      const { event, issues } = checkEvent(input, () => pathOf(i), now, this.decodeCustomerId);
      results.push({ event: null, duplicate: false, issues });
      return event;
    });

    const valid = checked.flatMap((event, index) => (event ? [{ index, event }] : []));
    if (valid.length === 0) return results;
    const ref = (e: CheckedEvent, by: CustomerRef['by']) => (e.customer.by === by ? e.customer.value : null);
    // ONE statement: resolve each customer reference within the actor's visibility, claim the
    // first occurrence of each client event id (a retry or a repeat in the batch claims nothing),
    // insert the claimed and id-less events, and move the customers' last activity forward.
    const rows = await this.prisma.$queryRawUnsafe<
      { ord: number; customer_id: string | null; restricted: boolean; id: string | null }[]
    >(
      `WITH raw AS (
         SELECT * FROM unnest($1::int[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::text[])
           AS t(ord, ref_id, ref_number, ref_email, type, data, occurred_at, event_id, session_id, device)),
       input AS MATERIALIZED (
         -- Each reference is one plain unique-index probe (an OR of the three would be a bitmap
         -- union per item); visibility as for every read: not deleted, and the agent's own. A
         -- customer who withdrew consent to data processing is found but not tracked (docs/privacy.md).
         SELECT r.*, CASE WHEN c.data_processing_consent_at IS NOT NULL THEN c.id END AS customer_id,
                c.id IS NOT NULL AND c.data_processing_consent_at IS NULL AS restricted
         FROM raw r
         LEFT JOIN customers c ON c.id = coalesce(r.ref_id, (SELECT n.id FROM customers n WHERE n.number = r.ref_number),
                                                  (SELECT m.id FROM customers m WHERE m.email = r.ref_email))
           AND c.status <> 'DELETED' AND ($11::uuid IS NULL OR c.owner_id = $11::uuid)),
       firsts AS (
         SELECT DISTINCT ON (event_id) event_id, ord, customer_id FROM input
         WHERE event_id IS NOT NULL AND customer_id IS NOT NULL ORDER BY event_id, ord),
       claimed AS (
         INSERT INTO customer_event_keys (event_id, customer_id) SELECT event_id, customer_id FROM firsts
         ON CONFLICT DO NOTHING RETURNING event_id),
       fresh AS MATERIALIZED (
         -- Ids drawn here (once per row) tie each stored event back to its batch item.
         SELECT i.*, nextval('customer_events_id_seq') AS id FROM input i
         WHERE i.customer_id IS NOT NULL AND (i.event_id IS NULL OR i.ord IN (SELECT f.ord FROM firsts f JOIN claimed k USING (event_id)))),
       stored AS (
         INSERT INTO customer_events (id, customer_id, type, data, occurred_at, event_id, session_id, device)
         SELECT id, customer_id, type, data::jsonb, occurred_at, event_id, session_id, device::jsonb FROM fresh),
       latest AS (SELECT customer_id, max(occurred_at) AS at FROM fresh GROUP BY customer_id),
       locked AS (
         -- Lock in id order, so concurrent batches touching the same customers cannot deadlock.
         SELECT c.id, l.at FROM customers c JOIN latest l ON l.customer_id = c.id
         WHERE c.last_activity_at IS NULL OR c.last_activity_at < l.at
         ORDER BY c.id FOR UPDATE OF c),
       touched AS (
         UPDATE customers c SET last_activity_at = k.at FROM locked k WHERE c.id = k.id AND (c.last_activity_at IS NULL OR c.last_activity_at < k.at))
       SELECT i.ord, i.customer_id::text AS customer_id, i.restricted, f.id::text AS id FROM input i LEFT JOIN fresh f USING (ord)`,
      valid.map((v) => v.index),
      valid.map((v) => ref(v.event, 'id')),
      valid.map((v) => ref(v.event, 'number')),
      valid.map((v) => ref(v.event, 'email')),
      valid.map((v) => v.event.type),
      valid.map((v) => v.event.data),
      valid.map((v) => v.event.occurredAt.toISOString()),
      valid.map((v) => v.event.eventId),
      valid.map((v) => v.event.sessionId),
      valid.map((v) => v.event.device),
      ownerScope(actor) ?? null,
    );
    const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
    for (const { index, event } of valid) {
      const row = byOrd.get(index);
      if (!row?.customer_id) {
        const field = [
          ...pathOf(index),
          'customer',
          event.customer.by === 'number' ? 'customerNumber' : event.customer.by,
        ];
        results[index].issues.push(
          row?.restricted
            ? { code: 'CONSENT_REQUIRED', field, message: 'The customer withdrew consent to data processing' }
            : { code: 'NOT_FOUND', field, message: 'Customer not found' },
        );
        continue;
      }
      results[index].duplicate = row.id == null;
      results[index].event = this.stored(event, row.customer_id, row.id);
    }
    return results;
  }

  /** Creates the monthly event partitions from last month to three months ahead (idempotent). */
  async ensurePartitions(): Promise<void> {
    await this.prisma.$queryRawUnsafe(
      `SELECT customer_events_ensure_partitions((date_trunc('month', now()) - interval '1 month')::date, 5)`,
    );
  }
}

import { ownerScope, type Actor } from '../../auth/actor';
import type { Database } from '../../db/client';
import { DomainError, type Issue } from '../../shared/domain-error';
import { checkEvent, MAX_BATCH, type CheckedEvent, type EventInput } from './event.rules';

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
    /** Statements go through the pool directly (db.read), not Prisma's raw-query path: see trackMany. */
    private readonly db: Pick<Database, 'read'>,
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
    const [row] = await this.db.read<{ customer_id: string | null; restricted: boolean; id: string | null }>(
      `WITH found AS (
         SELECT c.id, c.data_processing_consent_at IS NOT NULL AS allowed FROM customers c
         WHERE ${match} AND c.status <> 'DELETED' AND ($2::uuid IS NULL OR c.owner_id = $2::uuid)),
       -- A customer who withdrew consent to data processing is found but not tracked (docs/privacy.md).
       -- The lock stands in for a foreign key (see trackMany) and is the one the update takes anyway.
       target AS (
         SELECT c.id FROM customers c
         WHERE c.id = (SELECT id FROM found WHERE allowed) AND c.status <> 'DELETED'
           AND c.data_processing_consent_at IS NOT NULL AND ($2::uuid IS NULL OR c.owner_id = $2::uuid)
         FOR NO KEY UPDATE OF c),
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
      [
        value,
        ownerScope(actor) ?? null,
        event.eventId,
        event.type,
        event.data,
        event.occurredAt.toISOString(),
        event.sessionId,
        event.device,
      ],
      `event_track_by_${by}`,
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
    // The batch goes as ONE JSON text (one native JSON.stringify; PostgreSQL's json_to_recordset
    // parses it in C), not as ten arrays that the driver would escape element by element in JS.
    const items = valid.map(({ index, event }) => ({
      ord: index,
      ref_id: event.customer.by === 'id' ? event.customer.value : null,
      ref_number: event.customer.by === 'number' ? event.customer.value : null,
      ref_email: event.customer.by === 'email' ? event.customer.value : null,
      type: event.type,
      data: event.data,
      occurred_at: event.occurredAt.toISOString(),
      event_id: event.eventId,
      session_id: event.sessionId,
      device: event.device,
    }));
    // ONE statement, planned for each batch: a prepared statement's generic plan cannot see the
    // batch's size, misjudged the CTEs at a few rows and joined the claimed ids by a nested loop
    // (1,000 × 1,000 comparisons, ~0.6 s); planning it with the values costs ~1 ms. It does:
    // resolve each customer reference within the actor's visibility, lock those customers, claim
    // the first occurrence of each client event id (a retry or a repeat in the batch claims
    // nothing), insert the claimed and id-less events, and move the customers' last activity
    // forward, once per customer and only where it is newer.
    const rows = await this.db.read<{
      ord: number;
      customer_id: string | null;
      restricted: boolean;
      id: string | null;
    }>(
      `WITH input AS MATERIALIZED (
         -- A reference by id needs no lookup here (the lock below finds the row); a number or an
         -- e-mail is one plain unique-index probe (an OR of the three would be a bitmap union).
         SELECT t.*, coalesce(t.ref_id, (SELECT n.id FROM customers n WHERE n.number = t.ref_number),
                              (SELECT m.id FROM customers m WHERE m.email = t.ref_email)) AS ref
         FROM json_to_recordset($1::json)
           AS t(ord int, ref_id uuid, ref_number int, ref_email text, type text, data text, occurred_at timestamptz, event_id text, session_id text, device text)),
       locked AS MATERIALIZED (
         -- Each visible customer once (not deleted, and the agent's own), in id order (concurrent
         -- batches cannot deadlock), with the lock the last-activity update takes anyway: one probe
         -- per customer for both. It stands in for foreign keys on the events and keys (one check
         -- per event): a customer being deleted waits for this batch, and one deleted meanwhile is
         -- not locked, so nothing is stored for it (the conditions are re-checked on the row as
         -- locked). A customer who withdrew consent to data processing is found but not tracked
         -- (docs/privacy.md). Migration 20261126083500_event_ingest_customer_lock.
         SELECT c.id, c.data_processing_consent_at IS NOT NULL AS allowed FROM customers c
         WHERE c.id IN (SELECT ref FROM input) AND c.status <> 'DELETED' AND ($2::uuid IS NULL OR c.owner_id = $2::uuid)
         ORDER BY c.id FOR NO KEY UPDATE OF c),
       target AS MATERIALIZED (
         SELECT i.*, l.id AS customer_id FROM input i JOIN locked l ON l.id = i.ref WHERE l.allowed),
       firsts AS (
         SELECT DISTINCT ON (event_id) event_id, ord, customer_id FROM target
         WHERE event_id IS NOT NULL ORDER BY event_id, ord),
       claimed AS (
         INSERT INTO customer_event_keys (event_id, customer_id) SELECT event_id, customer_id FROM firsts
         ON CONFLICT DO NOTHING RETURNING event_id),
       fresh AS MATERIALIZED (
         -- Ids drawn here (once per row) tie each stored event back to its batch item.
         SELECT t.*, nextval('customer_events_id_seq') AS id FROM target t
         WHERE t.event_id IS NULL OR t.ord IN (SELECT f.ord FROM firsts f JOIN claimed k USING (event_id))),
       stored AS (
         INSERT INTO customer_events (id, customer_id, type, data, occurred_at, event_id, session_id, device)
         SELECT id, customer_id, type, data::jsonb, occurred_at, event_id, session_id, device::jsonb FROM fresh),
       latest AS (SELECT customer_id, max(occurred_at) AS at FROM fresh GROUP BY customer_id),
       touched AS (
         -- The rows are this statement's own locks already: no wait, no lock order to keep.
         UPDATE customers c SET last_activity_at = l.at FROM latest l
         WHERE c.id = l.customer_id AND (c.last_activity_at IS NULL OR c.last_activity_at < l.at))
       SELECT i.ord, t.customer_id::text AS customer_id, coalesce(NOT l.allowed, false) AS restricted, f.id::text AS id
       FROM input i LEFT JOIN locked l ON l.id = i.ref LEFT JOIN target t USING (ord) LEFT JOIN fresh f USING (ord)`,
      [JSON.stringify(items), ownerScope(actor) ?? null],
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
    await this.db.read(
      `SELECT customer_events_ensure_partitions((date_trunc('month', now()) - interval '1 month')::date, 5)`,
      [],
    );
  }
}

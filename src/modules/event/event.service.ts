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

const refKey = (r: CustomerRef) => `${r.by}:${r.value}`;

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

  async track(actor: Actor, input: EventInput, now = new Date()): Promise<TrackResult> {
    const [result] = await this.trackMany(actor, [input], ['input'], now);
    if (result.issues.length > 0) throw new DomainError(result.issues);
    return result;
  }

  async trackBatch(actor: Actor, inputs: EventInput[], now = new Date()): Promise<TrackResult[]> {
    if (inputs.length === 0 || inputs.length > MAX_BATCH) throw new DomainError('LIMIT_EXCEEDED', `give 1 to ${MAX_BATCH} events`, ['events']);
    return this.trackMany(actor, inputs, null, now);
  }

  private async trackMany(actor: Actor, inputs: EventInput[], rootPath: string[] | null, now: Date): Promise<TrackResult[]> {
    const results: TrackResult[] = [];
    const checked: (CheckedEvent | null)[] = inputs.map((input, i) => {
      const { event, issues } = checkEvent(input, rootPath ?? ['events', String(i)], now, this.decodeCustomerId);
      results.push({ event: null, duplicate: false, issues });
      return event;
    });

    // Resolve every customer reference in one statement, within the actor's visibility.
    const refs = checked.filter((e): e is CheckedEvent => e != null).map((e) => e.customer);
    const customers = refs.length ? await this.resolveCustomers(refs, ownerScope(actor)) : new Map<string, string>();
    const seenIds = new Set<string>();
    const rows: { index: number; event: CheckedEvent; customerId: string }[] = [];
    checked.forEach((event, index) => {
      if (!event) return;
      const customerId = customers.get(refKey(event.customer));
      if (!customerId) {
        const field = [...(rootPath ?? ['events', String(index)]), 'customer', event.customer.by === 'number' ? 'customerNumber' : event.customer.by];
        results[index].issues.push({ code: 'NOT_FOUND', field, message: 'Customer not found' });
      } else if (event.eventId && seenIds.has(event.eventId)) {
        results[index].duplicate = true; // the same id twice in one batch: the first one counts
      } else {
        if (event.eventId) seenIds.add(event.eventId);
        rows.push({ index, event, customerId });
      }
    });
    if (rows.length === 0) return results;

    const inserted = await this.prisma.$queryRawUnsafe<{ ord: number; id: string }[]>(
      `WITH input AS (
         SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
           AS t(ord, customer_id, type, data, occurred_at, event_id, session_id, device)),
       claimed AS (
         INSERT INTO customer_event_keys (event_id, customer_id)
         SELECT event_id, customer_id FROM input WHERE event_id IS NOT NULL
         ON CONFLICT DO NOTHING RETURNING event_id),
       fresh AS MATERIALIZED (
         -- Ids drawn here (once per row) tie each stored event back to its batch item.
         SELECT i.*, nextval('customer_events_id_seq') AS id FROM input i WHERE i.event_id IS NULL OR i.event_id IN (SELECT event_id FROM claimed)),
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
       SELECT ord, id::text AS id FROM fresh`,
      rows.map((r) => r.index),
      rows.map((r) => r.customerId),
      rows.map((r) => r.event.type),
      rows.map((r) => r.event.data),
      rows.map((r) => r.event.occurredAt.toISOString()),
      rows.map((r) => r.event.eventId),
      rows.map((r) => r.event.sessionId),
      rows.map((r) => r.event.device),
    );
    const idByOrd = new Map<number, string>();
    for (const row of inserted) idByOrd.set(Number(row.ord), row.id);
    for (const { index, event, customerId } of rows) {
      const id = idByOrd.get(index);
      results[index].duplicate = id == null;
      results[index].event = {
        id: id ?? '',
        customerId,
        type: event.type,
        data: event.data == null ? null : JSON.parse(event.data),
        occurredAt: event.occurredAt,
        eventId: event.eventId,
        sessionId: event.sessionId,
        device: event.device == null ? null : JSON.parse(event.device),
      };
    }
    return results;
  }

  /** Creates the monthly event partitions from last month to three months ahead (idempotent). */
  async ensurePartitions(): Promise<void> {
    await this.prisma.$queryRawUnsafe(`SELECT customer_events_ensure_partitions((date_trunc('month', now()) - interval '1 month')::date, 5)`);
  }

  /** Maps each reference (id / number / e-mail) to a customer id the actor may see. */
  private async resolveCustomers(refs: CustomerRef[], ownerId: string | undefined): Promise<Map<string, string>> {
    const ids = [...new Set(refs.filter((r) => r.by === 'id').map((r) => String(r.value)))];
    const numbers = [...new Set(refs.filter((r) => r.by === 'number').map((r) => Number(r.value)))];
    const emails = [...new Set(refs.filter((r) => r.by === 'email').map((r) => String(r.value)))];
    const rows = await this.prisma.$queryRawUnsafe<{ id: string; number: number; email: string }[]>(
      `SELECT id::text AS id, number, email FROM customers
       WHERE (id = ANY($1::uuid[]) OR number = ANY($2::int[]) OR email = ANY($3::text[])) AND status <> 'DELETED'
         AND ($4::uuid IS NULL OR owner_id = $4::uuid)`,
      ids,
      numbers,
      emails,
      ownerId ?? null,
    );
    const map = new Map<string, string>();
    for (const row of rows) {
      map.set(`id:${row.id}`, row.id);
      map.set(`number:${Number(row.number)}`, row.id);
      map.set(`email:${row.email}`, row.id);
    }
    return map;
  }
}

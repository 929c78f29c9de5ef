import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client';
import type { Logger } from '../../logger';
import { envelopeOf, queuesByCustomer, retryDelayMs, type StoredDomainEvent, subjectOf } from './domain-event.rules';
import { connectJetStream, type JetStreamLink } from './nats.link';
import { recordEventPublished } from '../../observability/metrics';

export interface DomainEventPublisherOptions {
  /** NATS server(s), e.g. nats://127.0.0.1:4222. */
  url: string;
  /** JetStream stream, created (or its subjects updated) on first connect. */
  stream: string;
  /** Subject prefix: events go to `<prefix>.<type>`, the stream takes `<prefix>.>`. */
  subjectPrefix: string;
  /** Events read and published per round. */
  batchSize?: number;
  /** Pause when there is nothing to publish. */
  idleMs?: number;
  /** How long one instance's publishing lease lasts without renewal. */
  leaseMs?: number;
  /** Published events are deleted after this many days (0: never). */
  retentionDays?: number;
  /** false: no background loop, rounds only through publishOnce (tests). */
  autoRun?: boolean;
  /** Test hook: runs after a batch is acknowledged by JetStream and before it is marked published. */
  afterPublish?: (eventIds: string[]) => Promise<void>;
}

export interface DomainEventPublisher {
  /** Publishes one round if this instance holds the lease; returns the number marked published. */
  publishOnce(): Promise<number>;
  /** Stops the loop (waits for the round in progress), releases the lease, closes the connection. */
  stop(): Promise<void>;
}

interface Row {
  id: string;
  event_id: string;
  action: string;
  customer_id: string | null;
  entity_type: string;
  entity_id: string | null;
  data: Record<string, unknown>;
  occurred_at: Date | string;
}

const RELAY = 'nats';

/**
 * The relay from the domain_events outbox to NATS JetStream. Capture is switched on in the
 * database (every instance's triggers write events from then on); one instance at a time holds
 * the publishing lease and publishes in write order; each message carries its event id as
 * `Nats-Msg-Id`, so a batch re-published after a crash (published, not yet marked) is dropped by
 * JetStream's duplicate window. NATS being down only delays events: they wait in the table.
 */
export async function startDomainEventPublisher(
  db: Database,
  options: DomainEventPublisherOptions,
  logger: Logger,
): Promise<DomainEventPublisher> {
  const instance = randomUUID();
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 250;
  const leaseMs = options.leaseMs ?? 30_000;
  const retentionDays = options.retentionDays ?? 7;
  await db.sql.query(
    `INSERT INTO domain_event_relays (name, enabled) VALUES ($1, true) ON CONFLICT (name) DO UPDATE SET enabled = true`,
    [RELAY],
  );

  let link: JetStreamLink | null = null;
  let stopped = false;
  let failures = 0;
  let rounds = 0;

  const holdLease = async () =>
    (
      await db.sql.query(
        `UPDATE domain_event_relays SET locked_by = $1, locked_until = now() + make_interval(secs => $2::float8 / 1000)
          WHERE name = $3 AND (locked_by = $1 OR locked_until IS NULL OR locked_until < now()) RETURNING name`,
        [instance, leaseMs, RELAY],
      )
    ).length === 1;

  const publishOnce = async (): Promise<number> => {
    if (!(await holdLease())) return 0;
    // ORDER BY the column, not the text it is selected as ('13' sorts before '9').
    const rows = await db.sql.query<Row>(
      `SELECT id::text, event_id, action, customer_id, entity_type, entity_id, data, occurred_at
         FROM domain_events WHERE published_at IS NULL ORDER BY domain_events.id LIMIT $1`,
      [batchSize],
    );
    if (rows.length === 0) return 0;
    link ??= await connectJetStream(options.url, options.stream, `${options.subjectPrefix}.>`, logger);
    const current = link;
    const published: Row[] = [];
    let firstError: unknown = null;
    await Promise.all(
      queuesByCustomer(rows.map((row) => ({ ...row, customerId: row.customer_id }))).map(async (queue) => {
        for (const row of queue) {
          const envelope = envelopeOf(toStored(row));
          try {
            await current.publish(subjectOf(options.subjectPrefix, envelope.type), envelope, envelope.id);
            published.push(row);
            recordEventPublished(envelope.type);
          } catch (error) {
            recordEventPublished(envelope.type, 'failed');
            firstError ??= error;
            return; // this customer's later events wait for the next round, in order
          }
        }
      }),
    );
    if (published.length > 0) {
      await options.afterPublish?.(published.map((row) => row.event_id));
      await db.sql.query(`UPDATE domain_events SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        published.map((row) => row.id),
      ]);
    }
    if (firstError) throw firstError;
    return published.length;
  };

  const cleanUp = async () => {
    if (retentionDays <= 0) return;
    await db.sql.query(
      `DELETE FROM domain_events WHERE id IN (
         SELECT id FROM domain_events WHERE published_at < now() - make_interval(days => $1) ORDER BY published_at LIMIT 10000)`,
      [retentionDays],
    );
  };

  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    while (!stopped && options.autoRun !== false) {
      try {
        const count = await publishOnce();
        if (failures > 0) logger.info({ after: failures }, 'domain events flow to NATS again');
        failures = 0;
        if (++rounds % 1000 === 0) await cleanUp();
        if (count < batchSize) await sleep(idleMs);
      } catch (err) {
        failures += 1;
        if (failures === 1 || failures % 20 === 0)
          logger.warn({ err, failures }, 'publishing domain events failed; they wait in the outbox');
        await sleep(retryDelayMs(failures));
      }
    }
  })();

  return {
    publishOnce,
    async stop() {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
      await db.sql
        .query(
          `UPDATE domain_event_relays SET locked_by = NULL, locked_until = NULL WHERE name = $1 AND locked_by = $2`,
          [RELAY, instance],
        )
        .catch(() => undefined);
      await link?.close();
    },
  };
}

function toStored(row: Row): StoredDomainEvent {
  return {
    eventId: row.event_id,
    action: row.action,
    customerId: row.customer_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    data: row.data ?? {},
    occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(row.occurred_at),
  };
}

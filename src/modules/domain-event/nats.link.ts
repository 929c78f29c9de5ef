import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Logger } from '../../logger';

/** The little of NATS the publisher needs: publish with a message id and wait for the stream's ack. */
export interface JetStreamLink {
  publish(subject: string, body: unknown, messageId: string): Promise<void>;
  close(): Promise<void>;
}

// JetStream drops a message whose Nats-Msg-Id it has seen within this window: long enough to
// cover a publisher that crashed between publishing and marking (its lease runs out first).
const DUPLICATE_WINDOW_NS = 10 * 60 * 1e9;

/**
 * Connects (failing fast when NATS is unreachable: the caller retries with backoff, and events
 * wait in the outbox) and makes sure the stream exists and takes the subjects.
 */
export async function connectJetStream(
  servers: string,
  stream: string,
  subjects: string,
  logger: Logger,
): Promise<JetStreamLink> {
  const connection = await connect({
    servers,
    name: 'customer-api domain events',
    timeout: 3_000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
  });
  try {
    const manager = await jetstreamManager(connection);
    const info = await manager.streams.info(stream).catch(() => null);
    if (!info) {
      await manager.streams.add({ name: stream, subjects: [subjects], duplicate_window: DUPLICATE_WINDOW_NS });
      logger.info({ stream, subjects }, 'JetStream stream created');
    } else if (!info.config.subjects?.includes(subjects)) {
      await manager.streams.update(stream, { subjects: [...(info.config.subjects ?? []), subjects] });
    }
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  const js = jetstream(connection, { timeout: 5_000 });
  return {
    async publish(subject, body, messageId) {
      await js.publish(subject, JSON.stringify(body), { msgID: messageId });
    },
    async close() {
      await connection.drain().catch(() => connection.close());
    },
  };
}

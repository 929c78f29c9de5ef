// LISTEN/NOTIFY for caches that every instance must drop at the same moment (e.g. staff records
// when a user is deactivated). A NOTIFY sent inside a transaction is delivered at its commit.
import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';

export interface Subscription {
  /** True while notifications are being received; a cache must not trust itself otherwise. */
  readonly live: boolean;
  close(): Promise<void>;
}

export interface SubscribeOptions {
  onNotify(payload: string): void;
  /** Called when notifications may have been missed (connection lost): drop everything cached. */
  onGap(): void;
}

export type Subscribe = (channel: string, options: SubscribeOptions) => Promise<Subscription>;

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** PostgreSQL: one dedicated connection per channel, reconnected (with a gap reported) when it drops. */
export function pgSubscribe(connectionString: string): Subscribe {
  return async (channel, options) => {
    if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
    let client: Client | null = null;
    let live = false;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;

    const connect = async (): Promise<void> => {
      const next = new Client({ connectionString });
      next.on('notification', (message) => message.channel === channel && options.onNotify(message.payload ?? ''));
      next.on('error', () => lost());
      next.on('end', () => lost());
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      client = next;
      live = true;
      options.onGap(); // anything cached before this moment may have missed a change
    };
    const lost = () => {
      if (!live && client === null) return;
      live = false;
      const old = client;
      client = null;
      options.onGap();
      void old?.end().catch(() => undefined);
      if (!closed) scheduleRetry(250);
    };
    const scheduleRetry = (ms: number) => {
      retry = setTimeout(() => {
        connect().catch(() => !closed && scheduleRetry(Math.min(ms * 2, 10_000)));
      }, ms);
      retry.unref();
    };

    // A database that is down at start is like one lost later: not live (nothing cached is trusted)
    // until a retry connects, so the server can start and answer 503 meanwhile.
    await connect().catch(() => scheduleRetry(250));
    return {
      get live() {
        return live;
      },
      async close() {
        closed = true;
        live = false;
        clearTimeout(retry);
        const old = client;
        client = null;
        await old?.end().catch(() => undefined);
      },
    };
  };
}

/** PGlite: one process owns the database, so its own listen() sees every change. */
export function pgliteSubscribe(pglite: PGlite): Subscribe {
  return async (channel, options) => {
    if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
    const unlisten = await pglite.listen(channel, (payload) => options.onNotify(payload));
    let live = true;
    return {
      get live() {
        return live;
      },
      async close() {
        live = false;
        await unlisten();
      },
    };
  };
}

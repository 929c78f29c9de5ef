// PostgreSQL wire-protocol access to the embedded database of a running server, so that psql,
// Prisma Studio and `npm run db:seed` can use it while the server runs (PGlite allows one process).
//
// PGlite is a single session. @electric-sql/pglite-socket's own multiplexer runs each client
// message under PGlite's query mutex only, so a socket client's message could land in the middle
// of one of the server's transactions, between another client's Parse and Sync, or the server's
// queries inside a socket client's open transaction. This gate instead gives the session to one
// socket client at a time, holding PGlite's transaction mutex (which the server's own queries and
// transactions take) from that client's first message until the session is idle again: no open
// transaction block and no unfinished extended-protocol sequence.
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

// Frontend messages after which the session is back to idle unless a transaction block is open:
// Sync, simple Query, FunctionCall, Terminate; untyped startup/SSL/cancel packets start with 0.
const ENDS_SEQUENCE = new Set(['S', 'Q', 'F', 'X']);

/** PGlite internals used by the gate (present on PGlite, absent from its public typings). */
interface PGliteSession {
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

class SessionGate {
  private readonly queue: Pending[] = [];
  private running = false;
  /** The socket client the session belongs to until idle, and how to give it back. */
  private owner: { handlerId: number; release: () => void } | undefined;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength() {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number) {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].handlerId !== handlerId) continue;
      this.queue.splice(i, 1)[0].reject(new Error('client disconnected'));
    }
  }

  /** A client that disconnects holding the session: roll back what it left open, free the session. */
  async clearTransactionIfNeeded(handlerId: number) {
    if (this.owner?.handlerId !== handlerId) return;
    await this.db.runExclusive(() => this.db.execProtocolRaw(simpleQuery('ROLLBACK')));
    this.giveBack();
    void this.drain();
  }

  private giveBack() {
    const owner = this.owner;
    this.owner = undefined;
    owner?.release();
  }

  private async take(handlerId: number) {
    if (this.owner) return;
    await new Promise<void>((acquired) => {
      void (this.db as unknown as PGliteSession)._runExclusiveTransaction(
        () =>
          new Promise<void>((release) => {
            this.owner = { handlerId, release };
            acquired();
          }),
      );
    });
  }

  private async drain() {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        // While a client holds the session only its messages may run; others wait their turn.
        const index = this.owner ? this.queue.findIndex((q) => q.handlerId === this.owner!.handlerId) : 0;
        if (index < 0 || this.queue.length === 0) return;
        const next = this.queue.splice(index, 1)[0];
        await this.take(next.handlerId);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(next.message, {
              onRawData: (data) => {
                bytes += data.length;
                next.onData(data);
              },
            }),
          );
          next.resolve(bytes);
        } catch (error) {
          next.reject(error as Error);
        }
        const type = String.fromCharCode(next.message[0]);
        const sequenceDone = next.message[0] === 0 || ENDS_SEQUENCE.has(type);
        if (sequenceDone && !this.db.isInTransaction()) this.giveBack();
      }
    } finally {
      this.running = false;
    }
  }
}

function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + text.length);
  message.write('Q', 0, 'latin1');
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

export interface PgliteSocketServer {
  /** postgresql:// URL of the socket (user and database `postgres`, no password). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface PgliteSocketOptions {
  port: number;
  /** Only loopback by default: the socket has no authentication. */
  host?: string;
  maxConnections?: number;
}

/** Serves `db` over the PostgreSQL wire protocol on host:port (port 0: any free port). */
export async function startPgliteSocket(db: PGlite, options: PgliteSocketOptions): Promise<PgliteSocketServer> {
  const host = options.host ?? '127.0.0.1';
  const gate = new SessionGate(db);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    if (sockets.size >= (options.maxConnections ?? 16)) return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // The handler's queue is structurally ours; its declared type is a class it does not export.
    const handler = new PGLiteSocketHandler({ queryQueue: gate as never, closeOnDetach: true });
    handler.attach(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `postgresql://postgres@${host}:${port}/postgres`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

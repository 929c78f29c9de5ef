import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client';
import { pgliteRunner, pgPoolRunner, type SqlRunner } from './sql';

export { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  /** Raw SQL on the same database, for migrations, bulk seeding and health checks. */
  sql: SqlRunner;
  /** Called with every SQL statement Prisma sends (logging, the tests' statement counter). */
  onQuery(listener: (query: string) => void): () => void;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it, embedded PGlite is used. */
  url?: string;
  /** PGlite data directory; "memory://" for an in-memory database. */
  dataDir?: string;
  poolSize?: number;
  /**
   * PostgreSQL statement_timeout of every pooled connection, in ms (0 or unset: none): a runaway
   * statement is cancelled by the server (SQLSTATE 57014, reported to clients as QUERY_TIMEOUT).
   * PGlite runs statements inside this process and has no way to interrupt them.
   */
  statementTimeoutMs?: number;
  /** Told when PostgreSQL drops an idle pooled connection (the pool recovers by itself). */
  onIdleConnectionError?: (error: Error) => void;
}

/** Opens PostgreSQL (when a URL is given) or embedded PGlite, with a Prisma client on top. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const listeners = new Set<(query: string) => void>();
  const makeClient = (adapter: SqlDriverAdapterFactory) => {
    const prisma = new PrismaClient({
      adapter,
      log: [{ emit: 'event', level: 'query' }],
      // Transactions queue for a row lock (a hot loyalty account, a policy-number counter) or, on
      // PGlite, for its single connection; Prisma's defaults (2 s to start, 5 s to finish) turn a
      // busy moment into failed requests. One setting for every transaction of the API.
      transactionOptions: { maxWait: 15_000, timeout: 30_000 },
    }) as unknown as PrismaClient<'query'>;
    prisma.$on('query', (event) => listeners.forEach((listener) => listener(event.query)));
    return prisma;
  };
  const onQuery = (listener: (query: string) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };

  if (options.url) {
    const pool = new Pool({ connectionString: options.url, max: options.poolSize ?? 10, ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}) });
    // Migrations, bulk seeding and health checks may legitimately run long statements: they get a
    // small pool of their own without the request statement_timeout (opened only when used).
    const rawPool = new Pool({ connectionString: options.url, max: 2, idleTimeoutMillis: 10_000 });
    // An idle connection the server drops (restart, failover, admin) is discarded by the pool and
    // replaced on demand; without a listener its 'error' event would crash the process.
    pool.on('error', (error) => options.onIdleConnectionError?.(error));
    rawPool.on('error', (error) => options.onIdleConnectionError?.(error));
    const prisma = makeClient(new PrismaPg(pool));
    return {
      kind: 'postgres',
      prisma,
      sql: pgPoolRunner(rawPool),
      onQuery,
      async close() {
        await prisma.$disconnect();
        await pool.end();
        await rawPool.end();
      },
    };
  }

  const pglite = await PGlite.create(options.dataDir ?? 'memory://');
  const prisma = makeClient(new PrismaPGlite(pglite));
  return {
    kind: 'pglite',
    prisma,
    sql: pgliteRunner(pglite),
    onQuery,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

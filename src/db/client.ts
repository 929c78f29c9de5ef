import { AsyncLocalStorage } from 'node:async_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client';
import { openPglite, type EmbeddedDatabase } from './pglite-open';
import { pgliteSubscribe, pgSubscribe, type Subscribe, type Subscription } from './notify';
import { pgliteRunner, pgPoolRunner, type SqlRunner } from './sql';
import { observeStatement } from '../observability/statements';
import { pgliteTransactions, pgTransactions, TRANSACTION_LIMITS, type Transact } from './transaction';

export { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  /** Raw SQL on the same database, for migrations, bulk seeding and health checks. */
  sql: SqlRunner;
  /** The embedded PGlite instance (and its data directory lock), when kind is 'pglite'. */
  embedded?: EmbeddedDatabase;
  /** Called with every SQL statement Prisma sends, and every `read` (logging, the tests' statement counter). */
  onQuery(listener: (query: string) => void): () => void;
  /**
   * One parameterised read outside Prisma (the query planner, src/graphql/plan/). On PostgreSQL,
   * `name` makes it a prepared statement: parsed and planned once per pooled connection.
   */
  read<T = Record<string, unknown>>(text: string, params: unknown[], name?: string): Promise<T[]>;
  /**
   * A transaction of raw statements on one connection, without Prisma (src/db/transaction.ts), for
   * hot write paths: same limits, observation and single-connection discipline as `prisma.$transaction`.
   */
  transaction: Transact;
  /**
   * Heavy read-only reports (analytics overview, cohorts): the read replica's client when
   * DATABASE_READ_URL is set, otherwise `prisma` itself. Never for writes, nor for a read that
   * must see the request's own write (replicas lag): docs/scaling.md lists what goes there.
   */
  reports: PrismaClient;
  /** LISTEN on a channel (src/db/notify.ts); closed with the database. */
  subscribe: Subscribe;
  /** Connections of the request pool (PostgreSQL only), for the metrics scrape. */
  poolStats?(): { total: number; idle: number; waiting: number };
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
  /**
   * A direct (unpooled) connection string for what a transaction-mode pooler cannot carry:
   * LISTEN, migrations, bulk seeding. Default: `url`.
   */
  directUrl?: string;
  /** A read replica for heavy read-only reports (`reports`). */
  readUrl?: string;
  /**
   * Named (prepared) statements for the planner's reads. Off behind PgBouncer before 1.21 in
   * transaction mode, where a statement prepared on one server connection is unknown on the next.
   */
  preparedStatements?: boolean;
}

/** Opens PostgreSQL (when a URL is given) or embedded PGlite, with a Prisma client on top. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const listeners = new Set<(query: string) => void>();
  const makeClient = (adapter: SqlDriverAdapterFactory) => {
    const prisma = new PrismaClient({
      adapter: observed(adapter, (query) => listeners.forEach((listener) => listener(query))),
      log: [{ emit: 'event', level: 'query' }],
      transactionOptions: TRANSACTION_LIMITS, // shared with db.transaction: the reasons are there
    }) as unknown as PrismaClient<'query'>;
    prisma.$on('query', (event) => listeners.forEach((listener) => listener(event.query)));
    return prisma;
  };
  const tell = (query: string) => listeners.forEach((listener) => listener(query));
  const onQuery = (listener: (query: string) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };

  const subscriptions = new Set<Subscription>();
  const tracked =
    (subscribe: Subscribe): Subscribe =>
    async (channel, handlers) => {
      const subscription = await subscribe(channel, handlers);
      subscriptions.add(subscription);
      return subscription;
    };
  const closeSubscriptions = () => Promise.all([...subscriptions].map((s) => s.close()));

  if (options.url) {
    const pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    });
    // Migrations, bulk seeding and health checks may legitimately run long statements: they get a
    // small pool of their own without the request statement_timeout (opened only when used).
    const direct = options.directUrl ?? options.url;
    const rawPool = new Pool({ connectionString: direct, max: 2, idleTimeoutMillis: 10_000 });
    // An idle connection the server drops (restart, failover, admin) is discarded by the pool and
    // replaced on demand; without a listener its 'error' event would crash the process.
    pool.on('error', (error) => options.onIdleConnectionError?.(error));
    rawPool.on('error', (error) => options.onIdleConnectionError?.(error));
    const prisma = makeClient(new PrismaPg(pool));
    const prepared = options.preparedStatements ?? true;
    const replicaPool = options.readUrl
      ? new Pool({
          connectionString: options.readUrl,
          max: Math.max(2, Math.ceil((options.poolSize ?? 10) / 2)),
          ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
        })
      : undefined;
    replicaPool?.on('error', (error) => options.onIdleConnectionError?.(error));
    const reports = replicaPool ? makeClient(new PrismaPg(replicaPool)) : prisma;
    return {
      kind: 'postgres',
      prisma,
      reports,
      sql: pgPoolRunner(rawPool),
      onQuery,
      transaction: pgTransactions(pool, tell),
      async read<T>(text: string, params: unknown[], name?: string) {
        listeners.forEach((listener) => listener(text));
        return (
          await observeStatement(text, () => pool.query({ text, values: params, name: prepared ? name : undefined }))
        ).rows as T[];
      },
      subscribe: tracked(pgSubscribe(direct)),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      async close() {
        await closeSubscriptions();
        await prisma.$disconnect();
        if (reports !== prisma) await reports.$disconnect();
        await pool.end();
        await replicaPool?.end();
        await rawPool.end();
      },
    };
  }

  const embedded = await openPglite(options.dataDir);
  const { pglite } = embedded;
  const prisma = makeClient(new PrismaPGlite(pglite));
  return {
    kind: 'pglite',
    prisma,
    reports: prisma,
    sql: pgliteRunner(pglite),
    embedded,
    onQuery,
    transaction: pgliteTransactions(pglite, tell),
    async read<T>(text: string, params: unknown[]) {
      listeners.forEach((listener) => listener(text));
      return (await pglite.query<T>(text, params)).rows;
    },
    subscribe: tracked(pgliteSubscribe(pglite)),
    async close() {
      await closeSubscriptions();
      await prisma.$disconnect();
      await pglite.close();
      embedded.lock?.release();
    },
  };
}

type SqlQueryLike = { sql: string };
/** Set while `estimateRows` runs its read: the statement is explained instead of run. */
const explaining = new AsyncLocalStorage<{ rows?: number }>();
/** Thrown in place of the explained statement's result, so that Prisma stops there. */
class Explained extends Error {}

/**
 * PostgreSQL's estimate (EXPLAIN, no execution) of the number of rows the one statement `read`
 * sends would return: the planner's figure from table statistics (pg_class.reltuples and the
 * column statistics ANALYZE keeps), so it costs a planning step however many rows match, and is
 * only as fresh as the last ANALYZE (autovacuum on PostgreSQL; on PGlite the seed and nothing
 * else). `read` is a Prisma read of a client from openDatabase that sends a single statement
 * (e.g. findMany with a `select` and no relations): the same WHERE as the exact query, so the
 * same filters and visibility apply.
 */
export async function estimateRows(read: () => Promise<unknown>): Promise<number> {
  const state: { rows?: number } = {};
  try {
    // Awaited inside: a Prisma query is lazy and starts when awaited, which must be in this context.
    await explaining.run(state, async () => {
      await read();
    });
  } catch (error) {
    if (state.rows === undefined) throw error;
  }
  if (state.rows === undefined) throw new Error('estimateRows: the read sent no statement through an observed client');
  return state.rows;
}

/** Runs EXPLAIN of `query` in its place, keeps the planner's row estimate and stops Prisma there. */
async function explain(
  query: SqlQueryLike,
  estimate: { rows?: number },
  run: (query: SqlQueryLike) => Promise<unknown>,
  tell: (query: string) => void,
): Promise<never> {
  const sql = `EXPLAIN (FORMAT JSON) ${query.sql}`;
  tell(sql);
  const result = (await observeStatement(sql, () => run({ ...query, sql }))) as { rows: unknown[][] };
  const plan = result.rows[0]?.[0];
  const [root] = (typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: { 'Plan Rows': number } }[];
  estimate.rows = Math.round(root.Plan['Plan Rows']);
  throw new Explained('explained, not run');
}

/** The statement-running methods of a driver adapter or transaction, timed (src/observability/statements.ts). */
function timedQueryable<Q extends object>(queryable: Q, tell: (query: string) => void): Q {
  return new Proxy(queryable, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if (name !== 'queryRaw' && name !== 'executeRaw') return value.bind(target);
      return (query: SqlQueryLike) => {
        const estimate = name === 'queryRaw' ? explaining.getStore() : undefined;
        if (!estimate) return observeStatement(query.sql, () => value.call(target, query));
        return explain(query, estimate, (explained) => value.call(target, explained), tell);
      };
    },
  });
}

/**
 * The driver adapter as Prisma sees it, observed: every statement is timed (metrics, tracing),
 * and since Prisma's query log shows a transaction's COMMIT but not its BEGIN, the listeners are
 * told of the BEGIN too, so that statement counts include both (the round trips a request costs).
 */
function observed(factory: SqlDriverAdapterFactory, tell: (query: string) => void): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, property, receiver) {
      if (property !== 'connect') return Reflect.get(target, property, receiver);
      return async () => {
        const adapter = timedQueryable(await target.connect(), tell);
        return new Proxy(adapter, {
          get(inner, name, innerReceiver) {
            const value = Reflect.get(inner, name, innerReceiver);
            if (name !== 'startTransaction' || typeof value !== 'function') return value;
            return async (...args: unknown[]) => {
              tell('BEGIN');
              return timedQueryable((await observeStatement('BEGIN', () => value.apply(inner, args))) as object, tell);
            };
          },
        });
      };
    },
  });
}

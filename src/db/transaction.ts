// A transaction on one connection without Prisma's interactive-transaction machinery, for hot
// write paths whose statements are raw SQL already (customerUpdate: a third of its server CPU was
// Prisma's transaction handling). Same discipline as Prisma's transactions: BEGIN/COMMIT on one
// connection, ROLLBACK when the callback throws, the same time limits, every statement observed
// (metrics, tracing, the statement counters of the bench and the tests, BEGIN and COMMIT included).
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';
import { observeStatement } from '../observability/statements';
import type { Tx } from './client';

/** Prisma's `transactionOptions` and this helper's limits: one setting for every transaction of the API. */
export const TRANSACTION_LIMITS = {
  /**
   * Transactions queue for a row lock (a hot loyalty account, a policy-number counter) or, on
   * PGlite, for its single connection; Prisma's defaults (2 s to start, 5 s to finish) turn a busy
   * moment into failed requests.
   */
  maxWait: 15_000,
  timeout: 30_000,
};

/** The statements of one open transaction. */
export interface SqlTx {
  /** One parameterised statement on the transaction's connection; rows as the driver parses them. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/**
 * The raw statements of either kind of transaction, for helpers shared by Prisma transactions and
 * db.transaction (e.g. lockCustomer). Rows come back as the driver parses them: decode them with
 * table-shape's decodeRow, which accepts both.
 */
export function sqlOf(tx: Tx | SqlTx): SqlTx {
  if (!('$queryRawUnsafe' in tx)) return tx;
  return { query: <T>(text: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(text, ...params) };
}

/** Runs `fn` in one transaction: COMMIT when it returns, ROLLBACK when it throws (and rethrows). */
export type Transact = <T>(fn: (tx: SqlTx) => Promise<T>) => Promise<T>;

/**
 * The transaction's connection was not obtained within `maxWait`. The text is Prisma's, so
 * databaseFailure (src/db/errors.ts) reports it as 'unavailable' in both cases.
 */
export class TransactionStartTimeout extends Error {
  constructor(maxWait: number) {
    super(`Unable to start a transaction in the given time (${maxWait} ms)`);
  }
}

/** A statement or the COMMIT came after the transaction's `timeout`: it was rolled back, as Prisma does. */
export class TransactionExpired extends Error {
  constructor(timeout: number) {
    super(`Transaction already closed: the timeout for this transaction was ${timeout} ms`);
  }
}

/** COMMIT was answered with ROLLBACK: a statement of the transaction had failed. */
export class TransactionAborted extends Error {
  constructor() {
    super('The transaction was rolled back at COMMIT: one of its statements had failed');
  }
}

type Tell = (query: string) => void;
type Limits = typeof TRANSACTION_LIMITS;

/** Resolves with `acquire`'s connection, or rejects after `maxWait` and hands a late connection to `late`. */
function within<C>(acquire: Promise<C>, maxWait: number, late: (connection: C) => void): Promise<C> {
  return new Promise<C>((resolve, reject) => {
    let waiting = true;
    const timer = setTimeout(() => {
      waiting = false;
      reject(new TransactionStartTimeout(maxWait));
    }, maxWait);
    acquire.then(
      (connection) => {
        clearTimeout(timer);
        if (waiting) resolve(connection);
        else late(connection);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (waiting) reject(error);
      },
    );
  });
}

/**
 * The transaction's statements, refused once it has run longer than `timeout` (Prisma rolls such a
 * transaction back; a statement already running finishes or meets statement_timeout).
 */
class OpenTransaction implements SqlTx {
  private expired = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly run: (text: string, params: unknown[]) => Promise<unknown[]>,
    private readonly tell: Tell,
    private readonly timeout: number,
  ) {
    this.timer = setTimeout(() => {
      this.expired = true;
    }, timeout);
    this.timer.unref();
  }

  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    this.check();
    this.tell(text);
    return (await observeStatement(text, () => this.run(text, params))) as T[];
  }

  /** Throws when the transaction may not commit (COMMIT is then replaced by ROLLBACK). */
  check(): void {
    if (this.expired) throw new TransactionExpired(this.timeout);
  }

  close(): void {
    clearTimeout(this.timer);
  }
}

/** PostgreSQL: a client of the request pool (its statement_timeout applies), released afterwards. */
export function pgTransactions(pool: Pool, tell: Tell, limits: Limits = TRANSACTION_LIMITS): Transact {
  return async <T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> => {
    const client: PoolClient = await within(pool.connect(), limits.maxWait, (late) => late.release());
    let broken: Error | undefined;
    const statement = async (sql: string) => {
      tell(sql);
      return observeStatement(sql, () => client.query(sql));
    };
    try {
      await statement('BEGIN').catch((error: Error) => {
        broken = error; // a connection that fails at BEGIN is not given back to the pool either
        throw error;
      });
      const tx = new OpenTransaction(
        async (text, params) => (await client.query(text, params)).rows,
        tell,
        limits.timeout,
      );
      try {
        const result = await fn(tx);
        tx.check();
        // An aborted transaction (a failed statement whose error the callback caught) answers
        // COMMIT with ROLLBACK and no error: nothing was written, so the caller must not think so.
        if ((await statement('COMMIT')).command === 'ROLLBACK') throw new TransactionAborted();
        return result;
      } catch (error) {
        // A connection that cannot even roll back is not given back to the pool.
        await statement('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        tx.close();
      }
    } finally {
      client.release(broken);
    }
  };
}

/**
 * PGlite: its own transaction API, which holds the same lock as Prisma's PGlite adapter (the
 * adapter runs its transactions through `pglite.transaction`, and every single query takes that
 * lock too), so a Prisma transaction and this one never interleave on the one connection.
 */
export function pgliteTransactions(pglite: PGlite, tell: Tell, limits: Limits = TRANSACTION_LIMITS): Transact {
  return async <T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> => {
    let abandoned = false;
    let started!: (connection: PGliteTransaction) => void;
    const connected = new Promise<PGliteTransaction>((resolve) => {
      started = resolve;
    });
    let end!: { resolve: () => void; reject: (error: unknown) => void };
    const ended = new Promise<void>((resolve, reject) => {
      end = { resolve, reject };
    });
    // BEGIN, then the callback below until `ended` settles, then COMMIT (or ROLLBACK when it rejects).
    const outcome = pglite.transaction(async (connection) => {
      if (abandoned) throw new TransactionStartTimeout(limits.maxWait); // came after maxWait: leave at once
      started(connection);
      await ended;
    });
    outcome.catch(() => undefined); // awaited below, or abandoned after maxWait
    const failedToStart = outcome.then(() => {
      throw new Error('PGlite transaction ended before it started');
    });
    let connection: PGliteTransaction;
    try {
      connection = await within(Promise.race([connected, failedToStart]), limits.maxWait, () => undefined);
    } catch (error) {
      abandoned = true;
      throw error;
    }
    tell('BEGIN');
    await observeStatement('BEGIN', async () => undefined); // pglite.transaction sent it before the callback
    const tx = new OpenTransaction(
      async (text, params) => (await connection.query(text, params)).rows,
      tell,
      limits.timeout,
    );
    let result: T;
    try {
      result = await fn(tx);
      tx.check();
    } catch (error) {
      tx.close();
      tell('ROLLBACK');
      end.reject(error);
      await observeStatement('ROLLBACK', () => outcome.catch(() => undefined));
      throw error;
    }
    tx.close();
    tell('COMMIT');
    end.resolve();
    await observeStatement('COMMIT', () => outcome); // rejects when PGlite answered the COMMIT with ROLLBACK
    return result;
  };
}

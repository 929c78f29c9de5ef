import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';

/**
 * The few raw-SQL needs outside Prisma (migrations, bulk seeding, health checks) use this
 * narrow interface, so they work the same on PGlite and on PostgreSQL.
 */
export interface SqlRunner {
  /** Runs one or more statements without parameters (simple query protocol). */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` on one connection inside BEGIN/COMMIT (ROLLBACK when it throws). */
  transaction<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T>;
}

export function pgliteRunner(db: PGlite): SqlRunner {
  const runner: SqlRunner = {
    async exec(sql) {
      await db.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await db.query<T>(sql, params);
      return result.rows;
    },
    async transaction(fn) {
      return db.transaction(async (tx) =>
        fn({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async <T>(sql: string, params: unknown[] = []) => (await tx.query<T>(sql, params)).rows,
          transaction: () => Promise.reject(new Error('nested transactions are not supported')),
        }),
      );
    },
  };
  return runner;
}

export function pgPoolRunner(pool: Pool): SqlRunner {
  return {
    async exec(sql) {
      await pool.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await pool.query(sql, params);
      return result.rows as T[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
          transaction: () => Promise.reject(new Error('nested transactions are not supported')),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

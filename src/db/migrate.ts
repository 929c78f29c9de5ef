import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SqlRunner } from './sql';

export const MIGRATIONS_DIR = resolve(__dirname, '../../prisma/migrations');

// Prisma's own bookkeeping table, created exactly as `prisma migrate deploy` creates it, so
// either tool can take over a database the other one migrated.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// The advisory lock key Prisma Migrate uses: two instances booting at once migrate one at a time.
const MIGRATION_LOCK_KEY = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies every migration not yet recorded in `_prisma_migrations` and returns the names applied.
 * Each migration runs in its own transaction, as with `prisma migrate deploy`, so a later
 * migration can use what an earlier one committed (e.g. a new enum value); a failing migration
 * is rolled back whole and recorded nowhere, so a corrected file deploys without `migrate resolve`.
 * Every transaction first takes Prisma's advisory lock and re-reads the records, so instances
 * booting together migrate one at a time. Refuses to run over a failed or edited migration.
 */
export async function applyMigrations(sql: SqlRunner, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir);
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    // Under the lock: of two concurrent CREATE TABLE IF NOT EXISTS, one can fail on PostgreSQL.
    await tx.exec(CREATE_MIGRATIONS_TABLE);
  });
  const done: string[] = [];
  for (const migration of migrations) {
    const applied = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const [record] = await tx.query<{ checksum: string; finished_at: Date | null }>(
        'SELECT checksum, finished_at FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL ORDER BY started_at DESC LIMIT 1',
        [migration.name],
      );
      if (record) {
        if (record.finished_at === null)
          throw new Error(`Migration ${migration.name} failed earlier; resolve it before starting`);
        if (record.checksum !== migration.checksum)
          throw new Error(`Migration ${migration.name} was edited after it was applied`);
        return false;
      }
      const id = randomUUID();
      await tx.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, migration.checksum, migration.name],
      );
      await tx.exec(migration.sql);
      await tx.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [
        id,
      ]);
      return true;
    });
    if (applied) done.push(migration.name);
  }
  return done;
}

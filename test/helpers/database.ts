import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Database } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migrate';

/**
 * A fresh database (migrated unless `{ migrate: false }`) for one test file: in-memory PGlite by default, or a new database
 * created on the server of TEST_DATABASE_URL (dropped again by `close`).
 */
export interface TestDatabase extends Database {
  /** Connection string of the created PostgreSQL database (undefined on PGlite). */
  url?: string;
}

export const onPostgres = () => Boolean(process.env.TEST_DATABASE_URL);

export interface TestDatabaseOptions {
  /** Apply prisma/migrations (default true); false gives a pristine, empty database. */
  migrate?: boolean;
  /** PostgreSQL server to create the database on (default TEST_DATABASE_URL). */
  serverUrl?: string;
  /** A streaming replica of that server: the database's `reports` read from it (DATABASE_READ_URL). */
  replicaUrl?: string;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  const serverUrl = options.serverUrl ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const db = await openDatabase({ dataDir: 'memory://' });
    if (migrate) await applyMigrations(db.sql);
    return db;
  }
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // TEST_POOLER_URL: the API's connections go through a transaction-mode pooler (PgBouncer, CI's
  // scale-out leg) to the same database; LISTEN and migrations take the direct URL, and named
  // prepared statements are off (PgBouncer before 1.21 cannot carry them).
  const pooled = process.env.TEST_POOLER_URL && !options.serverUrl ? new URL(process.env.TEST_POOLER_URL) : undefined;
  if (pooled) pooled.pathname = `/${name}`;
  const replica = options.replicaUrl ? new URL(options.replicaUrl) : undefined;
  if (replica) replica.pathname = `/${name}`;
  const db = await openDatabase({
    url: (pooled ?? url).toString(),
    directUrl: url.toString(),
    preparedStatements: !pooled,
    readUrl: replica?.toString(),
    poolSize: 10,
  });
  if (migrate) await applyMigrations(db.sql);
  return {
    ...db,
    url: url.toString(),
    async close() {
      await db.close();
      const dropper = new Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

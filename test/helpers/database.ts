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
  /** Where the migrations are read from (default prisma/migrations; a test of a failing migration gives its own). */
  migrationsDir?: string;
}

/** Every PostgreSQL database this process created, in order (a test proves that the failed ones were dropped). */
export const createdDatabaseNames: string[] = [];

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  const serverUrl = options.serverUrl ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      if (migrate) await applyMigrations(db.sql, options.migrationsDir);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return db;
  }
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  createdDatabaseNames.push(name);
  const drop = async () => {
    const dropper = new Client({ connectionString: serverUrl });
    await dropper.connect();
    try {
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await dropper.end();
    }
  };
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // TEST_POOLER_URL: the API's connections go through a transaction-mode pooler (PgBouncer, CI's
  // scale-out leg) to the same database; LISTEN and migrations take the direct URL, and named
  // prepared statements are off (PgBouncer before 1.21 cannot carry them).
  const pooled = process.env.TEST_POOLER_URL && !options.serverUrl ? new URL(process.env.TEST_POOLER_URL) : undefined;
  if (pooled) pooled.pathname = `/${name}`;
  const replica = options.replicaUrl ? new URL(options.replicaUrl) : undefined;
  if (replica) replica.pathname = `/${name}`;
  let db: Database | undefined;
  try {
    db = await openDatabase({
      url: (pooled ?? url).toString(),
      directUrl: url.toString(),
      preparedStatements: !pooled,
      readUrl: replica?.toString(),
      poolSize: 10,
    });
    if (migrate) await applyMigrations(db.sql, options.migrationsDir);
  } catch (error) {
    // A database that could not be opened or migrated is dropped, not left behind on the server.
    await db?.close().catch(() => undefined);
    await drop().catch(() => undefined);
    throw error;
  }
  const opened = db;
  return {
    ...opened,
    url: url.toString(),
    async close() {
      await opened.close();
      await drop();
    },
  };
}

/** Names of the databases on the TEST_DATABASE_URL server (to prove that a test left none behind). */
export async function serverDatabaseNames(): Promise<string[]> {
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database');
    return rows.map((r) => r.datname);
  } finally {
    await admin.end();
  }
}

import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Database } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migrate';
import type { SqlRunner } from '../../src/db/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertCustomer } from '../helpers/factories';

// The migration runner must leave a database exactly as `prisma migrate deploy` would, so that
// either tool can take over. Runs on in-memory PGlite, or on a fresh PostgreSQL database per
// test when TEST_DATABASE_URL is set.

const MIGRATIONS = resolve(__dirname, '../../prisma/migrations');

/** The migration directories and the checksum Prisma records for each (sha256 hex of migration.sql). */
const expectedMigrations = () =>
  readdirSync(MIGRATIONS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      name,
      checksum: createHash('sha256')
        .update(readFileSync(join(MIGRATIONS, name, 'migration.sql')))
        .digest('hex'),
    }));

const opened: Database[] = [];
const tmpDirs: string[] = [];
/** An empty database: no `_prisma_migrations`, no tables. */
const pristine = async () => {
  const db = await createTestDatabase({ migrate: false });
  opened.push(db);
  return db;
};
/** A copy of prisma/migrations that a test may edit. */
const migrationsCopy = () => {
  const dir = mkdtempSync(join(tmpdir(), 'infra-migrations-'));
  tmpDirs.push(dir);
  cpSync(MIGRATIONS, dir, { recursive: true });
  return dir;
};
const records = (sql: SqlRunner) =>
  sql.query<{
    migration_name: string;
    checksum: string;
    finished_at: Date | null;
    started_at: Date;
    rolled_back_at: Date | null;
    logs: string | null;
    applied_steps_count: number;
  }>(
    'SELECT migration_name, checksum, finished_at, started_at, rolled_back_at, logs, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
  );
const tableExists = async (sql: SqlRunner, table: string) =>
  (await sql.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`public.${table}`]))[0].t !== null;

/** Closes (on PostgreSQL: drops) the databases of the test, one by one. */
const closeOpened = async () => {
  for (const db of opened.splice(0)) await db.close();
};
afterAll(() => tmpDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('applyMigrations records migrations as Prisma does', () => {
  afterEach(closeOpened);

  it('creates _prisma_migrations with exactly Prisma’s columns and types', async () => {
    const db = await pristine();
    await applyMigrations(db.sql);
    const columns = await db.sql.query(
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '_prisma_migrations'
        ORDER BY ordinal_position`,
    );
    const column = (
      name: string,
      type: string,
      length: number | null,
      nullable: boolean,
      defaultValue: string | null = null,
    ) => ({
      column_name: name,
      data_type: type,
      length,
      is_nullable: nullable ? 'YES' : 'NO',
      column_default: defaultValue,
    });
    expect(columns).toEqual([
      column('id', 'character varying', 36, false),
      column('checksum', 'character varying', 64, false),
      column('finished_at', 'timestamp with time zone', null, true),
      column('migration_name', 'character varying', 255, false),
      column('logs', 'text', null, true),
      column('rolled_back_at', 'timestamp with time zone', null, true),
      column('started_at', 'timestamp with time zone', null, false, 'now()'),
      column('applied_steps_count', 'integer', null, false, '0'),
    ]);
    const primaryKey = await db.sql.query<{ column_name: string }>(
      `SELECT k.column_name FROM information_schema.table_constraints c
         JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
        WHERE c.table_name = '_prisma_migrations' AND c.constraint_type = 'PRIMARY KEY'`,
    );
    expect(primaryKey).toEqual([{ column_name: 'id' }]);
  });

  it('records one finished row per migration directory, with the sha256 of migration.sql', async () => {
    const db = await pristine();
    const expected = expectedMigrations();
    expect(expected.length).toBeGreaterThan(0);
    expect(await applyMigrations(db.sql)).toEqual(expected.map((m) => m.name));
    const rows = await records(db.sql);
    expect(
      rows.map(({ migration_name, checksum, applied_steps_count, rolled_back_at, logs }) => ({
        migration_name,
        checksum,
        applied_steps_count,
        rolled_back_at,
        logs,
      })),
    ).toEqual(
      expected.map((m) => ({
        migration_name: m.name,
        checksum: m.checksum,
        applied_steps_count: 1,
        rolled_back_at: null,
        logs: null,
      })),
    );
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    expect(await tableExists(db.sql, 'customers')).toBe(true);
  });

  it('applies nothing the second time', async () => {
    const db = await pristine();
    await applyMigrations(db.sql);
    const before = await records(db.sql);
    expect(await applyMigrations(db.sql)).toEqual([]);
    expect(await records(db.sql)).toEqual(before);
  });
});

describe('applyMigrations refuses unsafe states', () => {
  afterEach(closeOpened);

  it('throws when a migration was edited after it was applied, and changes nothing', async () => {
    const db = await pristine();
    const dir = migrationsCopy();
    await applyMigrations(db.sql, dir);
    const before = await records(db.sql);
    const [first] = expectedMigrations();
    appendFileSync(join(dir, first.name, 'migration.sql'), '\n-- edited after deploy\n');
    await expect(applyMigrations(db.sql, dir)).rejects.toThrow(
      `Migration ${first.name} was edited after it was applied`,
    );
    expect(await records(db.sql)).toEqual(before);
  });

  it('throws over a migration Prisma recorded as failed (finished_at NULL)', async () => {
    const db = await pristine();
    await applyMigrations(db.sql);
    const dir = migrationsCopy();
    const name = '99990101000000_infra_half_done';
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), 'CREATE TABLE "infra_half_done" (id int);\n');
    const checksum = createHash('sha256').update('CREATE TABLE "infra_half_done" (id int);\n').digest('hex');
    await db.sql.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs) VALUES ('infra-failed-1', $1, $2, 'boom')`,
      [checksum, name],
    );
    await expect(applyMigrations(db.sql, dir)).rejects.toThrow(`Migration ${name} failed earlier`);
    expect(await tableExists(db.sql, 'infra_half_done')).toBe(false);
  });

  it('rolls a failing migration back completely: nothing recorded, no partial tables', async () => {
    const db = await pristine();
    await applyMigrations(db.sql);
    const before = await records(db.sql);
    const dir = migrationsCopy();
    const name = '99990101000000_infra_broken';
    mkdirSync(join(dir, name));
    // The first statement works, the second fails: the table of the first must not survive.
    const broken =
      'CREATE TABLE "infra_partial" ("id" INTEGER PRIMARY KEY);\nALTER TABLE "customers" ADD CONSTRAINT "infra_bad" CHECK ("no_such_column" > 0);\n';
    writeFileSync(join(dir, name, 'migration.sql'), broken);
    await expect(applyMigrations(db.sql, dir)).rejects.toThrow(/no_such_column/);
    expect(await records(db.sql)).toEqual(before);
    expect(await tableExists(db.sql, 'infra_partial')).toBe(false);

    // Nothing was recorded, so a corrected migration deploys without any manual `migrate resolve`.
    writeFileSync(join(dir, name, 'migration.sql'), 'CREATE TABLE "infra_partial" ("id" INTEGER PRIMARY KEY);\n');
    expect(await applyMigrations(db.sql, dir)).toEqual([name]);
    expect(await tableExists(db.sql, 'infra_partial')).toBe(true);
  });

  it('keeps the migrations before a failing one, each committed on its own, as prisma migrate deploy does', async () => {
    const db = await pristine();
    const dir = migrationsCopy();
    const name = '99990101000000_infra_broken';
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), 'SELECT 1/0;\n');
    await expect(applyMigrations(db.sql, dir)).rejects.toThrow(/division by zero/);
    expect(await tableExists(db.sql, 'customers')).toBe(true);
    const recorded = (await records(db.sql)).map((r) => r.migration_name);
    expect(recorded).toEqual(expectedMigrations().map((m) => m.name));
    expect(recorded).not.toContain(name);
  });

  it('lets a migration use an enum value that an earlier migration of the same run added', async () => {
    const db = await pristine();
    const dir = migrationsCopy();
    mkdirSync(join(dir, '99990101000000_infra_enum_add'));
    writeFileSync(
      join(dir, '99990101000000_infra_enum_add', 'migration.sql'),
      `ALTER TYPE "NotificationType" ADD VALUE 'INFRA_PROBE';\n`,
    );
    mkdirSync(join(dir, '99990101000001_infra_enum_use'));
    writeFileSync(
      join(dir, '99990101000001_infra_enum_use', 'migration.sql'),
      `CREATE TABLE "infra_enum_use" ("kind" "NotificationType" NOT NULL DEFAULT 'INFRA_PROBE');\n`,
    );
    const applied = await applyMigrations(db.sql, dir);
    expect(applied.slice(-2)).toEqual(['99990101000000_infra_enum_add', '99990101000001_infra_enum_use']);
    expect(await tableExists(db.sql, 'infra_enum_use')).toBe(true);
  });
});

describe('the database enforces the key rules itself', () => {
  let db: Database;
  let customerId: string;
  let orderId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    customerId = (await insertCustomer(db as TestDatabase)).id;
    [{ id: orderId }] = await db.sql.query<{ id: string }>(
      `INSERT INTO orders (number, customer_id, total, currency, status, placed_at) VALUES ('INFRA-1', $1, 10, 'USD', 'DELIVERED', now()) RETURNING id`,
      [customerId],
    );
  });
  afterAll(() => db?.close());

  /** The statement fails with SQLSTATE `code`, naming `constraint`; the control statement succeeds. */
  const violates = async (statement: string, params: unknown[], code: string, constraint: string) => {
    const error = await db.sql.query(statement, params).then(
      () => null,
      (e: { code?: string; message: string }) => e,
    );
    expect(error).not.toBeNull();
    expect({ code: error!.code, message: error!.message }).toEqual({
      code,
      message: expect.stringContaining(constraint),
    });
  };

  it('no negative loyalty balance', async () => {
    await db.sql.query('UPDATE loyalty_accounts SET points_balance = 0 WHERE customer_id = $1', [customerId]);
    await violates(
      'UPDATE loyalty_accounts SET points_balance = -1 WHERE customer_id = $1',
      [customerId],
      '23514',
      'loyalty_accounts_balance_non_negative',
    );
  });

  it('feedback ratings from 1 to 5 only', async () => {
    const insert = 'INSERT INTO feedback (order_id, customer_id, rating) VALUES ($1, $2, $3)';
    await violates(insert, [orderId, customerId, 6], '23514', 'feedback_rating_range');
    await violates(insert, [orderId, customerId, 0], '23514', 'feedback_rating_range');
    await db.sql.query(insert, [orderId, customerId, 5]);
  });

  it('no policy ending before it starts', async () => {
    const insert = `INSERT INTO policies (number, customer_id, type, insurer, product_name, premium, premium_frequency, coverage_amount, currency, start_date, end_date)
                    VALUES ($1, $2, 'AUTO', 'Acme', 'Auto basic', 100, 'ANNUAL', 10000, 'USD', $3::date, $4::date)`;
    await violates(insert, ['INFRA-P1', customerId, '2026-06-01', '2026-05-31'], '23514', 'policies_term_positive');
    await violates(insert, ['INFRA-P2', customerId, '2026-06-01', '2026-06-01'], '23514', 'policies_term_positive');
    await db.sql.query(insert, ['INFRA-P3', customerId, '2026-06-01', '2027-06-01']);
  });

  it('customer e-mails are stored lower-cased and trimmed', async () => {
    const insert = 'INSERT INTO customers (first_name, last_name, email) VALUES ($1, $2, $3)';
    await violates(insert, ['Up', 'Per', 'Upper.Case@Example.com'], '23514', 'customers_email_normalised');
    await violates(insert, ['Sp', 'Ace', ' space@example.com'], '23514', 'customers_email_normalised');
    await db.sql.query(insert, ['Low', 'Er', 'lower.case@example.com']);
  });

  it('at most one default address per customer', async () => {
    const insert = `INSERT INTO addresses (customer_id, line1, city, country, is_default) VALUES ($1, '2 Side St', 'Springfield', 'US', $2)`;
    await violates(insert, [customerId, true], '23505', 'addresses_one_default_per_customer');
    await db.sql.query(insert, [customerId, false]);
    const [{ n }] = await db.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM addresses WHERE customer_id = $1 AND is_default',
      [customerId],
    );
    expect(n).toBe(1);
  });
});

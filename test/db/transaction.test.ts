// db.transaction (src/db/transaction.ts), the raw-SQL transaction of the hot write paths: it must
// behave as Prisma's `$transaction` does for the API (all or nothing, the same time limits, every
// statement counted, unique violations recognised, and on PGlite never interleaved with a Prisma
// transaction on the one connection). On PGlite and PostgreSQL.
import { Pool } from 'pg';
import { databaseFailure, isUniqueViolation } from '../../src/db/errors';
import {
  pgliteTransactions,
  pgTransactions,
  TransactionExpired,
  TransactionStartTimeout,
  type Transact,
} from '../../src/db/transaction';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
const pools: Pool[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql.exec('CREATE TABLE tx_probe (id int PRIMARY KEY, label text UNIQUE)');
});
afterAll(async () => {
  for (const pool of pools) await pool.end();
  await db.close();
});
beforeEach(() => db.sql.exec('TRUNCATE tx_probe'));

const labels = async () =>
  (await db.sql.query<{ label: string }>('SELECT label FROM tx_probe ORDER BY id')).map((r) => r.label);

/** A transaction helper with other limits on the same database (its own single-connection pool on PostgreSQL). */
function withLimits(limits: { maxWait: number; timeout: number }): Transact {
  if (db.kind === 'pglite') return pgliteTransactions(db.embedded!.pglite, () => undefined, limits);
  const pool = new Pool({ connectionString: db.url, max: 1 });
  // pool.end() resolves before its connections have closed, so the database's DROP ... WITH (FORCE)
  // in afterAll can still terminate one; the pool then reports it as an idle-connection error.
  pool.on('error', () => undefined);
  pools.push(pool);
  return pgTransactions(pool, () => undefined, limits);
}

it('commits what the callback wrote and returns its result; the statements seen are BEGIN, the statements, COMMIT', async () => {
  const seen: string[] = [];
  const stop = db.onQuery((sql) => seen.push(sql));
  try {
    const result = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe (id, label) VALUES ($1, $2)', [1, 'one']);
      return (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_probe'))[0].n;
    });
    expect(result).toBe(1);
  } finally {
    stop();
  }
  expect(seen).toEqual([
    'BEGIN',
    'INSERT INTO tx_probe (id, label) VALUES ($1, $2)',
    'SELECT count(*)::int AS n FROM tx_probe',
    'COMMIT',
  ]);
  expect(await labels()).toEqual(['one']);
});

it('rolls everything back and rethrows when the callback throws', async () => {
  const failure = new Error('refused after the insert');
  await expect(
    db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe (id, label) VALUES ($1, $2)', [1, 'one']);
      throw failure;
    }),
  ).rejects.toBe(failure);
  expect(await labels()).toEqual([]);
  // The connection is usable afterwards (PostgreSQL: back in the pool outside a transaction).
  await db.transaction((tx) => tx.query('INSERT INTO tx_probe (id, label) VALUES ($1, $2)', [2, 'two']));
  expect(await labels()).toEqual(['two']);
});

it('a unique violation is recognised by isUniqueViolation (by column and constraint), and nothing is written', async () => {
  await db.sql.query("INSERT INTO tx_probe (id, label) VALUES (1, 'taken')");
  const error = await db
    .transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe (id, label) VALUES ($1, $2)', [2, 'free']);
      await tx.query('INSERT INTO tx_probe (id, label) VALUES ($1, $2)', [3, 'taken']);
    })
    .catch((e: unknown) => e);
  expect(isUniqueViolation(error, 'label')).toBe(true);
  expect(isUniqueViolation(error, 'id')).toBe(false);
  expect(await labels()).toEqual(['taken']);
});

it('a statement after the time limit is refused and the transaction rolled back', async () => {
  const transact = withLimits({ maxWait: 5_000, timeout: 50 });
  const error = await transact(async (tx) => {
    await tx.query('INSERT INTO tx_probe (id, label) VALUES ($1, $2)', [1, 'early']);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await tx.query('INSERT INTO tx_probe (id, label) VALUES ($1, $2)', [2, 'late']);
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TransactionExpired);
  expect(await labels()).toEqual([]);
});

it('waiting longer than maxWait for the connection fails as "unavailable", and the late transaction never runs', async () => {
  const transact = withLimits({ maxWait: 100, timeout: 5_000 });
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered!: () => void;
  const holding = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const holder = transact(async (tx) => {
    await tx.query('INSERT INTO tx_probe (id, label) VALUES ($1, $2)', [1, 'holder']);
    entered();
    await held;
  });
  await holding;
  let ran = false;
  const error = await transact(async () => {
    ran = true;
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TransactionStartTimeout);
  expect(databaseFailure(error)).toBe('unavailable');
  release();
  await holder;
  await new Promise((resolve) => setTimeout(resolve, 50)); // the connection reaches the abandoned waiter
  expect(ran).toBe(false);
  expect(await labels()).toEqual(['holder']);
});

(onPostgres() ? it.skip : it)(
  'PGlite: a Prisma transaction and db.transaction started together run one after the other, never interleaved',
  async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted!: () => void;
    const prismaInserted = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const prisma = db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("INSERT INTO tx_probe (id, label) VALUES (1, 'prisma')");
      inserted();
      await gate;
      await tx.$executeRawUnsafe("INSERT INTO tx_probe (id, label) VALUES (2, 'prisma, later')");
    });
    await prismaInserted;
    // Started while Prisma's transaction is open: it must wait for its COMMIT, then see both rows.
    const ours = db.transaction(async (tx) =>
      (await tx.query<{ label: string }>('SELECT label FROM tx_probe ORDER BY id')).map((r) => r.label),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await prisma;
    expect(await ours).toEqual(['prisma', 'prisma, later']);
  },
);

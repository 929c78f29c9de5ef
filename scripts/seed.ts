// Seeds the configured database:
//   npm run db:seed -- --demo                  demo staff, customers and rewards (only into an empty database)
//   npm run db:seed -- --customers 100000      bulk-generated customers (e.g. for load tests)
//   npm run db:seed -- --history               orders, policies and ledger entries for customers without any
// DATABASE_URL selects PostgreSQL; otherwise embedded PGlite in PGLITE_DATA_DIR (same default as the
// server), through the running server's socket when a server holds that directory.
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/client';
import { DataDirInUseError } from '../src/db/data-dir-lock';
import { scriptDatabaseTarget } from '../src/db/database-target';
import { applyMigrations } from '../src/db/migrate';
import { seedCustomers, seedDemoData } from '../src/db/seed';
import { seedCustomerHistory } from '../src/db/seed-bulk';

const USAGE = 'usage: seed [--demo] [--customers N] [--batch-size N] [--history]';

async function main() {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      customers: { type: 'string', short: 'c' },
      'batch-size': { type: 'string' },
      history: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const customers = values.customers === undefined ? 0 : Number(values.customers);
  const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
  if (!Number.isSafeInteger(customers) || customers < 0 || (batchSize !== undefined && !(batchSize > 0))) {
    throw new Error(`--customers and --batch-size take a positive whole number\n${USAGE}`);
  }
  if (values.help || (!values.demo && !customers && !values.history)) return void console.log(USAGE);

  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const target = scriptDatabaseTarget();
  console.log(`database: ${target.description}`);
  const db = await openDatabase({ url: target.url, dataDir: target.dataDir, poolSize: 2 });
  try {
    const applied = await applyMigrations(db.sql);
    console.log(`migrations: ${applied.length} applied (${elapsed()})`);
    if (values.demo) {
      const seeded = await seedDemoData(db, {
        onStep: (step, count) => console.log(`  demo ${step}: ${count} (${elapsed()})`),
      });
      console.log(
        seeded ? `demo data seeded (${elapsed()})` : 'demo data skipped: the database already has staff users',
      );
    }
    if (customers > 0) {
      const bulkStarted = performance.now();
      const inserted = await seedCustomers(db.sql, customers, {
        batchSize,
        onProgress: (n) => console.log(`  customers ${n} / ${customers} (${elapsed()})`),
      });
      const seconds = (performance.now() - bulkStarted) / 1000;
      console.log(
        `inserted ${inserted} customers in ${seconds.toFixed(1)} s (${Math.round(inserted / seconds)} customers/s)`,
      );
    }
    if (values.history) {
      const started = performance.now();
      const rows = await seedCustomerHistory(db.sql, {
        onProgress: (done, total) => done < total && console.log(`  history: ${done} / ${total} customers`),
      });
      console.log(
        `inserted ${rows.orders} orders, ${rows.policies} policies, ${rows.ledgerEntries} ledger entries in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof DataDirInUseError ? error.message : error);
  process.exitCode = 1;
});

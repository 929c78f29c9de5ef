// Applies pending migrations to DATABASE_URL (PostgreSQL) or the PGlite directory, as the server does on boot.
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';

async function main() {
  const config = loadConfig();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.pgliteDataDir });
  try {
    const applied = await applyMigrations(db.sql);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

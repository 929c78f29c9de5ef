// Applies pending migrations to DATABASE_URL (PostgreSQL) or the PGlite directory, as the server
// does on boot; through the server's socket when a running server holds the directory.
import { openDatabase } from '../src/db/client';
import { DataDirInUseError } from '../src/db/data-dir-lock';
import { scriptDatabaseTarget } from '../src/db/database-target';
import { applyMigrations } from '../src/db/migrate';

async function main() {
  const target = scriptDatabaseTarget();
  console.log(`database: ${target.description}`);
  const db = await openDatabase({ url: target.url, dataDir: target.dataDir, poolSize: 2 });
  try {
    const applied = await applyMigrations(db.sql);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error instanceof DataDirInUseError ? error.message : error);
  process.exit(1);
});

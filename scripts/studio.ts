// Prisma Studio on the configured database: `npm run studio [-- --port 5555]`.
// Prisma 7's Studio talks to PostgreSQL over the wire with its own JavaScript driver (no native
// engine), so it needs a URL: DATABASE_URL as it is; for the embedded database the socket of the
// running server that holds the data directory, or else a socket this script serves itself over
// the directory (taking its lock) for as long as Studio runs.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/client';
import { DataDirInUseError } from '../src/db/data-dir-lock';
import { scriptDatabaseTarget } from '../src/db/database-target';
import { applyMigrations } from '../src/db/migrate';
import { startPgliteSocket } from '../src/db/pglite-socket';

async function main() {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '5555' }, browser: { type: 'string', default: 'none' } },
  });
  const target = scriptDatabaseTarget();
  let url = target.url;
  let cleanup = async () => {};
  if (!url) {
    const db = await openDatabase({ dataDir: target.dataDir });
    await applyMigrations(db.sql);
    const socket = await startPgliteSocket(db.embedded!.pglite, { port: 0 });
    db.embedded!.lock?.setSocketUrl(socket.url);
    url = socket.url;
    cleanup = async () => {
      await socket.close();
      await db.close();
    };
  }
  console.log(`database: ${target.description}`);
  const studio = spawn(
    process.execPath,
    [
      require.resolve('prisma/build/index.js'),
      'studio',
      '--url',
      url,
      '--port',
      values.port,
      '--browser',
      values.browser,
    ],
    {
      stdio: 'inherit',
    },
  );
  const stop = () => studio.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await new Promise<number>((resolve) =>
    studio.on('exit', (status, signal) => resolve(status ?? (signal ? 0 : 1))),
  );
  await cleanup();
  process.exit(code);
}

main().catch((error) => {
  console.error(error instanceof DataDirInUseError ? error.message : error);
  process.exit(1);
});

// Which database a command-line script (db:seed, db:migrate, studio) should open. Like the server:
// DATABASE_URL, else the PGlite data directory. But a directory held by a running server is not
// opened a second time (see data-dir-lock.ts): the script connects through the server's socket.
import { resolve } from 'node:path';
import { isOnDiskDataDir } from './data-dir';
import { dataDirOwner, DataDirInUseError } from './data-dir-lock';

export interface DatabaseTarget {
  /** PostgreSQL URL: a real server, or a running server's embedded-database socket. */
  url?: string;
  /** PGlite data directory to open in this process. */
  dataDir?: string;
  /** One line saying what was chosen, for the script's output (no password). */
  description: string;
}

export function scriptDatabaseTarget(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  // Scripts (migrations, seeding, staff) go around a transaction-mode pooler when there is a direct URL.
  const direct = env.DATABASE_DIRECT_URL || env.DATABASE_URL;
  if (direct) {
    const url = new URL(direct);
    return { url: direct, description: `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}` };
  }
  const dataDir = env.PGLITE_DATA_DIR ?? './data/pglite';
  if (!isOnDiskDataDir(dataDir)) return { dataDir, description: `embedded PGlite ${dataDir}` };
  const absolute = resolve(dataDir);
  const owner = dataDirOwner(absolute);
  if (!owner) return { dataDir, description: `embedded PGlite in ${absolute}` };
  if (!owner.socketUrl) throw new DataDirInUseError(absolute, owner);
  return {
    url: owner.socketUrl,
    description: `embedded PGlite in ${absolute}, through the socket of the server that holds it (pid ${owner.pid}): ${owner.socketUrl}`,
  };
}

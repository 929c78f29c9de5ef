// Opens embedded PGlite: in memory, or on disk with the data directory's parents created and its
// one-owner lock taken (src/db/data-dir-lock.ts) before PGlite touches a file.
import { PGlite } from '@electric-sql/pglite';
import { ensureDataDirParent, isOnDiskDataDir } from './data-dir';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';

export interface EmbeddedDatabase {
  pglite: PGlite;
  /** Absolute data directory, undefined in memory. */
  dataDir?: string;
  /** This process's lock on the data directory, undefined in memory. */
  lock?: DataDirLock;
}

export async function openPglite(dataDir = 'memory://'): Promise<EmbeddedDatabase> {
  if (!isOnDiskDataDir(dataDir)) return { pglite: await PGlite.create(dataDir) };
  const absolute = ensureDataDirParent(dataDir);
  const lock = acquireDataDirLock(absolute);
  try {
    return { pglite: await PGlite.create(absolute), dataDir: absolute, lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}

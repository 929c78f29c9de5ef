// The embedded database's directory on disk. PGlite creates only the last level of its data
// directory, and ./data is git-ignored, so a fresh clone has no parent: create it here. Shared by
// everything that opens or keeps files beside the data directory (lock, per-directory secrets).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** True for an on-disk PGlite data directory (not `memory://`, `idb://`, …). */
export function isOnDiskDataDir(dataDir: string | undefined): dataDir is string {
  return !!dataDir && !/^[a-z]+:\/\//i.test(dataDir);
}

/** Absolute path of `dataDir`, with its parent directories created. */
export function ensureDataDirParent(dataDir: string): string {
  const absolute = resolve(dataDir);
  mkdirSync(dirname(absolute), { recursive: true });
  return absolute;
}

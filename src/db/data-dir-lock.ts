// One owner per embedded database. PGlite has no multi-process protection (it writes no
// postmaster.pid, and a second process opening the same directory loses or corrupts writes), so
// whoever opens an on-disk data directory first takes `<dir>.lock`: a file created exclusively
// (O_EXCL) that names its owner. A lock whose owner is no longer running (kill -9, crash, a
// container restarted with the same pid) is stale and taken over; a live owner's lock makes the
// opener fail with an error naming the process, and how to reach the database through it instead.
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO 8601 time the owner took the lock. */
  startedAt: string;
  /** Linux: the process start time in clock ticks since boot (tells a reused pid apart). */
  processStart?: string;
  /** PostgreSQL URL of the owner's wire-protocol socket, when it serves one. */
  socketUrl?: string;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    const through = owner.socketUrl
      ? ` To use this database while it runs, connect through its socket: DATABASE_URL=${owner.socketUrl}`
      : ' Stop that process first (or give this one another PGLITE_DATA_DIR).';
    super(
      `PGlite data directory ${dataDir} is in use by process ${owner.pid} on host ${owner.host} (since ${owner.startedAt}); ` +
        `only one process may open it.${through}` +
        (owner.host === hostname() ? '' : ` If that host no longer runs it, delete ${lockPath(dataDir)}.`),
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Records the owner's socket URL so that other processes can find it. */
  setSocketUrl(url: string | undefined): void;
  release(): void;
}

export const lockPath = (absoluteDataDir: string) => `${absoluteDataDir}.lock`;

/**
 * Linux /proc/<pid>/stat after the command name (which may contain spaces, so it is cut at its
 * closing ')'): [0] is the state, [19] the start time in ticks since boot. Undefined elsewhere or
 * when the process is gone.
 */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const processStart = (pid: number) => procStat(pid)?.[19];

/**
 * True once a process has exited, including a killed one its parent has not reaped yet (a
 * zombie, which still answers kill(pid, 0)).
 */
export function processGone(pid: number): boolean {
  const stat = procStat(pid);
  return stat === undefined || stat[0] === 'Z';
}

function isRunning(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // cannot tell: assume it runs
  if (owner.pid === process.pid) return heldHere.has(owner.startedAt);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (procStat(owner.pid)?.[0] === 'Z') return false; // killed, not reaped yet
  const now = processStart(owner.pid);
  return !owner.processStart || !now || now === owner.processStart;
}

/** Locks taken by this process, by their startedAt stamp. */
const heldHere = new Set<string>();

function readOwner(path: string): { raw: string; owner?: LockOwner } | undefined {
  try {
    const raw = readFileSync(path, 'utf8');
    try {
      return { raw, owner: JSON.parse(raw) as LockOwner };
    } catch {
      return { raw };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The live owner of a data directory, if any (stale locks count as none). */
export function dataDirOwner(absoluteDataDir: string): LockOwner | undefined {
  const found = readOwner(lockPath(absoluteDataDir));
  return found?.owner && isRunning(found.owner) ? found.owner : undefined;
}

/** Takes the lock of `absoluteDataDir` or throws DataDirInUseError. */
export function acquireDataDirLock(absoluteDataDir: string): DataDirLock {
  const path = lockPath(absoluteDataDir);
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    processStart: processStart(process.pid),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      return ownLock(path, me);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const found = readOwner(path);
    if (!found) continue; // released meanwhile
    if (found.owner && isRunning(found.owner)) throw new DataDirInUseError(absoluteDataDir, found.owner);
    // Unparsable: an owner between creating and writing the file, unless it is old (crashed there).
    if (!found.owner && Date.now() - statSync(path).mtimeMs < 2_000) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      continue;
    }
    // Stale. Remove it only if it is still the file just judged, then race for a fresh one.
    if (readOwner(path)?.raw === found.raw) unlinkSync(path);
  }
  throw new Error(`could not take ${path}: it keeps changing`);
}

function ownLock(path: string, me: LockOwner): DataDirLock {
  heldHere.add(me.startedAt);
  let owner = me;
  const mine = () => readOwner(path)?.owner?.startedAt === me.startedAt && readOwner(path)?.owner?.pid === me.pid;
  const release = () => {
    process.off('exit', release);
    if (!heldHere.delete(me.startedAt)) return;
    if (mine()) unlinkSync(path);
  };
  // A normal exit without close() (process.exit in a script) still frees the directory.
  process.on('exit', release);
  return {
    path,
    setSocketUrl(url) {
      owner = { ...owner, socketUrl: url };
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(owner));
      renameSync(temp, path); // atomic: readers see the old or the new owner record, never half
    },
    release,
  };
}

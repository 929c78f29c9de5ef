// One owner per PGlite data directory (src/db/data-dir-lock.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock, dataDirOwner, DataDirInUseError, lockPath } from '../../src/db/data-dir-lock';

let dir: string;
let dataDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lock-'));
  dataDir = join(dir, 'pglite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

it('is taken once, names its owner, and is free again after release', () => {
  const lock = acquireDataDirLock(dataDir);
  expect(JSON.parse(readFileSync(lockPath(dataDir), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
  expect(dataDirOwner(dataDir)?.pid).toBe(process.pid);
  let error: unknown;
  try {
    acquireDataDirLock(dataDir);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DataDirInUseError);
  expect((error as Error).message).toMatch(
    new RegExp(`in use by process ${process.pid} on host ${hostname()} \\(since \\d{4}-`),
  );
  lock.setSocketUrl('postgresql://postgres@127.0.0.1:5433/postgres');
  expect(() => acquireDataDirLock(dataDir)).toThrow('DATABASE_URL=postgresql://postgres@127.0.0.1:5433/postgres');
  lock.release();
  expect(dataDirOwner(dataDir)).toBeUndefined();
  acquireDataDirLock(dataDir).release();
});

it('takes over the lock of an owner that no longer runs', () => {
  writeFileSync(
    lockPath(dataDir),
    JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }),
  );
  expect(dataDirOwner(dataDir)).toBeUndefined();
  const lock = acquireDataDirLock(dataDir);
  expect(JSON.parse(readFileSync(lockPath(dataDir), 'utf8')).pid).toBe(process.pid);
  lock.release();
});

it('takes over a lock whose pid now belongs to another process (pid reuse after a restart)', () => {
  // A live pid (this test's parent) whose recorded start time is not its real one.
  writeFileSync(
    lockPath(dataDir),
    JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', processStart: '1' }),
  );
  const lock = acquireDataDirLock(dataDir);
  lock.release();
});

it('refuses a live owner on this host, and one on another host it cannot check', () => {
  writeFileSync(
    lockPath(dataDir),
    JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }),
  );
  expect(() => acquireDataDirLock(dataDir)).toThrow(`in use by process ${process.ppid}`);
  writeFileSync(
    lockPath(dataDir),
    JSON.stringify({ pid: deadPid(), host: 'elsewhere', startedAt: '2026-01-01T00:00:00.000Z' }),
  );
  expect(() => acquireDataDirLock(dataDir)).toThrow(`If that host no longer runs it, delete ${lockPath(dataDir)}`);
});

it('treats an old unreadable lock (owner crashed while writing it) as stale', () => {
  writeFileSync(lockPath(dataDir), '');
  const old = new Date(Date.now() - 60_000);
  utimesSync(lockPath(dataDir), old, old);
  acquireDataDirLock(dataDir).release();
});

// Helpers of bench/api.bench.ts: options, the seeded database, the server process and statistics.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { openDatabase, type Database } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { seedCustomers, seedDemoData } from '../src/db/seed';
import { seedCustomerHistory } from '../src/db/seed-bulk';
import type { ServerMessage, ServerStats } from './server';

export interface BenchOptions {
  customers: number;
  /** Seconds of measured load per scenario and concurrency. */
  seconds: number;
  concurrency: number[];
  /** Measured rounds; scenarios are interleaved round by round, so noise spreads over all. */
  rounds: number;
  db: 'pglite' | 'postgres';
  /** Use (and keep) this PostgreSQL database, seeding it up to --customers; default: a throw-away one. */
  database?: string;
  /** Only scenarios whose name contains one of these (comma-separated). */
  only?: string[];
  /** Node binary that runs the server (default: the one running the benchmark). */
  node: string;
  /** Write a V8 CPU profile of the server per measured run into this directory (read with bench/profile-top.ts). */
  profile?: string;
  /** Run the server from the TypeScript sources through tsx instead of compiling it first. */
  tsx: boolean;
  /** Run the server compiled by an earlier run (dist/bench-build/) without compiling again. */
  prebuilt: boolean;
  /** Seed the database (kept with --database) and exit without starting the server. */
  seedOnly: boolean;
  /** Seed customers only: orders, policies and ledger entries stay as the database has them. */
  skipHistory: boolean;
  /**
   * A git ref to measure against: its server is built from a temporary worktree and runs beside
   * this one, the two loaded at the same time in each window, and the summary gives their CPU ratios.
   */
  compare?: string;
}

export const USAGE =
  'usage: npm run bench -- [--customers N=100000] [--seconds N=3] [--concurrency 8,32] [--rounds N=2] [--db postgres|pglite] [--database NAME] [--only S1,S2] [--node PATH] [--profile DIR] [--tsx | --prebuilt] [--seed-only] [--skip-history] [--compare GIT_REF]';

export function parseOptions(argv = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '100000' },
      seconds: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '8,32' },
      rounds: { type: 'string', default: '2' },
      db: { type: 'string', default: 'postgres' },
      database: { type: 'string' },
      only: { type: 'string' },
      node: { type: 'string', default: process.env.BENCH_NODE ?? process.execPath },
      profile: { type: 'string' },
      tsx: { type: 'boolean', default: false },
      prebuilt: { type: 'boolean', default: false },
      'seed-only': { type: 'boolean', default: false },
      'skip-history': { type: 'boolean', default: false },
      compare: { type: 'string' },
    },
  });
  const int = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min)
      throw new Error(`--${name} takes a whole number >= ${min}, got "${value}"\n${USAGE}`);
    return n;
  };
  if (values.db !== 'pglite' && values.db !== 'postgres')
    throw new Error(`--db is pglite or postgres, got "${values.db}"\n${USAGE}`);
  if (values.database !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(values.database))
    throw new Error(`--database takes a lower-case identifier\n${USAGE}`);
  return {
    customers: int('customers', values.customers, 1),
    seconds: int('seconds', values.seconds, 1),
    concurrency: values.concurrency.split(',').map((c) => int('concurrency', c, 1)),
    rounds: int('rounds', values.rounds, 1),
    db: values.db,
    database: values.database,
    only: values.only?.split(',').map((s) => s.trim().toLowerCase()),
    node: values.node,
    profile: values.profile,
    tsx: values.tsx,
    prebuilt: values.prebuilt,
    seedOnly: values['seed-only'],
    skipHistory: values['skip-history'],
    compare: values.compare,
  };
}

export interface BenchDatabase {
  /** What the server is started with: DATABASE_URL or PGLITE_DATA_DIR. */
  env: Record<string, string>;
  description: string;
  /** Drops what the benchmark created (a kept --database stays). */
  dispose(): Promise<void>;
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** Migrates, seeds demo staff, customers up to `customers` and their orders, policies and ledger. */
async function seed(db: Database, customers: number, log: (line: string) => void, withHistory = true): Promise<void> {
  await applyMigrations(db.sql);
  await seedDemoData(db);
  const [{ count }] = await db.sql.query<{ count: number }>('SELECT count(*)::int AS count FROM customers');
  if (count < customers) {
    const t = performance.now();
    await seedCustomers(db.sql, customers - count, {
      onProgress: (n) => log(`  customers: ${n} / ${customers - count}`),
    });
    log(`customers seeded in ${seconds(t)}`);
  }
  if (!withHistory) {
    const [{ seeded }] = await db.sql.query<{ seeded: number }>(
      'SELECT count(DISTINCT customer_id)::int AS seeded FROM orders',
    );
    return log(`history not seeded (--skip-history): ${seeded} customers have orders`);
  }
  const t = performance.now();
  const history = await seedCustomerHistory(db.sql, {
    onProgress: (done, total) => log(`  history: ${done} / ${total} customers`),
  });
  if (history.orders)
    log(
      `${history.orders} orders, ${history.policies} policies, ${history.ledgerEntries} ledger entries seeded in ${seconds(t)}`,
    );
}

export async function prepareDatabase(options: BenchOptions, log: (line: string) => void): Promise<BenchDatabase> {
  if (options.db === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
    const db = await openDatabase({ dataDir: dir });
    try {
      await seed(db, options.customers, log, !options.skipHistory);
    } finally {
      await db.close();
    }
    return {
      env: { PGLITE_DATA_DIR: dir },
      description: `PGlite in ${dir} (in the server process; removed at the end)`,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const serverUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = options.database ?? `bench_${Date.now()}_${randomBytes(2).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return (await client.query(statement)).rows;
    } finally {
      await client.end();
    }
  };
  const exists = (await admin(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)).length > 0; // name checked above
  if (!exists) await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () =>
    void (options.database ? undefined : await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  try {
    const db = await openDatabase({ url: url.toString(), poolSize: 4 });
    try {
      await seed(db, options.customers, log, !options.skipHistory);
      const [{ server_version: version }] = await db.sql.query<{ server_version: string }>('SHOW server_version');
      return {
        env: { DATABASE_URL: url.toString() },
        description: `PostgreSQL ${version} at ${url.host}, database ${name}${options.database ? ' (kept)' : ' (dropped at the end)'}`,
        dispose: drop,
      };
    } finally {
      await db.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
}

export interface ServerProcess {
  url: string;
  node: string;
  description: string;
  stats(): Promise<ServerStats>;
  /** Starts the server's CPU profiler; `stopProfile` writes the profile to `file`. */
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..');
const compiledIn = (root: string) => join(root, 'dist', 'bench-build');

/**
 * Compiles the server and bench/server.ts (tsconfig.bench.json) into dist/bench-build/ of `root`
 * (this checkout, or the worktree of --compare), as production runs it: plain JavaScript, no
 * loader hooks on every require (tsx's cost showed in the profiles: Apollo requires `crypto` on
 * every request). Migrations are found through a link.
 */
export function buildServer(log: (line: string) => void, root = ROOT): void {
  const started = performance.now();
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.bench.json'],
    { cwd: root, stdio: 'inherit' },
  );
  const link = join(compiledIn(root), 'prisma');
  if (!existsSync(link)) symlinkSync(join(root, 'prisma'), link);
  log(`server compiled into ${compiledIn(root)} in ${seconds(started)}`);
}

/**
 * A checkout of `ref` in a temporary git worktree, for --compare. It shares this checkout's
 * node_modules and generated Prisma client, so a ref with other dependencies or another Prisma
 * schema is refused rather than measured with the wrong ones.
 */
export function checkoutRef(ref: string, log: (line: string) => void): { root: string; dispose(): void } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  let commit: string;
  try {
    commit = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    throw new Error(`--compare ${ref}: not a commit of this repository`);
  }
  for (const path of ['package-lock.json', 'prisma/schema.prisma'])
    if (git('diff', '--name-only', commit, '--', path))
      throw new Error(`--compare ${ref}: ${path} differs from this checkout; compare refs with the same dependencies`);
  const root = join(mkdtempSync(join(tmpdir(), 'bench-compare-')), 'checkout');
  git('worktree', 'add', '--detach', root, commit);
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  symlinkSync(join(ROOT, 'src', 'generated'), join(root, 'src', 'generated'));
  log(`--compare: ${ref} (${commit.slice(0, 10)}) checked out in ${root}`);
  return {
    root,
    dispose: () => {
      git('worktree', 'remove', '--force', root);
      rmSync(dirname(root), { recursive: true, force: true });
    },
  };
}

/**
 * Starts the API in its own process in production mode: the JavaScript of buildServer, or with
 * `tsx` the TypeScript sources through tsx (the loader compiles each file once at start, but its
 * hooks stay on every require).
 */
export async function startServer(
  node: string,
  env: Record<string, string>,
  tsx = false,
  root = ROOT,
): Promise<ServerProcess> {
  const compiled = join(compiledIn(root), 'bench', 'server.js');
  const useDist = !tsx && existsSync(compiled);
  const child: ChildProcess = fork(useDist ? compiled : join(root, 'bench', 'server.ts'), [], {
    execPath: node,
    execArgv: useDist ? [] : ['--import', 'tsx'],
    env: {
      ...process.env,
      ...env,
      NODE_ENV: 'production',
      JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('hex'),
      GRAPHQL_INTROSPECTION: 'false',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Set<(stats: ServerStats) => void>();
  const profiling = new Set<() => void>();
  const ready = new Promise<Extract<ServerMessage, { type: 'ready' }>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server process exited (${code}) before it was ready`)));
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'stats')
        for (const resolveStats of waiting) waiting.delete(resolveStats), resolveStats(message.stats);
      else if (message.type === 'profiled') for (const done of profiling) profiling.delete(done), done();
    });
  });
  const started = await ready;
  return {
    url: started.url,
    node: started.node,
    description: `server process ${child.pid}: node ${started.node}, NODE_ENV=${started.env}, ${useDist ? `compiled ${compiled}` : 'TypeScript via tsx'}`,
    stats: () =>
      new Promise<ServerStats>((resolve) => {
        waiting.add(resolve);
        child.send({ type: 'stats' });
      }),
    startProfile: () =>
      new Promise<void>((resolve) => {
        profiling.add(resolve);
        child.send({ type: 'profile-start' });
      }),
    stopProfile: (file) =>
      new Promise<void>((resolve) => {
        profiling.add(resolve);
        child.send({ type: 'profile-stop', file });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const fmt = (n: number) =>
  Number.isNaN(n) ? '-' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0);

/** "a–b" over several measurements (or one figure). */
export function range(all: number[]): string {
  const values = all.filter((v) => !Number.isNaN(v));
  if (!values.length) return '-';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return fmt(lo) === fmt(hi) ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

// Helpers of bench/api.bench.ts: options, a throw-away database, a GraphQL client, a bounded
// request loop, latency statistics and the printed table.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { openDatabase, type Database } from '../src/db/client';

export interface BenchOptions {
  customers: number;
  requests: number;
  concurrency: number;
  warmup: number;
  db: 'pglite' | 'postgres';
  /** A scenario stops sending (and reports the rest as failed) after this long. */
  maxSeconds: number;
}

export const USAGE =
  'usage: npm run bench -- [--customers N=10000] [--requests N=300] [--concurrency N=8] [--warmup N=10] [--db pglite|postgres] [--max-seconds N=120]';

export function parseOptions(argv = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '10000' },
      requests: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '10' },
      db: { type: 'string', default: 'pglite' },
      'max-seconds': { type: 'string', default: '120' },
    },
  });
  const int = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} takes a whole number >= ${min}, got "${value}"\n${USAGE}`);
    return n;
  };
  if (values.db !== 'pglite' && values.db !== 'postgres') throw new Error(`--db is pglite or postgres, got "${values.db}"\n${USAGE}`);
  return {
    customers: int('customers', values.customers, 1),
    requests: int('requests', values.requests, 1),
    concurrency: int('concurrency', values.concurrency, 1),
    warmup: int('warmup', values.warmup, 0),
    db: values.db,
    maxSeconds: int('max-seconds', values['max-seconds'], 1),
  };
}

export interface BenchDatabase {
  db: Database;
  /** What was opened, for the report (never includes a password). */
  description: string;
  close(): Promise<void>;
}

/** In-memory PGlite, or a new database `bench_<timestamp>` on the PostgreSQL server (dropped by close). */
export async function openBenchDatabase(kind: BenchOptions['db'], poolSize: number): Promise<BenchDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir: 'memory://' });
    return { db, description: 'PGlite, in memory (memory://), in this process', close: () => db.close() };
  }
  const serverUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `bench_${Date.now()}_${randomBytes(2).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let db: Database;
  try {
    db = await openDatabase({ url: url.toString(), poolSize });
  } catch (error) {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    throw error;
  }
  const [{ server_version: version }] = await db.sql.query<{ server_version: string }>('SHOW server_version');
  return {
    db,
    description: `PostgreSQL ${version} at ${url.host}, database ${name} (dropped at the end), pool ${poolSize}`,
    async close() {
      await db.close().catch(() => undefined);
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/**
 * Sends one operation and throws (with a short reason) unless the answer is HTTP 200 with data,
 * no `errors` and, for mutations, no `userErrors`. Node's fetch keeps connections alive and reuses
 * them, so `concurrency` requests in flight use about `concurrency` connections.
 */
export async function postGraphQL(url: string, token: string | null, request: GraphQLRequest, timeoutMs: number): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}: not JSON: ${text.slice(0, 120)}`);
  }
  if (body.errors?.length) throw new Error(`HTTP ${response.status}: ${body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ')}`);
  if (response.status !== 200 || !body.data) throw new Error(`HTTP ${response.status} without data`);
  for (const [field, value] of Object.entries(body.data)) {
    if (value === null) throw new Error(`${field} is null`);
    const userErrors = (value as { userErrors?: { code: string; message: string }[] }).userErrors;
    if (userErrors?.length) throw new Error(`${field}: ${userErrors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
  }
  return body.data;
}

export interface LoadResult {
  /** Latency of every successful request, in ms. */
  latencies: number[];
  failed: number;
  /** Failure reason → count. */
  failures: Map<string, number>;
  elapsedMs: number;
}

/**
 * Runs exactly `requests` calls of `send(i)` with at most `concurrency` in flight. After `maxMs`
 * no further call starts; those not started count as failed ("not sent: time limit").
 */
export async function runLoad(requests: number, concurrency: number, maxMs: number, send: (i: number) => Promise<unknown>): Promise<LoadResult> {
  const result: LoadResult = { latencies: [], failed: 0, failures: new Map(), elapsedMs: 0 };
  const fail = (reason: string) => {
    result.failed++;
    result.failures.set(reason, (result.failures.get(reason) ?? 0) + 1);
  };
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      if (performance.now() - started > maxMs) {
        fail('not sent: scenario time limit reached');
        continue;
      }
      const t0 = performance.now();
      try {
        await send(i);
        result.latencies.push(performance.now() - t0);
      } catch (error) {
        fail(error instanceof Error ? error.message.slice(0, 200) : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  result.elapsedMs = performance.now() - started;
  return result;
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Row {
  scenario: string;
  requests: number;
  concurrency: number;
  failed: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** SPEC §6 target of p95 in ms, if the scenario has one. */
  targetMs?: number;
  rssMb: number;
  heapMb: number;
}

export function summarise(scenario: string, requests: number, concurrency: number, load: LoadResult, targetMs?: number): Row {
  const sorted = [...load.latencies].sort((a, b) => a - b);
  const memory = process.memoryUsage();
  return {
    scenario,
    requests,
    concurrency,
    failed: load.failed,
    throughput: (load.latencies.length / load.elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    targetMs,
    rssMb: memory.rss / 2 ** 20,
    heapMb: memory.heapUsed / 2 ** 20,
  };
}

const ms = (n: number) => (Number.isNaN(n) ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(1));

export function verdict(row: Row): string {
  if (row.targetMs === undefined) return 'no target';
  if (Number.isNaN(row.p95)) return `< ${row.targetMs} ms: no data`;
  return `< ${row.targetMs} ms: ${row.p95 < row.targetMs ? 'met' : 'NOT MET'}`;
}

export function describeRow(row: Row, load: LoadResult): string {
  const lines = [
    `  ${row.requests} requests, concurrency ${row.concurrency}, ${load.latencies.length} ok, ${row.failed} failed, ${(load.elapsedMs / 1000).toFixed(2)} s`,
    `  throughput ${row.throughput.toFixed(1)} req/s; latency ms p50 ${ms(row.p50)}  p95 ${ms(row.p95)}  p99 ${ms(row.p99)}  max ${ms(row.max)}`,
    `  SPEC §6 target (p95): ${verdict(row)}`,
    `  process after scenario: RSS ${row.rssMb.toFixed(0)} MB, heap used ${row.heapMb.toFixed(0)} MB`,
  ];
  for (const [reason, count] of load.failures) lines.push(`  FAILED ${count}×: ${reason}`);
  return lines.join('\n');
}

export function table(rows: Row[]): string {
  const header = ['scenario', 'req', 'conc', 'failed', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'SPEC §6 target (p95)', 'RSS MB', 'heap MB'];
  const cells = rows.map((r) => [
    r.scenario, String(r.requests), String(r.concurrency), String(r.failed), r.throughput.toFixed(1),
    ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max), verdict(r), r.rssMb.toFixed(0), r.heapMb.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => (i === 0 || i === 9 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 || i === 9 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`, ...cells.map(line)].join('\n');
}

// API benchmark (performance issue): seeds PostgreSQL (or PGlite) with customers and their
// orders, policies and ledger entries, starts the real server in its own process in production
// mode, and loads it with autocannon from this process. Per scenario and concurrency it prints
// req/s, latency p50/p95/p99, the server's own CPU ms per request (process.cpuUsage() of the
// server process, read over IPC), SQL statements per operation (counted in the server, BEGIN and
// COMMIT included) and bytes per response. Scenarios run interleaved over --rounds rounds and the
// table gives the range over rounds: the machine is shared, single figures are noisy.
//   npm run bench -- [--customers 100000] [--seconds 3] [--concurrency 8,32] [--rounds 2] [--db postgres|pglite] [--database bench_1m] [--seed-only] [--skip-history] [--compare GIT_REF]
// A measurement, not a test: exits 0 when targets are missed, 1 only when requests failed.
import 'reflect-metadata';
import autocannon from 'autocannon';
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { toGlobalId } from '../src/graphql/relay';
import { comparison, summary, type Measurement } from './report';
import { scenarios, type BenchData, type Scenario } from './scenarios';
import {
  fmt,
  parseOptions,
  percentile,
  prepareDatabase,
  startServer,
  buildServer,
  checkoutRef,
  type ServerProcess,
} from './support';

const log = (line: string) => console.log(line);

async function post(url: string, token: string | null, body: object) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, bytes: Buffer.byteLength(text) };
}

/** A response that is not a clean success: HTTP error, GraphQL errors or userErrors. */
const failed = (status: number, body: string) =>
  status !== 200 || body.includes('"errors":[') || /"userErrors":\[\{/.test(body);

/**
 * The server's stats once no request is left running: for 300 ms no new SQL statement and no
 * pooled connection in use (a request waiting on a long statement holds one).
 */
async function quiet(server: ServerProcess) {
  let last = await server.stats();
  for (let still = 0; still < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await server.stats();
    still = now.statements === last.statements && now.busyConnections === 0 ? still + 1 : 0;
    last = now;
  }
  return last;
}

/** Call numbers stay unique over the whole run (idempotency keys, updated customers). */
let n = 0;

async function measure(
  server: ServerProcess,
  token: string,
  scenario: Scenario,
  concurrency: number,
  seconds: number,
  profile?: string,
): Promise<Measurement> {
  // One request alone first: it checks the answer and counts its statements exactly (under load,
  // requests in flight at the edges of the window would blur the count).
  // Requests autocannon abandoned at the end of the previous run may still be running: wait for quiet.
  const beforeProbe = await quiet(server);
  const probe = await post(server.url, token, scenario.body(n++));
  const probeStatements = (await server.stats()).statements - beforeProbe.statements;
  const latencies: number[] = [];
  let failures = failed(probe.status, probe.text) ? 1 : 0;
  let firstFailure = failures ? probe.text.slice(0, 300) : undefined;
  // Warm-up (not measured): JIT, connection pool, prepared statements.
  await autocannon({ url: server.url, connections: concurrency, duration: 1, requests: [request()] });
  // The warm-up's last requests, abandoned by autocannon, finish before the window opens: their
  // CPU would otherwise be counted against the window's requests (S5's take 300 ms and more).
  await quiet(server);
  if (profile) await server.startProfile();
  const before = await server.stats();
  // Without a callback autocannon returns its (thenable) event emitter; the types only know the promise.
  const instance = autocannon({
    url: server.url,
    connections: concurrency,
    duration: seconds,
    requests: [request(true)],
  });
  (instance as unknown as NodeJS.EventEmitter).on(
    'response',
    (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms),
  );
  const result = await instance;
  const after = await server.stats();
  if (profile) await server.stopProfile(profile);
  const cpuUs = after.cpu.user - before.cpu.user + (after.cpu.system - before.cpu.system);
  const requests = result.requests.total;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    scenario: scenario.name,
    concurrency,
    requests,
    failures: failures + result.non2xx + result.errors + result.timeouts,
    firstFailure,
    reqPerSec: requests / seconds, // answered within the window (autocannon's timeout is 10 s)
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    cpuMsPerRequest: requests ? cpuUs / 1000 / requests : NaN,
    systemShare: cpuUs ? (after.cpu.system - before.cpu.system) / cpuUs : NaN,
    statementsPerOp: probeStatements,
    bytes: probe.bytes,
  };

  function request(record = false): autocannon.Request {
    return {
      method: 'POST',
      path: new URL(server.url).pathname,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      setupRequest: (req) => ({ ...req, body: JSON.stringify(scenario.body(n++)) }),
      onResponse: (status, body) => {
        if (!record) return;
        if (failed(status, body)) {
          failures++;
          firstFailure ??= body.slice(0, 300);
        }
      },
    };
  }
}

async function benchData(url: string): Promise<BenchData> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const ids = (await client.query<{ id: string }>('SELECT id FROM customers')).rows.map((r) =>
      toGlobalId('Customer', r.id),
    );
    const heavyIds = (
      await client.query<{ id: string }>('SELECT id FROM customers WHERE order_count >= 40 ORDER BY number LIMIT 2000')
    ).rows.map((r) => toGlobalId('Customer', r.id));
    const updatable = (
      await client.query<{ id: string; version: number }>(
        'SELECT id, version FROM customers ORDER BY random() LIMIT 50000',
      )
    ).rows.map((r) => ({ id: toGlobalId('Customer', r.id), version: r.version }));
    return { ids, heavyIds, updatable, run: `${Date.now().toString(36)}${process.pid}` };
  } finally {
    await client.end();
  }
}

async function main() {
  const options = parseOptions();
  log(
    `API benchmark: ${options.customers} customers, ${options.db}, ${options.seconds} s per scenario and concurrency (after 1 s warm-up), concurrency ${options.concurrency.join(' and ')}, ${options.rounds} interleaved rounds`,
  );
  log(
    `load generator: autocannon in process ${process.pid} (node ${process.version}); ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), shared with the database and anything else running`,
  );
  if (options.profile) mkdirSync(options.profile, { recursive: true });
  const database = await prepareDatabase(options, log);
  if (options.seedOnly) {
    log(`database: ${database.description}; seeded, not measured (--seed-only)`);
    return database.dispose();
  }
  // With --compare, `servers` holds this checkout's server and the ref's, measured together.
  const servers: Bench[] = [];
  let other: ReturnType<typeof checkoutRef> | undefined;
  let failures = 0;
  try {
    // Inside the try: a ref that cannot be checked out still drops the throw-away database.
    other = options.compare ? checkoutRef(options.compare, log) : undefined;
    log(`database: ${database.description}`);
    if (!options.tsx && !options.prebuilt) buildServer(log);
    if (other && !options.tsx) buildServer(log, other.root);
    const labels = other ? ['this checkout', options.compare!] : [''];
    for (const [i, label] of labels.entries()) {
      const server = await startServer(options.node, database.env, options.tsx, i ? other!.root : undefined);
      servers.push({ label, server, token: await login(server.url) });
      log(`${label ? `${label}: ` : ''}${server.description}, ${server.url}`);
    }
    log('');
    // On PGlite the data lives in the server process: read the inputs through the API's database
    // URL only on PostgreSQL; on PGlite ask the API itself.
    const data = database.env.DATABASE_URL
      ? await benchData(database.env.DATABASE_URL)
      : await benchDataOverApi(servers[0].server.url, servers[0].token);
    const chosen = scenarios(data).filter(
      (s) => !options.only || options.only.some((o) => s.name.toLowerCase().includes(o)),
    );
    const results: (Measurement & { label: string })[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      for (const concurrency of options.concurrency) {
        for (const scenario of chosen) {
          // Compared servers are loaded at the same time, each by its own connections, so both
          // run on the same machine at the same moment: its drift from one window to the next
          // (±30 %) cancels out of their ratio.
          const measured = await Promise.all(
            servers.map(({ label, server, token }) => {
              const profile =
                options.profile &&
                join(
                  options.profile,
                  `${scenario.name.split(' ')[0]}-c${concurrency}-r${round}${label ? `-${label.replace(/\W+/g, '_')}` : ''}.cpuprofile`,
                );
              return measure(server, token, scenario, concurrency, options.seconds, profile || undefined);
            }),
          );
          for (const [i, m] of measured.entries()) {
            const { label } = servers[i];
            results.push({ ...m, label });
            failures += m.failures;
            log(
              `round ${round} c=${concurrency} ${label ? `[${label}] ` : ''}${scenario.name}: ${fmt(m.reqPerSec)} req/s, p50 ${fmt(m.p50)} p95 ${fmt(m.p95)} p99 ${fmt(m.p99)} ms, ` +
                `server CPU ${m.cpuMsPerRequest.toFixed(3)} ms/req (${(100 * m.systemShare).toFixed(0)} % system), ${m.statementsPerOp.toFixed(2)} statements/op, ${m.bytes} B` +
                (m.failures ? `, FAILED ${m.failures}: ${m.firstFailure}` : ''),
            );
          }
        }
      }
    }
    for (const { label, server } of servers) {
      log(
        `\nSummary${label ? ` [${label}]` : ''} (${database.description}; ${options.customers} customers; ${server.description}; ranges over ${options.rounds} rounds):`,
      );
      log(
        summary(
          results.filter((m) => m.label === label),
          chosen,
          options.concurrency,
        ),
      );
    }
    if (other) log(`\n${comparison(results, labels, chosen, options.concurrency)}`);
  } finally {
    for (const { server } of servers)
      await server.stop().catch((error) => console.error('stopping a server failed:', error));
    await database.dispose().catch((error) => console.error('removing the database failed:', error));
    try {
      other?.dispose();
    } catch (error) {
      console.error('removing the --compare worktree failed:', error);
    }
  }
  if (failures > 0) {
    console.error(`\n${failures} request(s) failed: see the FAILED lines above.`);
    process.exitCode = 1;
  }

  async function login(url: string): Promise<string> {
    const response = await post(url, null, {
      query: 'mutation Login($input: LoginInput!) { login(input: $input) { token userErrors { code message } } }',
      variables: { input: { email: 'admin@example.com', password: 'admin-demo-password' } },
    });
    return JSON.parse(response.text).data.login.token;
  }
}

interface Bench {
  label: string;
  server: ServerProcess;
  token: string;
}

/** Inputs for PGlite, read through the API (its database is inside the server process). */
async function benchDataOverApi(url: string, token: string): Promise<BenchData> {
  const ids: string[] = [];
  const updatable: { id: string; version: number }[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const body = JSON.parse(
      (
        await post(url, token, {
          query:
            'query Ids($after: String) { customers(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id version orderCount } } } }',
          variables: { after },
        })
      ).text,
    );
    const connection = body.data.customers;
    for (const { node } of connection.edges) {
      ids.push(node.id);
      updatable.push({ id: node.id, version: node.version });
    }
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  const heavy = JSON.parse(
    (
      await post(url, token, {
        query:
          'query Heavy { customers(first: 100, sort: { field: TOTAL_SPENT, direction: DESC }) { edges { node { id } } } }',
      })
    ).text,
  );
  return {
    ids,
    heavyIds: heavy.data.customers.edges.map((e: { node: { id: string } }) => e.node.id),
    updatable,
    run: `${Date.now().toString(36)}${process.pid}`,
  };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

// API benchmark (SPEC §6): seeds a fresh database, starts the real server in this process on
// 127.0.0.1, logs in over HTTP and measures six scenarios with a bounded request loop.
//   npm run bench -- [--customers 10000] [--requests 300] [--concurrency 8] [--db pglite|postgres]
// A measurement, not a test: exits 0 when targets are missed, 1 only when requests failed.
import 'reflect-metadata';
import { cpus } from 'node:os';
import { startApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { applyMigrations } from '../src/db/migrate';
import { seedCustomers, seedDemoData } from '../src/db/seed';
import { toGlobalId } from '../src/graphql/relay';
import {
  describeRow, openBenchDatabase, parseOptions, postGraphQL, runLoad, summarise, table,
  type BenchDatabase, type GraphQLRequest, type Row,
} from './support';

const REQUEST_TIMEOUT_MS = 30_000;

const LIST = `query BenchList {
  customers(first: 50, sort: { field: NAME }) {
    totalCount
    edges { node { id customerNumber firstName lastName email addresses { city } loyalty { tier pointsBalance } } }
  }
}`;
const SEARCH = `query BenchSearch($search: String!) {
  customers(first: 20, filter: { search: $search }) { totalCount edges { node { id } } }
}`;
const FILTERED = `query BenchFiltered {
  customers(first: 50, filter: { status: [ACTIVE], country: "US" }, sort: { field: TOTAL_SPENT, direction: DESC }) {
    totalCount
    edges { node { id customerNumber firstName lastName email totalSpent addresses { city } loyalty { tier pointsBalance } } }
  }
}`;
const GET = `query BenchGet($id: ID!) {
  customer(id: $id) {
    id customerNumber firstName lastName email phone status
    addresses { id line1 city country isDefault }
    owner { id name email }
    loyalty { tier pointsBalance lifetimePoints }
  }
}`;
const CREATE = `mutation BenchCreate($input: CustomerCreateInput!) {
  customerCreate(input: $input) { customer { id customerNumber } userErrors { code field message } }
}`;
const EARN = `mutation BenchEarn($customerId: ID!, $input: LoyaltyPointsInput!) {
  loyaltyPointsEarn(customerId: $customerId, input: $input) { entry { id } account { tier pointsBalance } replayed userErrors { code field message } }
}`;

interface Scenario {
  name: string;
  /** SPEC §6 target for p95, in ms. */
  targetMs?: number;
  /** The request for call number `n` (unique across warm-up and measured calls). */
  request: (n: number) => GraphQLRequest;
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(2)} s`;

async function main() {
  const options = parseOptions();
  // NODE_ENV=test as in the test suite; it also stops Apollo from installing its own SIGINT handler
  // (which would kill the process before the handler below drops the bench database).
  process.env.NODE_ENV = 'test';
  const config = loadConfig(process.env, { port: 0, host: '127.0.0.1', logLevel: 'silent' });
  console.log(`API benchmark: ${options.customers} customers, ${options.requests} requests per scenario, concurrency ${options.concurrency}, ${options.warmup} warm-up requests per scenario (not measured)`);
  console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'})`);
  console.log('Server, load generator and (on PGlite) the database run in this one Node process: latencies include the');
  console.log("client's own work, and RSS / heap figures are the whole process's.\n");

  let bench: BenchDatabase | undefined;
  let app: App | undefined;
  const rows: Row[] = [];
  let failed = 0;
  try {
    let t = performance.now();
    bench = await openBenchDatabase(options.db, config.dbPoolSize);
    const { db } = bench;
    // Ctrl-C: still drop the bench_… database on PostgreSQL.
    process.once('SIGINT', () => void bench?.close().finally(() => process.exit(130)));
    console.log(`database: ${bench.description}`);
    await applyMigrations(db.sql);
    console.log(`migrations applied in ${seconds(t)}`);
    t = performance.now();
    await seedDemoData(db);
    console.log(`demo data seeded in ${seconds(t)}`);
    t = performance.now();
    await seedCustomers(db.sql, options.customers);
    const [{ count }] = await db.sql.query<{ count: number }>('SELECT count(*)::int AS count FROM customers');
    console.log(`seedCustomers(${options.customers}) (bulk insert, then ANALYZE) in ${seconds(t)}; ${count} customers in the database`);

    app = await startApp(config, { db });
    const url = app.url;
    if (new URL(url).hostname !== '127.0.0.1') throw new Error(`refusing to send traffic to ${url}`);
    console.log(`server: ${url}`);
    const login = await postGraphQL(url, null, {
      query: 'mutation Login($input: LoginInput!) { login(input: $input) { token userErrors { code message } } }',
      variables: { input: { email: 'admin@example.com', password: 'admin-demo-password' } },
    }, REQUEST_TIMEOUT_MS);
    const token = (login.login as { token: string }).token;

    // Inputs drawn from the seeded data: a frequent one-word last name, and every customer id.
    const [{ last_name: lastName, n: lastNameCount }] = await db.sql.query<{ last_name: string; n: number }>(
      `SELECT last_name, count(*)::int AS n FROM customers WHERE last_name ~ '^[A-Za-z]+$' GROUP BY last_name ORDER BY n DESC, last_name LIMIT 1`,
    );
    const ids = (await db.sql.query<{ id: string }>('SELECT id FROM customers')).map((r) => toGlobalId('Customer', r.id));
    const randomId = () => ids[Math.floor(Math.random() * ids.length)];
    const run = `${Date.now().toString(36)}${process.pid}`;
    console.log(`search term: "${lastName}" (last name of ${lastNameCount} customers)\n`);

    const scenarios: Scenario[] = [
      { name: 'list', targetMs: 300, request: () => ({ query: LIST }) },
      { name: 'search', targetMs: 300, request: () => ({ query: SEARCH, variables: { search: lastName } }) },
      { name: 'filtered list', targetMs: 300, request: () => ({ query: FILTERED }) },
      { name: 'get', targetMs: 100, request: () => ({ query: GET, variables: { id: randomId() } }) },
      {
        name: 'create',
        targetMs: 200,
        request: (n) => ({
          query: CREATE,
          variables: {
            input: {
              firstName: 'Bench',
              lastName: `Customer ${n}`,
              email: `bench.${run}.${n}@example.com`,
              consent: { dataProcessing: true },
              addresses: [{ line1: `${1 + (n % 200)} Bench Street`, city: 'Boston', region: 'MA', postalCode: '02108', country: 'US' }],
            },
          },
        }),
      },
      {
        name: 'loyalty earn',
        request: (n) => ({
          query: EARN,
          variables: { customerId: randomId(), input: { idempotencyKey: `bench-${run}-${n}`, points: 10 + (n % 90), reason: 'Benchmark purchase' } },
        }),
      },
    ];

    let statements = 0;
    db.onQuery(() => statements++);
    for (const scenario of scenarios) {
      let n = 0;
      const send = () => postGraphQL(url, token, scenario.request(n++), REQUEST_TIMEOUT_MS);
      const maxMs = options.maxSeconds * 1000;
      const warmup = await runLoad(options.warmup, options.concurrency, maxMs, send);
      statements = 0;
      const load = await runLoad(options.requests, options.concurrency, maxMs, send);
      const perRequest = statements / options.requests;
      for (const [reason, count] of warmup.failures) load.failures.set(`(warm-up) ${reason}`, count);
      const row = summarise(scenario.name, options.requests, options.concurrency, load, scenario.targetMs);
      rows.push(row);
      failed += load.failed + warmup.failed;
      console.log(`${scenario.name}\n${describeRow(row, load)}\n  SQL statements per request (Prisma): ${perRequest.toFixed(1)}\n`);
    }

    console.log(`Summary (${bench.description}; ${options.customers} customers; SPEC §6 targets are defined at 10,000 customers and`);
    console.log('checked against p95; latencies measured by the in-process client, server and load generator share the CPU):');
    console.log(table(rows));
  } finally {
    await app?.close().catch((error) => console.error('closing the server failed:', error));
    await bench?.close().catch((error) => console.error('closing the database failed:', error));
  }
  if (failed > 0) {
    console.error(`\n${failed} request(s) failed: see the FAILED lines above.`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

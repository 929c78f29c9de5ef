// Runs once before the "concurrency" project (TEST_DATABASE_URL unset): finds the PostgreSQL
// server its tests run against. PGlite executes one transaction at a time, so row locks,
// unique-index races and counters are only proven on a real server.
import { Client } from 'pg';

export const DEFAULT_CONCURRENCY_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export default async function findConcurrencyDatabase(): Promise<void> {
  const url = process.env.CONCURRENCY_DATABASE_URL || DEFAULT_CONCURRENCY_DATABASE_URL;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    process.env.CONCURRENCY_DATABASE_URL = url;
    delete process.env.CONCURRENCY_SKIP_REASON;
    console.log(`\nconcurrency tests: on PostgreSQL at ${redact(url)}`);
  } catch (error) {
    const reason = `no PostgreSQL answers at ${redact(url)} (${(error as Error).message}); set TEST_DATABASE_URL or CONCURRENCY_DATABASE_URL`;
    // CI must not pass by skipping them.
    if (process.env.TEST_REQUIRE_POSTGRES) throw new Error(`concurrency tests: ${reason}`);
    delete process.env.CONCURRENCY_DATABASE_URL;
    process.env.CONCURRENCY_SKIP_REASON = reason;
    console.log(`\nconcurrency tests: SKIPPED, ${reason}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

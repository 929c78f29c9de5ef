// Concurrency tests live in *.concurrency.test.ts and run only on PostgreSQL (jest.config.js):
// PGlite runs one transaction at a time, so requests "at once" merely interleave there and a
// missing row lock, a read-then-write counter or an unmapped unique violation would still pass.
import type { Database } from '../../src/db/client';
import { onPostgres } from './database';

const skipReason = () =>
  process.env.CONCURRENCY_SKIP_REASON ??
  'PGlite runs one transaction at a time; run with TEST_DATABASE_URL or a local PostgreSQL';

/** `describe` on PostgreSQL; elsewhere `describe.skip` whose title says why. */
export function describeConcurrency(title: string, body: () => void): void {
  if (onPostgres()) describe(title, body);
  else describe.skip(`${title} [skipped: ${skipReason()}]`, body);
}

/** Polls (without timers) until a statement of the test's database waits on a lock. */
export async function untilLockWait(db: Pick<Database, 'sql'>, what: string): Promise<void> {
  for (let polls = 0; ; polls++) {
    const [row] = await db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (row.n > 0) return;
    if (polls > 10_000) throw new Error(`${what} never waited on a lock`);
  }
}

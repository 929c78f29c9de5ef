// Concurrency tests live in *.concurrency.test.ts and run only on PostgreSQL (jest.config.js):
// PGlite runs one transaction at a time, so requests "at once" merely interleave there and a
// missing row lock, a read-then-write counter or an unmapped unique violation would still pass.
import { onPostgres } from './database';

const skipReason = () =>
  process.env.CONCURRENCY_SKIP_REASON ??
  'PGlite runs one transaction at a time; run with TEST_DATABASE_URL or a local PostgreSQL';

/** `describe` on PostgreSQL; elsewhere `describe.skip` whose title says why. */
export function describeConcurrency(title: string, body: () => void): void {
  if (onPostgres()) describe(title, body);
  else describe.skip(`${title} [skipped: ${skipReason()}]`, body);
}

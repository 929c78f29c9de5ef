// Set-based work over every customer (segment membership, the analytics snapshot) legitimately
// runs longer than a request may: the API's pooled connections carry a short statement_timeout
// (DB_STATEMENT_TIMEOUT_MS, 5 s by default) and transactions a 30 s limit (src/db/client.ts), both
// meant for runaway requests. At a million customers one recalculation takes seconds, and under
// load it crossed 5 s (a scheduled lifecycle recalculation failed during a benchmark).
import type { PrismaClient, Tx } from './client';

/** Time allowed to one set-based transaction and to each of its statements. */
export const BULK_TIMEOUT_MS = 15 * 60_000;

/** Prisma `$transaction` options of a set-based transaction. */
export const BULK_TRANSACTION = { timeout: BULK_TIMEOUT_MS } as const;

/**
 * Lifts the request statement_timeout for the rest of the transaction `tx` only (set_config with
 * is_local = true, i.e. SET LOCAL: the pooled connection gets its own setting back at COMMIT or
 * ROLLBACK). One statement, before the set-based one.
 */
export async function allowBulkStatements(tx: Tx): Promise<void> {
  await tx.$queryRawUnsafe(`SELECT set_config('statement_timeout', '${BULK_TIMEOUT_MS}', true)`);
}

/** `fn` in one Prisma transaction under the bulk limits (both of them, from its first statement on). */
export function bulkTransaction<T>(prisma: PrismaClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await allowBulkStatements(tx);
    return fn(tx);
  }, BULK_TRANSACTION);
}

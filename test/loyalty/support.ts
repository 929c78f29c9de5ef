// Shared checks of the loyalty tests: the ledger invariants, read straight from the database.
import type { TestDatabase } from '../helpers/database';
import { databaseSnapshot } from '../helpers/snapshot';

export interface LedgerState {
  accountId: string;
  tier: string;
  balance: number;
  lifetime: number;
  ledgerSum: number;
  /** EARN points less those of refunded orders (a CLAWBACK's taken + shortfall). */
  earnSum: number;
  lotRemaining: number;
  entries: number;
}

/** The account of a customer with the sums the invariants compare. */
export async function ledgerState(db: TestDatabase, customerId: string): Promise<LedgerState> {
  const [row] = await db.sql.query<Record<string, unknown>>(
    `SELECT a.id, a.tier::text AS tier, a.points_balance, a.lifetime_points,
            coalesce(sum(l.points), 0)::int AS ledger_sum,
            (coalesce(sum(l.points) FILTER (WHERE l.type = 'EARN'), 0)
              - coalesce(sum(l.shortfall - l.points) FILTER (WHERE l.type = 'CLAWBACK'), 0))::int AS earn_sum,
            coalesce(sum(l.remaining), 0)::int AS lot_remaining,
            count(l.id)::int AS entries
     FROM loyalty_accounts a LEFT JOIN loyalty_ledger l ON l.account_id = a.id
     WHERE a.customer_id = $1 GROUP BY a.id`,
    [customerId],
  );
  return {
    accountId: String(row.id),
    tier: String(row.tier),
    balance: Number(row.points_balance),
    lifetime: Number(row.lifetime_points),
    ledgerSum: Number(row.ledger_sum),
    earnSum: Number(row.earn_sum),
    lotRemaining: Number(row.lot_remaining),
    entries: Number(row.entries),
  };
}

/** balance == sum(ledger) == sum(remaining of lots) >= 0, lifetime == sum(EARN) − what refunds clawed back (taken + shortfall), and balanceAfter chains. */
export async function expectConsistentLedger(db: TestDatabase, customerId: string): Promise<LedgerState> {
  const state = await ledgerState(db, customerId);
  expect(state.balance).toBeGreaterThanOrEqual(0);
  expect(state.ledgerSum).toBe(state.balance);
  expect(state.lotRemaining).toBe(state.balance);
  expect(state.lifetime).toBe(state.earnSum);
  const broken = await db.sql.query(
    `SELECT id FROM (
       SELECT id, balance_after, points, lag(balance_after, 1, 0) OVER (ORDER BY created_at, id) AS before FROM loyalty_ledger WHERE account_id = $1
     ) chain WHERE before + points <> balance_after`,
    [state.accountId],
  );
  expect(broken).toEqual([]);
  return state;
}

/** databaseSnapshot plus the loyalty tables it does not cover. */
export async function loyaltySnapshot(db: TestDatabase): Promise<Record<string, string>> {
  const snapshot = await databaseSnapshot(db);
  for (const table of ['rewards', 'reward_redemptions', 'loyalty_tier_changes']) {
    const [row] = await db.sql.query<{ digest: string | null; n: string }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*)::text AS n FROM ${table} t`,
    );
    snapshot[table] = `${row.n}:${row.digest ?? ''}`;
  }
  return snapshot;
}

let keys = 0;
/** A fresh idempotency key. */
export const newKey = (prefix = 'k') =>
  `${prefix}-${Date.now().toString(36)}-${++keys}-${Math.random().toString(36).slice(2, 8)}`;

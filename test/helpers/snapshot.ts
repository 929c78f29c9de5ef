import type { TestDatabase } from './database';

// Tables whose content a failed mutation must leave exactly as it was.
const TABLES = [
  'customers',
  'addresses',
  'loyalty_accounts',
  'loyalty_ledger',
  'orders',
  'feedback',
  'policies',
  'claims',
  'consent_changes',
  'audit_log',
  'notifications',
  'segment_memberships',
  'segment_membership_changes',
  'rewards',
  'reward_redemptions',
  'loyalty_tier_changes',
  'policy_premium_changes',
  'policy_renewals',
  'customer_events',
  'staff_users',
];

/**
 * A fingerprint of every row of the domain tables (md5 of the ordered rows), to assert that
 * bad input "leaves the database exactly as it was".
 */
export async function databaseSnapshot(db: TestDatabase): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await db.sql.query<{ digest: string | null; n: string }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*)::text AS n FROM ${table} t`,
    );
    snapshot[table] = `${row.n}:${row.digest ?? ''}`;
  }
  return snapshot;
}

import type { TestDatabase } from './database';

/**
 * Every table of the database, read from the catalogue (not a hand-kept list), so a table added
 * by a migration is covered without anyone remembering.
 */
export async function tablesOf(db: TestDatabase): Promise<string[]> {
  const rows = await db.sql.query<{ name: string }>(
    `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/**
 * A fingerprint of every row of every table (md5 of the ordered rows), to assert that bad input
 * "leaves the database exactly as it was". Keys are table names without the `public.` prefix.
 */
export async function databaseSnapshot(db: TestDatabase): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const table of await tablesOf(db)) {
    const [row] = await db.sql.query<{ digest: string | null; n: string }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*)::text AS n FROM ${table} t`,
    );
    snapshot[table.replace(/^public\./, '')] = `${row.n}:${row.digest ?? ''}`;
  }
  return snapshot;
}

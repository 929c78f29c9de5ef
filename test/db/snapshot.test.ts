// The "database unchanged" helper (test/helpers/snapshot.ts) must see every table, including
// ones added later: it reads the catalogue, so a write anywhere changes the snapshot.
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { databaseSnapshot } from '../helpers/snapshot';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

it('covers every table of the schema (pg_tables), e.g. segments and policy_number_counters', async () => {
  const tables = (
    await db.sql.query<{ tablename: string }>(
      `SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    )
  ).map((r) => r.tablename);
  const snapshot = await databaseSnapshot(db);
  expect(Object.keys(snapshot).sort()).toEqual(tables);
  expect(tables).toEqual(
    expect.arrayContaining(['segments', 'policy_number_counters', 'customers', '_prisma_migrations']),
  );
});

it('changes when a row of a table nobody listed by hand changes', async () => {
  const before = await databaseSnapshot(db);
  await db.sql.query(
    `INSERT INTO policy_number_counters (type, last_value) VALUES ('TRAVEL', 7) ON CONFLICT (type) DO UPDATE SET last_value = policy_number_counters.last_value + 1`,
  );
  const after = await databaseSnapshot(db);
  expect(after.policy_number_counters).not.toBe(before.policy_number_counters);
  expect({ ...after, policy_number_counters: null }).toEqual({ ...before, policy_number_counters: null });
});

// Set-based recalculations (segment membership, the analytics snapshot, policy expiry) read every row and
// may take longer than the request statement_timeout (DB_STATEMENT_TIMEOUT_MS); they run under the
// bulk limit of src/db/bulk.ts for their own transaction only. A scheduled lifecycle recalculation
// once failed on the 5 s request timeout while a benchmark loaded the database.
// PostgreSQL only: PGlite has no statement_timeout to lift.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApp, type App } from '../../src/app';
import { TokenKeys } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/client';
import { seedCustomers } from '../../src/db/seed';
import { insertPolicy } from '../policy/policy.documents';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/database';

const jwtSecret = randomBytes(48).toString('base64url');
const config = loadConfig({ NODE_ENV: 'test' }, { port: 0, host: '127.0.0.1', jwtSecret });
const ADMIN_ID = '00000000-0000-4000-8000-000000000001';
const adminToken = new TokenKeys({ secret: jwtSecret, ttlSeconds: 600 }).issue(ADMIN_ID, 0).token;
/** The request statement_timeout of this test's server; each slowed statement below sleeps longer. */
const REQUEST_TIMEOUT_MS = 300;

type Answer = { data?: Record<string, any>; errors?: { extensions?: { code?: string } }[] };

(onPostgres() ? describe : describe.skip)('set-based recalculations outlast the request statement_timeout', () => {
  let test: TestDatabase;
  let db: Database;
  let app: App;
  let admin: Client;
  const post = async (query: string, variables: Record<string, unknown> = {}): Promise<Answer> => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  };
  const codes = (answer: Answer) => answer.errors?.map((e) => e.extensions?.code) ?? [];

  beforeAll(async () => {
    test = await createTestDatabase();
    await seedCustomers(test.sql, 40);
    await test.sql.exec(
      `INSERT INTO staff_users (id, email, name, role, updated_at) VALUES ('${ADMIN_ID}', 'bulk@example.com', 'B', 'ADMIN', now())`,
    );
    // One pooled connection: every request below, the recalculations included, runs on it, so a
    // lifted timeout that leaked past its transaction would show in the last test.
    db = await openDatabase({ url: test.url, poolSize: 1, statementTimeoutMs: REQUEST_TIMEOUT_MS });
    app = await startApp(config, { db });
    admin = new Client({ connectionString: test.url });
    await admin.connect();
    // Every statement writing memberships or analytics snapshots now takes 0.6 s, twice the request limit.
    await admin.query(`
      CREATE FUNCTION test_slow_statement() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.6); RETURN NULL; END $$;
      CREATE TRIGGER test_slow AFTER INSERT ON segment_memberships FOR EACH STATEMENT EXECUTE FUNCTION test_slow_statement();
      CREATE TRIGGER test_slow AFTER INSERT ON customer_analytics FOR EACH STATEMENT EXECUTE FUNCTION test_slow_statement();
      CREATE TRIGGER test_slow AFTER UPDATE ON policies FOR EACH STATEMENT EXECUTE FUNCTION test_slow_statement();`);
  }, 120_000);

  afterAll(async () => {
    await admin?.end();
    await app?.close();
    await db?.close();
    await test?.close();
  });

  const staticSegment = async () => {
    const created = await post(
      `mutation { segmentCreate(input: { name: "static ${randomBytes(3).toString('hex')}", kind: STATIC }) { segment { id } userErrors { code } } }`,
    );
    return created.data!.segmentCreate.segment.id as string;
  };
  const addMembers = async (segmentId: string) => {
    const customer = (await admin.query<{ id: string }>(`SELECT id FROM customers ORDER BY number LIMIT 1`)).rows[0];
    const globalId = Buffer.from(`Customer:${customer.id}`).toString('base64');
    return post(
      `mutation ($id: ID!, $c: [ID!]!) { segmentMembersAdd(id: $id, customerIds: $c) { segment { memberCount } } }`,
      {
        id: segmentId,
        c: [globalId],
      },
    );
  };

  it('an ordinary write that is as slow is cancelled (QUERY_TIMEOUT): the request limit is in force', async () => {
    const answer = await addMembers(await staticSegment());
    expect(codes(answer)).toEqual(['QUERY_TIMEOUT']);
  });

  it('creating a DYNAMIC segment, recalculating it and recalculating all succeed', async () => {
    const created = await post(
      `mutation { segmentCreate(input: { name: "active", kind: DYNAMIC, criteria: { condition: { field: STATUS, operator: EQ, value: "ACTIVE" } } }) { segment { id memberCount } userErrors { code field } } }`,
    );
    expect(codes(created)).toEqual([]);
    expect(created.data!.segmentCreate.userErrors).toEqual([]);
    const { id, memberCount } = created.data!.segmentCreate.segment;
    const stored = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM segment_memberships WHERE segment_id = (SELECT id FROM segments WHERE name = 'active')`,
    );
    expect(memberCount).toBe(stored.rows[0].n);
    expect(memberCount).toBeGreaterThan(0);

    const again = await post(
      `mutation ($id: ID!) { segmentRecalculate(id: $id) { recalculation { memberCount } userErrors { code } } }`,
      { id },
    );
    expect(codes(again)).toEqual([]);
    expect(again.data!.segmentRecalculate.recalculation.memberCount).toBe(memberCount);

    const all = await post(`mutation { segmentRecalculateAll { recalculated userErrors { code } } }`);
    expect(codes(all)).toEqual([]);
    // "active" and the built-in lifecycle segments.
    expect(all.data!.segmentRecalculateAll.recalculated).toBeGreaterThan(1);
  }, 60_000);

  it('the analytics snapshot of every customer succeeds', async () => {
    const answer = await post(`mutation { analyticsRecalculate { customers userErrors { code } } }`);
    expect(codes(answer)).toEqual([]);
    expect(answer.data!.analyticsRecalculate.customers).toBe(40);
  }, 60_000);

  it('expiring and activating the policies that are due succeeds (the policy_status job)', async () => {
    const customer = (await admin.query<{ id: string }>(`SELECT id FROM customers ORDER BY number LIMIT 1`)).rows[0];
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await insertPolicy(test, customer.id, { startDate: day(-400), endDate: day(-35) });
    await insertPolicy(test, customer.id, { status: 'PENDING', startDate: day(-1), endDate: day(364) });
    const answer = await post(`mutation { policyExpireDue { expiredCount activatedCount userErrors { code } } }`);
    expect(codes(answer)).toEqual([]);
    expect(answer.data!.policyExpireDue).toEqual({ expiredCount: 1, activatedCount: 1, userErrors: [] });
  }, 60_000);

  it('afterwards the same pooled connection has its request limit again', async () => {
    const answer = await addMembers(await staticSegment());
    expect(codes(answer)).toEqual(['QUERY_TIMEOUT']);
  });
});

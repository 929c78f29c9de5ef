import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { DEMO_USERS } from '../../src/db/seed';
import { graphql } from '../generated';
import { onPostgres } from '../helpers/database';

const InfraLogin = graphql(`
  mutation InfraLogin($input: LoginInput!) {
    login(input: $input) {
      token
      userErrors { code message }
    }
  }
`);

const InfraCustomerTotal = graphql(`
  query InfraCustomerTotal {
    customers(first: 1) {
      totalCount
    }
  }
`);

const InfraPersistCreate = graphql(`
  mutation InfraPersistCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer { id email }
      userErrors { code field message }
    }
  }
`);

const InfraPersistFetch = graphql(`
  query InfraPersistFetch($id: ID!) {
    customer(id: $id) { id email firstName lastName }
  }
`);

async function gql<R, V>(app: App, document: TypedDocumentNode<R, V>, variables: V, token?: string): Promise<R> {
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: R; errors?: unknown[] };
  if (response.status !== 200 || body.errors)
    throw new Error(`GraphQL request failed (${response.status}): ${JSON.stringify(body)}`);
  return body.data!;
}

const ADMIN = DEMO_USERS.find((user) => user.role === 'ADMIN')!;

async function loginAsDemoAdmin(app: App): Promise<string> {
  const { login } = await gql(app, InfraLogin, { input: { email: ADMIN.email, password: ADMIN.password } });
  expect(login.userErrors).toEqual([]);
  expect(login.token).toEqual(expect.any(String));
  return login.token!;
}

const count = async (app: App, table: string) =>
  (await app.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
const tableCounts = async (app: App) => ({
  staff: await count(app, 'staff_users'),
  customers: await count(app, 'customers'),
  rewards: await count(app, 'rewards'),
  migrations: await count(app, '_prisma_migrations'),
});

// The embedded default keeps its data in a directory across restarts. startApp without a db
// opens the database of its config, and loadConfig({ NODE_ENV: 'test' }) has no DATABASE_URL, so
// this always runs on PGlite on disk. On the PostgreSQL leg it would only repeat the PGlite
// run (persistence of a PostgreSQL server is not ours to test), so it is skipped there.
const describeOnPglite = onPostgres() ? describe.skip : describe;

describeOnPglite('the embedded PGlite database survives a restart', () => {
  let dataDir: string;
  let app: App | undefined;
  const start = async () => {
    const config = loadConfig(
      { NODE_ENV: 'test' },
      { port: 0, host: '127.0.0.1', pgliteDataDir: dataDir, seedDemoData: true },
    );
    expect(config.databaseUrl).toBeUndefined();
    app = await startApp(config);
    expect(app.db.kind).toBe('pglite');
    return app;
  };
  const stop = async () => {
    const running = app;
    app = undefined;
    await running?.close();
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'infra-pglite-'));
  });
  afterAll(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds the first start, keeps everything on the second, and does not seed again', async () => {
    // First start: empty directory → migrate, seed the demo data.
    const first = await start();
    let token = await loginAsDemoAdmin(first);
    const seeded = await gql(first, InfraCustomerTotal, {}, token);
    expect(seeded.customers.totalCount).toBeGreaterThan(0);

    const email = `infra.persist.${Date.now()}@example.com`;
    const { customerCreate } = await gql(
      first,
      InfraPersistCreate,
      { input: { firstName: 'Persis', lastName: 'Tent', email, consent: { dataProcessing: true } } },
      token,
    );
    expect(customerCreate.userErrors).toEqual([]);
    const created = customerCreate.customer!;
    expect(created.email).toBe(email);
    const afterFirstRun = await tableCounts(first);
    expect(afterFirstRun).toMatchObject({ staff: DEMO_USERS.length, customers: seeded.customers.totalCount + 1 });
    const migrationRows = await first.db.sql.query(
      'SELECT id, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    await stop();

    // Second start on the same directory: same data, no second seed, no migration re-applied.
    const second = await start();
    token = await loginAsDemoAdmin(second);
    expect(await tableCounts(second)).toEqual(afterFirstRun);
    expect(
      await second.db.sql.query('SELECT id, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name'),
    ).toEqual(migrationRows);
    expect((await gql(second, InfraCustomerTotal, {}, token)).customers.totalCount).toBe(
      seeded.customers.totalCount + 1,
    );
    const { customer } = await gql(second, InfraPersistFetch, { id: created.id }, token);
    expect(customer).toEqual({ id: created.id, email, firstName: 'Persis', lastName: 'Tent' });
    await stop();
  }, 180_000);
});

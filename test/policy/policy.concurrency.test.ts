// Policy writes at the same time, on PostgreSQL only (test/helpers/concurrency.ts): numbers come
// from the counter row's lock, expiry runs from row locks, on any number of server instances.
import { print } from 'graphql';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/client';
import { formatPolicyNumber } from '../../src/modules/policy/policy.numbering';
import { graphql } from '../generated';
import { describeConcurrency } from '../helpers/concurrency';
import { insertCustomer, insertCustomers } from '../helpers/factories';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server';
import { day, insertPolicy, PolicyCreate, policyInput } from './policy.documents';

const ConcPolicyExpireDue = graphql(`
  mutation ConcPolicyExpireDue($input: PolicyExpireDueInput) {
    policyExpireDue(input: $input) { expiredCount activatedCount userErrors { code field message } }
  }
`);

type CreateResult = { data?: { policyCreate: { policy: { policyNumber: string } | null; userErrors: unknown[] } } };

const sequence = (type: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => formatPolicyNumber(type as 'AUTO', from + i));

describeConcurrency('policy numbers and expiry runs at the same time', () => {
  let server: TestServer;
  let second: { app: App; db: Database } | undefined;
  let customers: Awaited<ReturnType<typeof insertCustomers>>;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    customers = await insertCustomers(server.db, 10);
    token = await server.token('admin');
    await server.token('manager');
    const db = await openDatabase({ url: server.db.url! });
    second = {
      db,
      app: await startApp(
        loadConfig({ NODE_ENV: 'test' }, { port: 0, host: '127.0.0.1', jwtSecret: TEST_JWT_SECRET }),
        { db },
      ),
    };
  });
  afterAll(async () => {
    if (second) {
      await second.app.close();
      await second.db.close();
    }
    await server.close();
  });

  /** Sends policyCreate to an app's URL with the admin's token (every instance accepts it: same signing key). */
  const createOn = async (url: string, customerGlobalId: string, type: 'AUTO' | 'HOME'): Promise<string> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: print(PolicyCreate),
        variables: { customerId: customerGlobalId, input: policyInput(type) },
      }),
    });
    const json = (await response.json()) as CreateResult & { errors?: unknown };
    expect({ errors: json.errors, userErrors: json.data?.policyCreate.userErrors }).toEqual({
      errors: undefined,
      userErrors: [],
    });
    return json.data!.policyCreate.policy!.policyNumber;
  };

  it('30 creates at once on one instance get 30 distinct numbers, without gaps', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => createOn(server.url, customers[i % 10].globalId, 'HOME')),
    );
    expect(new Set(numbers).size).toBe(30);
    expect([...numbers].sort()).toEqual(sequence('HOME', 1, 30));
  });

  it('creates at once on two server instances against one PostgreSQL never share a number', async () => {
    const urls = [server.url, second!.app.url];
    const numbers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => createOn(urls[i % 2], customers[i % 10].globalId, 'AUTO')),
    );
    expect(new Set(numbers).size).toBe(60);
    expect([...numbers].sort()).toEqual(sequence('AUTO', 1, 60));
    const [counter] = await server.db.sql.query<{ last_value: number }>(
      `SELECT last_value FROM policy_number_counters WHERE type = 'AUTO'`,
    );
    expect(counter.last_value).toBe(60);
    const distinct = await server.db.sql.query<{ n: number }>(
      `SELECT count(DISTINCT number)::int AS n FROM policies WHERE type = 'AUTO'`,
    );
    expect(distinct[0].n).toBe(60);
  });

  it('two policyExpireDue runs at once (one per instance) expire and activate each policy exactly once', async () => {
    const customer = await insertCustomer(server.db);
    const ended = await insertPolicy(server.db, customer.id, { type: 'LIFE', startDate: day(-400), endDate: day(-1) });
    const started = await insertPolicy(server.db, customer.id, {
      type: 'LIFE',
      status: 'PENDING',
      startDate: day(0),
      endDate: day(365),
    });
    const managerToken = await server.token('manager');
    const run = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${managerToken}` },
        body: JSON.stringify({ query: print(ConcPolicyExpireDue), variables: { input: {} } }),
      }).then(
        (r) =>
          r.json() as Promise<{
            data: { policyExpireDue: { expiredCount: number; activatedCount: number; userErrors: unknown[] } };
          }>,
      );
    const totals = (await Promise.all([run(server.url), run(second!.app.url)])).map((r) => r.data.policyExpireDue);
    expect(totals.flatMap((t) => t.userErrors)).toEqual([]);
    expect(totals.reduce((n, t) => n + t.expiredCount, 0)).toBe(1);
    expect(totals.reduce((n, t) => n + t.activatedCount, 0)).toBe(1);
    const rows = await server.db.prisma.policy.findMany({ where: { id: { in: [ended.id, started.id] } } });
    expect(Object.fromEntries(rows.map((p) => [p.id, p.status]))).toEqual({
      [ended.id]: 'EXPIRED',
      [started.id]: 'ACTIVE',
    });
    expect(await server.db.prisma.auditEntry.count({ where: { entityId: ended.id, action: 'policy.expire' } })).toBe(1);
  });
});

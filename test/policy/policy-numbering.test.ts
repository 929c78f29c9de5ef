import { print } from 'graphql';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/client';
import { formatPolicyNumber, normalisePolicyNumber } from '../../src/modules/policy/policy.numbering';
import { onPostgres } from '../helpers/database';
import { insertCustomers } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { PolicyCreate, policyInput } from './policy.documents';

type CreateResult = { data?: { policyCreate: { policy: { policyNumber: string } | null; userErrors: unknown[] } } };

const sequence = (type: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => formatPolicyNumber(type as 'AUTO', from + i));

describe('policy numbers', () => {
  it('are formatted and normalised per type', () => {
    expect(formatPolicyNumber('AUTO', 1)).toBe('AUTO-000001');
    expect(formatPolicyNumber('TRAVEL', 1234567)).toBe('TRAVEL-1234567');
    expect([' auto-1 ', 'AUTO-000001', 'home-0000042', 'AUTO000001', 'AUTO-', '-1'].map(normalisePolicyNumber)).toEqual(['AUTO-000001', 'AUTO-000001', 'HOME-000042', null, null, null]);
  });
});

describe('policy numbers under concurrent creates', () => {
  let server: TestServer;
  let second: { app: App; db: Database } | undefined;
  let customers: Awaited<ReturnType<typeof insertCustomers>>;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    customers = await insertCustomers(server.db, 10);
    token = await server.token('admin');
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
      body: JSON.stringify({ query: print(PolicyCreate), variables: { customerId: customerGlobalId, input: policyInput(type) } }),
    });
    const json = (await response.json()) as CreateResult & { errors?: unknown };
    expect({ errors: json.errors, userErrors: json.data?.policyCreate.userErrors }).toEqual({ errors: undefined, userErrors: [] });
    return json.data!.policyCreate.policy!.policyNumber;
  };

  it('30 concurrent creates on one instance get 30 distinct numbers, without gaps', async () => {
    const numbers = await Promise.all(Array.from({ length: 30 }, (_, i) => createOn(server.url, customers[i % 10].globalId, 'HOME')));
    expect(new Set(numbers).size).toBe(30);
    expect([...numbers].sort()).toEqual(sequence('HOME', 1, 30));
  });

  // Two server instances against one database need PostgreSQL: in-memory PGlite is private to
  // one process and one connection, so there is no second instance to race against there.
  (onPostgres() ? it : it.skip)('concurrent creates on two server instances against one PostgreSQL never share a number', async () => {
    const db = await openDatabase({ url: server.db.url! });
    second = { db, app: await startApp(loadConfig({ NODE_ENV: 'test' }, { port: 0, host: '127.0.0.1' }), { db }) };
    const urls = [server.url, second.app.url];
    const numbers = await Promise.all(Array.from({ length: 60 }, (_, i) => createOn(urls[i % 2], customers[i % 10].globalId, 'AUTO')));
    expect(new Set(numbers).size).toBe(60);
    expect([...numbers].sort()).toEqual(sequence('AUTO', 1, 60));
    const [counter] = await server.db.sql.query<{ last_value: number }>(`SELECT last_value FROM policy_number_counters WHERE type = 'AUTO'`);
    expect(counter.last_value).toBe(60);
    const distinct = await server.db.sql.query<{ n: number }>(`SELECT count(DISTINCT number)::int AS n FROM policies WHERE type = 'AUTO'`);
    expect(distinct[0].n).toBe(60);
  });
});

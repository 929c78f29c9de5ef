// Issue 8, "faults": a database that is down or restarting answers HTTP 503 SERVICE_UNAVAILABLE
// with Retry-After (retryable), a statement over statement_timeout answers QUERY_TIMEOUT, neither
// is an INTERNAL_SERVER_ERROR; and every error log line is JSON with the request id.
import pino from 'pino';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { startApp } from '../../src/app';
import { randomBytes } from 'node:crypto';
import { TokenKeys } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/client';
import { databaseFailure } from '../../src/db/errors';
import { seedCustomers } from '../../src/db/seed';
import { expectNoLeak } from '../helpers/bad-input';
import { createTestDatabase, onPostgres } from '../helpers/database';

const jwtSecret = randomBytes(48).toString('base64url');
const config = loadConfig({ NODE_ENV: 'test' }, { port: 0, host: '127.0.0.1', env: 'production', jwtSecret });
const ADMIN_ID = '00000000-0000-4000-8000-000000000001';
const adminToken = new TokenKeys({ secret: jwtSecret, ttlSeconds: 600 }).issue(ADMIN_ID, 0).token;
/** The staff row the token names: authentication checks that its user exists and is active. */
const addAdmin = (sql: { exec(sql: string): Promise<void> }) =>
  sql.exec(
    `INSERT INTO staff_users (id, email, name, role, updated_at) VALUES ('${ADMIN_ID}', 'a@example.com', 'A', 'ADMIN', now())`,
  );

const post = async (url: string, query: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    requestId: response.headers.get('x-request-id'),
    ...((await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] }),
  };
};

/** A pino logger whose JSON lines the test can read. */
function collectingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

describe('database failures are classified, not internal errors', () => {
  it.each([
    [
      'PostgreSQL admin_shutdown (restart)',
      { code: '57P01', severity: 'FATAL', message: 'terminating connection due to administrator command' },
      'unavailable',
    ],
    ['PostgreSQL starting up', { code: '57P03', message: 'the database system is starting up' }, 'unavailable'],
    ['a connection exception (class 08)', { code: '08006', message: 'connection failure' }, 'unavailable'],
    [
      'a refused socket',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      'unavailable',
    ],
    [
      'Prisma P1001 with the adapter cause',
      { code: 'P1001', meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } } },
      'unavailable',
    ],
    ["pg's dropped connection", new Error('Connection terminated unexpectedly'), 'unavailable'],
    [
      'statement_timeout',
      {
        code: 'P2010',
        meta: {
          driverAdapterError: {
            cause: { kind: 'postgres', originalCode: '57014', message: 'canceling statement due to statement timeout' },
          },
        },
      },
      'timeout',
    ],
    ['a unique violation', { code: 'P2002' }, null],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')"), null],
  ])('%s → %s', (_, error, expected) => {
    expect(databaseFailure(error)).toBe(expected);
  });
});

describe('a database that cannot be reached', () => {
  it('answers HTTP 503 SERVICE_UNAVAILABLE with Retry-After, and logs it as JSON with the request id', async () => {
    // Port 1: nothing listens, every connection is refused.
    const db = await openDatabase({ url: 'postgresql://postgres@127.0.0.1:1/none', poolSize: 1 });
    const { lines, logger } = collectingLogger();
    const app = await startApp(config, { db, logger });
    try {
      const res = await post(app.url, '{ customers(first: 1) { totalCount } }');
      expect({
        status: res.status,
        retryAfter: res.retryAfter,
        codes: res.errors?.map((e) => e.extensions?.code),
      }).toEqual({ status: 503, retryAfter: '2', codes: ['SERVICE_UNAVAILABLE'] });
      expectNoLeak(res as never);
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(parsed.find((line) => line.msg === 'database failure')).toMatchObject({
        requestId: res.requestId,
        code: 'SERVICE_UNAVAILABLE',
      });
    } finally {
      await app.close();
      await db.close();
    }
  });
});

describe('internal errors', () => {
  it('are logged once, as JSON, with the request id of the response', async () => {
    const db = await createTestDatabase();
    await addAdmin(db.sql);
    const { lines, logger } = collectingLogger();
    const app = await startApp(config, { db, logger });
    try {
      await db.sql.exec('DROP TABLE rewards CASCADE'); // a broken deployment: the query fails inside the database
      const res = await post(app.url, '{ rewards(first: 1, activeOnly: false) { totalCount } }');
      expect(res.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
        ['Internal server error', 'INTERNAL_SERVER_ERROR'],
      ]);
      expectNoLeak(res as never);
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>); // every line is JSON
      expect(parsed.filter((line) => line.msg === 'internal error')).toEqual([
        expect.objectContaining({ requestId: res.requestId, level: 50 }),
      ]);
    } finally {
      await app.close();
      await db.close();
    }
  });
});

(onPostgres() ? describe : describe.skip)('on PostgreSQL', () => {
  it('a statement over the statement timeout is cancelled by the server and answered QUERY_TIMEOUT', async () => {
    const test = await createTestDatabase();
    await seedCustomers(test.sql, 20_000);
    await addAdmin(test.sql);
    const db = await openDatabase({ url: test.url, poolSize: 1 });
    const { lines, logger } = collectingLogger();
    const app = await startApp(config, { db, logger });
    const admin = new Client({ connectionString: test.url });
    await admin.connect();
    try {
      // Authenticate once (the staff record is then cached), then give the request pool's next
      // connection a 1 ms statement_timeout: new sessions take the database's setting.
      expect((await post(app.url, '{ customers(first: 1) { totalCount } }')).status).toBe(200);
      const dbName = new URL(test.url!).pathname.slice(1);
      await admin.query(`ALTER DATABASE "${dbName}" SET statement_timeout = '1ms'`);
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND query NOT LIKE 'LISTEN%'`,
        [dbName],
      );
      const search = '{ customers(first: 100, filter: { search: "qqqzzz" }) { totalCount edges { node { id } } } }';
      let res = await post(app.url, search);
      // The first request may meet the terminated connection (503, retryable); the next one runs.
      if (res.status === 503) res = await post(app.url, search);
      if (res.status !== 200) console.log(lines.slice(-2));
      expect(res.status).toBe(200);
      expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['QUERY_TIMEOUT', 'The query took too long and was cancelled; narrow the filter or ask for a smaller page'],
      ]);
    } finally {
      await admin.end();
      await app.close();
      await db.close();
      await test.close();
    }
  });

  it('a query cut off by a server-side termination (as in a restart) is classified as unavailable', async () => {
    const test = await createTestDatabase();
    const killer = new Client({ connectionString: test.url });
    await killer.connect();
    try {
      const running = test.prisma.$queryRaw`SELECT pg_sleep(5)`.then(
        () => null,
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await killer.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()`,
      );
      const error = await running;
      expect(error).not.toBeNull();
      expect(databaseFailure(error)).toBe('unavailable');
    } finally {
      await killer.end();
      await test.close();
    }
  });
});

import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { startApp, type App } from '../../src/app';
import { hashPassword } from '../../src/auth/password';
import { loadConfig, type Config } from '../../src/config';
import type { StaffRole } from '../../src/generated/prisma/enums';
import { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from './database';

export const TEST_PASSWORD = 'correct horse battery staple';

/** Staff every test server has, one per role plus a second agent for ownership tests. */
export const STAFF = {
  admin: { email: 'admin@test.local', name: 'Ada Admin', role: 'ADMIN' },
  manager: { email: 'manager@test.local', name: 'Max Manager', role: 'MANAGER' },
  agent: { email: 'agent@test.local', name: 'Alice Agent', role: 'AGENT' },
  otherAgent: { email: 'agent2@test.local', name: 'Bob Agent', role: 'AGENT' },
  analyst: { email: 'analyst@test.local', name: 'Ann Analyst', role: 'ANALYST' },
} as const satisfies Record<string, { email: string; name: string; role: StaffRole }>;
export type StaffKey = keyof typeof STAFF;

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  app: App;
  db: TestDatabase;
  url: string;
  /** Database ids of the STAFF users. */
  staffIds: Record<StaffKey, string>;
  /** Sends a typed operation over HTTP, as `who` (a staff key), with a raw token, or anonymously (null). */
  gql<R, V>(
    document: TypedDocumentNode<R, V>,
    variables?: V,
    who?: StaffKey | { token: string } | null,
  ): Promise<GraphQLResponse<R>>;
  /** Sends a raw request body (for malformed queries and wrong variable types). */
  post(body: unknown, who?: StaffKey | null, headers?: Record<string, string>): Promise<GraphQLResponse<unknown>>;
  token(who: StaffKey): Promise<string>;
  close(): Promise<void>;
}

/** The HS256 secret of every test server in this file: a second instance must verify the first one's tokens. */
export const TEST_JWT_SECRET = randomBytes(48).toString('base64url');
/** Starts the real HTTP server on a free port over a fresh database with the STAFF users. */
export async function startTestServer(
  overrides: Partial<Config> = {},
  database: TestDatabaseOptions = {},
): Promise<TestServer> {
  const db = await createTestDatabase(database);
  const staffIds = {} as Record<StaffKey, string>;
  let app: App;
  try {
    const passwordHash = await hashPassword(TEST_PASSWORD);
    for (const [key, staff] of Object.entries(STAFF) as [StaffKey, (typeof STAFF)[StaffKey]][]) {
      staffIds[key] = (await db.prisma.staffUser.create({ data: { ...staff, passwordHash } })).id;
    }
    // A strong secret of its own, so that a test running in production mode (env override) starts.
    const config = loadConfig(
      { NODE_ENV: 'test' },
      { port: 0, host: '127.0.0.1', jwtSecret: TEST_JWT_SECRET, ...overrides },
    );
    app = await startApp(config, { db });
  } catch (error) {
    // A server that fails to start leaves nothing behind: its database is closed (on PostgreSQL, dropped).
    await db.close().catch(() => undefined);
    throw error;
  }
  const tokens = new Map<StaffKey, string>();

  const post = async (
    body: unknown,
    who: StaffKey | { token: string } | null = null,
    headers: Record<string, string> = {},
  ) => {
    const token = who === null ? undefined : typeof who === 'string' ? await server.token(who) : who.token;
    const response = await fetch(app.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const json = (await response.json()) as GraphQLResponse<unknown>;
    return { ...json, status: response.status };
  };

  const server: TestServer = {
    app,
    db,
    url: app.url,
    staffIds,
    gql: (document, variables, who = 'admin') => post({ query: print(document), variables }, who) as never,
    post,
    async token(who) {
      if (!tokens.has(who)) {
        const res = await post({
          query: 'mutation Login($input: LoginInput!) { login(input: $input) { token userErrors { code message } } }',
          variables: { input: { email: STAFF[who].email, password: TEST_PASSWORD } },
        });
        const token = (res.data as { login: { token: string | null } }).login.token;
        if (!token) throw new Error(`login as ${who} failed: ${JSON.stringify(res)}`);
        tokens.set(who, token);
      }
      return tokens.get(who)!;
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
  return server;
}

/**
 * Counts the statements of `request` for a page of 5 and of 50 (one after the other): a list's
 * statement count must not grow with the items it returns.
 */
export async function countAtFiveAndFifty<T>(db: TestDatabase, request: (first: number) => Promise<T>) {
  const five = await countStatements(db, () => request(5));
  const fifty = await countStatements(db, () => request(50));
  return { five, fifty };
}

/** Counts the SQL statements the database receives while `run` executes. */
export async function countStatements<T>(
  db: TestDatabase,
  run: () => Promise<T>,
): Promise<{ result: T; statements: number; sql: string[] }> {
  const sql: string[] = [];
  const stop = db.onQuery((query) => sql.push(query));
  try {
    const result = await run();
    return { result, statements: sql.length, sql };
  } finally {
    stop();
  }
}

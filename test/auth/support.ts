import { randomBytes } from 'node:crypto';
import { startApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { openDatabase } from '../../src/db/client';
import { TEST_JWT_SECRET, type TestServer } from '../helpers/server';

/** A secret both instances of a test share, as instances of one deployment do. */
export const sharedSecret = () => randomBytes(48).toString('base64url');

/**
 * A second server instance on the database of `server`: on PostgreSQL with its own connection
 * pool and its own LISTEN connection, as another process would have; on PGlite (one owner per
 * database) on the same database object.
 */
export async function startSecondInstance(
  server: TestServer,
  overrides: Partial<Config>,
): Promise<{ app: App; close(): Promise<void> }> {
  const db = server.db.url ? await openDatabase({ url: server.db.url, poolSize: 4 }) : server.db;
  const app = await startApp(
    loadConfig({ NODE_ENV: 'test' }, { port: 0, host: '127.0.0.1', jwtSecret: TEST_JWT_SECRET, ...overrides }),
    { db },
  );
  return {
    app,
    async close() {
      await app.close();
      if (db !== server.db) await db.close();
    },
  };
}

/** POSTs a query to `url` with a bearer token; returns status, body and headers. */
export async function postTo(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, any> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  return { status: response.status, headers: response.headers, ...body };
}

/**
 * Milliseconds until `probe` returns true, polling every 5 ms, or throws after `limitMs`. Instances
 * learn of a change by a NOTIFY that PostgreSQL delivers to each listener separately: "at once"
 * means within that delivery time (usually under a millisecond), not within one event-loop turn.
 */
export async function within(limitMs: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// GET /metrics: on the API's port (development, or with METRICS_TOKEN), or on a listener of its own
// (METRICS_PORT), never open on the API's port in production. README "Operations" has the rules.
import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { HttpRoute } from '../http/server';
import type { Logger } from '../logger';
import { dbPoolConnections, outboxOldestAge, outboxPending, registry } from './metrics';

/** Where /metrics is served, from the configuration. */
export function metricsPlacement(config: Pick<Config, 'env' | 'metricsPort' | 'metricsToken'>) {
  return {
    /** On the API's own port: outside production, or in production only behind a token. */
    onApiPort: config.metricsPort === undefined && (config.env !== 'production' || Boolean(config.metricsToken)),
    separatePort: config.metricsPort,
    token: config.metricsToken,
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The Authorization header carries the configured token (compared in constant time). */
function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const header = req.headers.authorization ?? '';
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return Boolean(match) && timingSafeEqual(digest(match![1]!), digest(token));
}

/** Figures read from the database and the pool when scraped: one indexed query on the outbox. */
async function refreshDatabaseGauges(db: Database, logger: Logger): Promise<void> {
  const pool = db.poolStats?.();
  if (pool) for (const [state, value] of Object.entries(pool)) dbPoolConnections.set({ state }, value);
  try {
    const [row] = await db.sql.query<{ pending: number; age: number }>(
      `SELECT count(*)::int AS pending,
              coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
         FROM notifications WHERE status = 'PENDING'`,
    );
    outboxPending.set(Number(row?.pending ?? 0));
    outboxOldestAge.set(Math.max(0, Number(row?.age ?? 0)));
  } catch (error) {
    // A scrape while the database is down still answers (process and request figures matter then most).
    logger.warn({ err: error }, 'metrics: outbox figures unavailable');
  }
}

async function answer(req: IncomingMessage, res: ServerResponse, db: Database, logger: Logger, token?: string) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (!authorized(req, token)) {
    res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain' });
    res.end('metrics need the bearer token (METRICS_TOKEN)\n');
    return;
  }
  await refreshDatabaseGauges(db, logger);
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** /metrics on the API's port. */
export function metricsRoute(db: Database, logger: Logger, token?: string): HttpRoute {
  return async (req, res, url) => {
    if (url.pathname !== '/metrics') return false;
    await answer(req, res, db, logger, token);
    return true;
  };
}

/** A listener of its own for /metrics (METRICS_PORT), e.g. reachable only from the monitoring network. */
export async function serveMetrics(
  db: Database,
  logger: Logger,
  port: number,
  host: string,
  token?: string,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    answer(req, res, db, logger, token).catch((error) => {
      logger.error({ err: error }, 'metrics scrape failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}/metrics`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

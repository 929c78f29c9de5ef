import { HeaderMap, type ApolloServer } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from '../graphql/context';
import type { Logger } from '../logger';

export interface HttpOptions {
  apollo: ApolloServer<Context>;
  context: (req: IncomingMessage, requestId: string) => Promise<Context>;
  /** Liveness: the process is up and its database answers. */
  health: () => Promise<{ ok: boolean; details: Record<string, unknown> }>;
  /** Readiness: like health, and false while starting or draining for shutdown. */
  ready: () => Promise<{ ok: boolean; details: Record<string, unknown> }>;
  logger: Logger;
  maxBodyBytes?: number;
  /** Tried in order before GraphQL (CORS, the IDE page and its assets). */
  routes?: HttpRoute[];
}

/** Answers a request it owns and returns true, or returns false to pass it on (it may set headers either way). */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string) => boolean | Promise<boolean>;

const json = (res: ServerResponse, status: number, body: unknown, requestId: string) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId });
  res.end(JSON.stringify(body));
};

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so the client still receives the 413.
      if (size > limit) reject(Object.assign(new Error('Request body too large'), { status: 413 }));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A bare node:http server in front of Apollo: no framework between the socket and GraphQL,
 * plus /healthz and /readyz (Apollo's standalone server has no health routes).
 */
export function createHttpServer(options: HttpOptions): Server {
  const { apollo, logger } = options;
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;

  return createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const incomingId = req.headers['x-request-id'];
    const requestId = typeof incomingId === 'string' && /^[\w.-]{1,128}$/.test(incomingId) ? incomingId : randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/healthz' || url.pathname === '/readyz') {
        const probe = url.pathname === '/healthz' ? await options.health() : await options.ready();
        return json(res, probe.ok ? 200 : 503, { status: probe.ok ? 'ok' : 'unavailable', ...probe.details }, requestId);
      }
      res.setHeader('x-request-id', requestId);
      for (const route of options.routes ?? []) if (await route(req, res, url, requestId)) return;
      if (url.pathname !== '/graphql') return json(res, 404, { error: 'Not found' }, requestId);

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const rawBody = req.method === 'POST' ? await readBody(req, maxBody) : '';
      let body: unknown = rawBody;
      if (headers.get('content-type')?.startsWith('application/json')) {
        try {
          body = rawBody ? JSON.parse(rawBody) : {};
        } catch {
          return json(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }, requestId);
        }
      }
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
        context: () => options.context(req, requestId),
      });
      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.setHeader('x-request-id', requestId);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      if (status >= 500) logger.error({ err: error, requestId }, 'request failed');
      if (status === 413 && !res.headersSent) res.setHeader('connection', 'close'); // do not keep reading an oversized body
      if (!res.headersSent) json(res, status, { errors: [{ message: status === 413 ? 'Request body too large' : 'Internal server error' }] }, requestId);
      else res.end();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ requestId, method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  });
}

import { HeaderMap, type ApolloServer } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from '../graphql/context';
import type { Logger } from '../logger';
import { recordGraphQLError, recordHttpRequest } from '../observability/metrics';
import { tracing } from '../observability/tracing';

export interface HttpOptions {
  apollo: ApolloServer<Context>;
  /** `signal` aborts when the client goes away before its response is complete. */
  context: (req: IncomingMessage, requestId: string, signal: AbortSignal) => Promise<Context>;
  /** Checks a GraphQL request (document and variables) before Apollo parses it; a refusal is answered as is. */
  guard?: (request: {
    query?: unknown;
    variables?: unknown;
    extensions?: unknown;
  }) => { status: number; message: string; code: string; field?: string } | null;
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
export type HttpRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  requestId: string,
) => boolean | Promise<boolean>;

const json = (res: ServerResponse, status: number, body: unknown, requestId: string) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId });
  res.end(JSON.stringify(body));
};

const tooLarge = () => Object.assign(new Error('Request body too large'), { status: 413 });

/**
 * Reads a body of at most `limit` bytes. A larger one is still read to its end (and dropped) up to
 * `drainLimit`, and only then refused: a server that answers 413 and closes while the client is
 * still sending makes the client's TCP stack see a reset instead of the answer.
 */
function readBody(req: IncomingMessage, limit: number, drainLimit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > drainLimit) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > drainLimit) reject(tooLarge()); // not worth draining: answer now and close
    });
    req.on('end', () => (size > limit ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/** The GraphQL parameters of a GET request, for the guard (Apollo reports malformed ones). */
function getParameters(url: URL): { query?: unknown; variables?: unknown; extensions?: unknown } {
  const json = (name: string) => {
    const text = url.searchParams.get(name);
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    query: url.searchParams.get('query') ?? undefined,
    variables: json('variables'),
    extensions: json('extensions'),
  };
}

/**
 * A bare node:http server in front of Apollo: no framework between the socket and GraphQL,
 * plus /healthz and /readyz (Apollo's standalone server has no health routes).
 */
export function createHttpServer(options: HttpOptions): Server {
  const { apollo, logger } = options;
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const drainLimit = Math.max(maxBody * 8, 8 * 1024 * 1024);

  return createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const incomingId = req.headers['x-request-id'];
    const requestId = typeof incomingId === 'string' && /^[\w.-]{1,128}$/.test(incomingId) ? incomingId : randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let context: Context | undefined;
    let traceId: string | undefined;
    try {
      if (url.pathname === '/healthz' || url.pathname === '/readyz') {
        const probe = url.pathname === '/healthz' ? await options.health() : await options.ready();
        return json(
          res,
          probe.ok ? 200 : 503,
          { status: probe.ok ? 'ok' : 'unavailable', ...probe.details },
          requestId,
        );
      }
      res.setHeader('x-request-id', requestId);
      for (const route of options.routes ?? []) if (await route(req, res, url, requestId)) return;
      if (url.pathname !== '/graphql') return json(res, 404, { error: 'Not found' }, requestId);

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const rawBody = req.method === 'POST' ? await readBody(req, maxBody, drainLimit) : '';
      let body: unknown = rawBody;
      if (headers.get('content-type')?.startsWith('application/json')) {
        try {
          body = rawBody ? JSON.parse(rawBody) : {};
        } catch {
          return json(
            res,
            400,
            { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] },
            requestId,
          );
        }
      }
      const params =
        req.method === 'GET'
          ? getParameters(url)
          : body && typeof body === 'object' && !Array.isArray(body)
            ? body
            : null;
      const refusal = params && options.guard?.(params);
      if (refusal) {
        const { status, message, ...extensions } = refusal;
        recordGraphQLError(extensions.code);
        return json(res, status, { errors: [{ message, extensions }] }, requestId);
      }
      // Aborted when the client disconnects before its response is complete: resolvers stop starting new work.
      const disconnected = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) disconnected.abort();
      });
      const execute = () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
          context: async () => (context = await options.context(req, requestId, disconnected.signal)),
        });
      // With tracing on (OTEL_EXPORTER_OTLP_ENDPOINT), the operation and its SQL statements run in a span.
      const result = tracing.requestSpan
        ? await tracing.requestSpan(requestId, execute, (id) => (traceId = id), req.headers)
        : await execute();
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
      const error413 = {
        message: `Request body too large (at most ${maxBody} bytes)`,
        extensions: { code: 'PAYLOAD_TOO_LARGE' },
      };
      if (!res.headersSent)
        json(
          res,
          status,
          {
            errors: [
              status === 413
                ? error413
                : { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
            ],
          },
          requestId,
        );
      else res.end();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      recordHttpRequest(url.pathname, context?.operation.label ?? null, res.statusCode, ms / 1000);
      logger.info(
        {
          requestId,
          ...(traceId ? { traceId } : {}),
          method: req.method,
          path: url.pathname,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    }
  });
}

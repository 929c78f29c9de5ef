// GET /privacy/customers/<global id>/export: the customer data export as a download, written
// section by section while it is read (privacy.export.ts), so a long history never sits in memory.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WRITER_ROLES, type Actor } from '../../auth/actor';
import { RateLimitedError } from '../../auth/rate-limited';
import { fromGlobalId } from '../../graphql/relay';
import type { HttpRoute } from '../../http/server';
import type { Logger } from '../../logger';
import { formatCustomerNumber } from '../customer/customer.fields';
import { exportJson } from './privacy.export';
import type { PrivacyService } from './privacy.service';

const EXPORT_PATH = /^\/privacy\/customers\/([^/]{1,200})\/export$/;

export interface ExportRouteOptions {
  authenticate(req: IncomingMessage): Promise<Actor | null>;
  privacy: PrivacyService;
  logger: Logger;
}

function refuse(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
  return true;
}

const drainedOrClosed = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });

/** The export download, with the same Bearer authentication and roles as the GraphQL field. */
export function privacyExportRoute(options: ExportRouteOptions): HttpRoute {
  return async (req, res, url, requestId) => {
    const match = EXPORT_PATH.exec(url.pathname);
    if (!match) return false;
    if (req.method !== 'GET') return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET', { allow: 'GET' });
    let actor: Actor | null;
    try {
      actor = await options.authenticate(req);
    } catch (error) {
      if (error instanceof RateLimitedError)
        return refuse(res, 429, 'RATE_LIMITED', error.message, { 'retry-after': String(error.retryAfterSeconds) });
      throw error;
    }
    if (!actor) return refuse(res, 401, 'UNAUTHENTICATED', 'A valid bearer token is required');
    if (!WRITER_ROLES.includes(actor.role))
      return refuse(res, 403, 'FORBIDDEN', 'Your role may not export customer data');
    const id = fromGlobalId(decodeURIComponent(match[1]), 'Customer')?.id;
    const opened = id ? await options.privacy.openExport(actor, id, 'http') : null;
    if (!opened) return refuse(res, 404, 'NOT_FOUND', 'Customer not found');

    const filename = `customer-${formatCustomerNumber(opened.customer.number)}-export.json`;
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    try {
      for await (const piece of exportJson(opened.sections)) {
        if (res.destroyed) return true; // the client went away: stop reading
        // Waits while the socket's buffer is full, so memory stays flat however long the history.
        if (!res.write(piece)) await drainedOrClosed(res);
      }
      res.end();
    } catch (error) {
      // Headers are gone: the only honest signal left is a cut connection (the JSON is incomplete).
      options.logger.error({ err: error, requestId }, 'customer export failed');
      res.destroy();
    }
    return true;
  };
}

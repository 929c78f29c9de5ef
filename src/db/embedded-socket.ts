// Serves the running server's embedded database over the PostgreSQL wire protocol on 127.0.0.1
// (PGLITE_SOCKET_PORT) and records the socket's URL in the data directory's lock, where scripts
// that find the directory in use look for it (src/db/database-target.ts).
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Database } from './client';
import { startPgliteSocket, type PgliteSocketServer } from './pglite-socket';

export async function serveEmbeddedSocket(
  db: Database,
  config: Config,
  logger: Logger,
): Promise<PgliteSocketServer | undefined> {
  const embedded = db.embedded;
  if (!embedded?.lock || config.pgliteSocketPort === undefined) return undefined;
  try {
    const socket = await startPgliteSocket(embedded.pglite, { port: config.pgliteSocketPort });
    embedded.lock.setSocketUrl(socket.url);
    logger.info({ url: socket.url }, 'embedded database socket ready');
    return socket;
  } catch (error) {
    // The API works without it; only psql/Studio/db:seed alongside the server need it.
    logger.warn(
      { err: error, port: config.pgliteSocketPort },
      'embedded database socket not started (set PGLITE_SOCKET_PORT to a free port)',
    );
    return undefined;
  }
}

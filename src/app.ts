import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { AddressInfo } from 'node:net';
import { verifyToken, type JwtSettings } from './auth/jwt';
import type { Config } from './config';
import { openDatabase, type Database } from './db/client';
import { applyMigrations } from './db/migrate';
import { seedDemoData } from './db/seed';
import { requireAuthenticationPlugin } from './graphql/auth-plugin';
import { createContext, type Context } from './graphql/context';
import { formatError } from './graphql/errors';
import { queryLimitsPlugin } from './graphql/limits';
import { buildAppSchema } from './graphql/schema';
import { rejectNulCharactersPlugin } from './graphql/text-input';
import { createHttpServer } from './http/server';
import { createLogger, type Logger } from './logger';
import { createServices } from './services';
import { startSegmentScheduler } from './modules/segment/segment.scheduler';

export interface App {
  url: string;
  db: Database;
  logger: Logger;
  /** Stops accepting requests, lets running ones finish, then closes the database. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** An already opened (and migrated) database, e.g. one a test created; closed by the caller. */
  db?: Database;
}

export async function startApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = createLogger(config.logLevel);
  const ownsDb = !options.db;
  const db =
    options.db ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.pgliteDataDir,
      poolSize: config.dbPoolSize,
      onIdleConnectionError: (error) => logger.warn({ err: error }, 'database dropped an idle connection'),
    }));
  if (ownsDb) {
    const applied = await applyMigrations(db.sql);
    logger.info({ database: db.kind, applied }, 'migrations applied');
    if (config.seedDemoData && (await seedDemoData(db))) logger.info('demo data seeded (see README for the demo logins)');
  }

  const jwt: JwtSettings = { secret: config.jwtSecret, publicKey: config.jwtPublicKey, issuer: config.jwtIssuer, ttlSeconds: config.jwtTtlSeconds };
  const services = createServices(db, jwt);
  const stopSegmentScheduler = startSegmentScheduler(services, config.segmentRecalcIntervalSeconds, logger);
  const development = config.env === 'development';
  const apollo = new ApolloServer<Context>({
    schema: await buildAppSchema(),
    introspection: config.introspection,
    // main.ts drains HTTP first and then stops Apollo; Apollo's own signal handlers would stop it
    // (and re-raise the signal) before running requests finish.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: development,
    formatError: formatError(logger, development),
    plugins: [
      requireAuthenticationPlugin,
      queryLimitsPlugin({ maxDepth: config.maxQueryDepth, maxCost: config.maxQueryCost }),
      rejectNulCharactersPlugin,
      ...(config.env === 'production' ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  let accepting = true;
  const pingDatabase = async () => {
    try {
      await db.sql.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  };
  const server = createHttpServer({
    apollo,
    logger,
    context: async (req, requestId) => {
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      return createContext(services, logger, requestId, token ? verifyToken(token, jwt) : null);
    },
    health: async () => {
      const database = await pingDatabase();
      return { ok: database, details: { database: database ? 'up' : 'down' } };
    },
    ready: async () => {
      const database = accepting && (await pingDatabase());
      return { ok: database, details: { database: database ? 'up' : 'down', accepting } };
    },
  });
  server.keepAliveTimeout = 65_000; // longer than common load-balancer idle timeouts
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
  logger.info({ url, database: db.kind }, 'server ready');

  return {
    url,
    db,
    logger,
    async close() {
      accepting = false;
      await stopSegmentScheduler();
      // A keep-alive connection busy now would stay open keepAliveTimeout (65 s) after its
      // response and hold close() that long: while draining, close connections as soon as idle.
      server.keepAliveTimeout = 1;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      if (ownsDb) await db.close();
    },
  };
}

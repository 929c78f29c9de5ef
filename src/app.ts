import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { AddressInfo } from 'node:net';
import { createAuth } from './auth/setup';
import type { Config } from './config';
import { answerPlugin } from './graphql/answer-plugin';
import { openDatabase, type Database } from './db/client';
import { serveEmbeddedSocket } from './db/embedded-socket';
import { applyMigrations } from './db/migrate';
import { seedDemoData } from './db/seed';
import { authenticationOf, requireAuthenticationPlugin } from './graphql/auth-plugin';
import { createContext, type Context } from './graphql/context';
import { createDocumentGuard } from './graphql/document-guard';
import { errorLoggingPlugin, formatError, serviceUnavailableOnContextFailure } from './graphql/errors';
import { queryLimitsPlugin } from './graphql/limits';
import { buildAppSchema } from './graphql/schema';
import { corsRoute } from './http/cors';
import { ideRoute } from './http/ide';
import { createHttpServer } from './http/server';
import { createLogger, type Logger } from './logger';
import { createServices } from './services';
import { startDomainEventPublisher } from './modules/domain-event/domain-event.publisher';
import { notificationDeliveryDeps } from './modules/notification/notification.dispatcher';
import { privacyExportRoute } from './modules/privacy/privacy.http';
import { apiKeyScopePlugin } from './modules/apikey/apikey.guard';
import { observabilityPlugin } from './observability/graphql-plugin';
import { metricsPlacement, metricsRoute, serveMetrics } from './observability/metrics-route';
import { flushTracing, startTracing } from './observability/tracing';

export interface App {
  url: string;
  /** postgresql:// URL of the embedded database's socket, when one is served. */
  databaseSocketUrl?: string;
  /** The separate /metrics listener's URL, when METRICS_PORT is set. */
  metricsUrl?: string;
  db: Database;
  logger: Logger;
  /** Stops accepting requests, lets running ones finish, then closes the database. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** An already opened (and migrated) database, e.g. one a test created; closed by the caller. */
  db?: Database;
  /** Where logs go (tests collect them); by default JSON lines on stdout. */
  logger?: Logger;
  /**
   * Queries answered by PostgreSQL where they can be (src/graphql/answer-plugin.ts); default on.
   * Off, graphql-js executes every operation (the answer tests compare both).
   */
  answerInSql?: boolean;
}

export async function startApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // Before the database opens, so that its statements are traced from the start.
  const traced = await startTracing({ endpoint: config.otelEndpoint }, logger);
  const ownsDb = !options.db;
  const db =
    options.db ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.pgliteDataDir,
      poolSize: config.dbPoolSize,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      directUrl: config.databaseDirectUrl,
      readUrl: config.databaseReadUrl,
      preparedStatements: config.dbPreparedStatements,
      onIdleConnectionError: (error) => logger.warn({ err: error }, 'database dropped an idle connection'),
    }));
  if (ownsDb) {
    const applied = await applyMigrations(db.sql);
    logger.info({ database: db.kind, applied }, 'migrations applied');
    if (config.seedDemoData && (await seedDemoData(db)))
      logger.info('demo data seeded (see README for the demo logins)');
  }
  const databaseSocket = ownsDb ? await serveEmbeddedSocket(db, config, logger) : undefined;

  const auth = await createAuth(config, db, logger);
  const services = createServices(db, auth, {
    instance: config.jobsInstance,
    intervals: config.jobIntervals,
    pollMs: config.jobsPollMs,
    leaseMs: config.jobsLeaseMs,
    logger,
    notificationDelivery: notificationDeliveryDeps(config.notifications, db.prisma, logger),
  });
  // Every instance may schedule: the database keeps each job to one run per interval (docs/jobs.md).
  if (config.jobsEnabled) services.jobs.runner.start();
  const domainEvents = config.natsUrl
    ? await startDomainEventPublisher(
        db,
        {
          url: config.natsUrl,
          stream: config.natsStream,
          subjectPrefix: config.natsSubjectPrefix,
          retentionDays: config.domainEventRetentionDays,
        },
        logger,
      )
    : undefined;
  const development = config.env === 'development';
  const schema = await buildAppSchema();
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    // main.ts drains HTTP first and then stops Apollo; Apollo's own signal handlers would stop it
    // (and re-raise the signal) before running requests finish.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: development,
    // Apollo's own messages go through pino as JSON lines, like every other log line.
    logger,
    // "Did you mean …" names schema members; production keeps them to itself.
    hideSchemaDetailsFromClientErrors: config.env === 'production',
    formatError: formatError(logger, development),
    plugins: [
      observabilityPlugin,
      errorLoggingPlugin,
      requireAuthenticationPlugin,
      apiKeyScopePlugin,
      queryLimitsPlugin({
        maxDepth: config.maxQueryDepth,
        maxCost: config.maxQueryCost,
        maxRootFields: config.maxRootFields,
        maxAliases: config.maxAliases,
        maxLogins: config.maxLoginsPerOperation,
      }),
      // No cache hints are used; installed by default, it wraps every field resolution.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(), // our own IDE (src/http/ide.ts) replaces Apollo's CDN-loaded Sandbox
      answerPlugin(schema, options.answerInSql ?? true),
    ],
  });
  await apollo.start();

  let accepting = true;
  const metrics = metricsPlacement(config);
  const metricsListener =
    metrics.separatePort === undefined
      ? undefined
      : await serveMetrics(db, logger, metrics.separatePort, config.host, metrics.token);
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
    routes: [
      corsRoute(config.corsOrigins),
      privacyExportRoute({ authenticate: (req) => auth.authenticate(req), privacy: services.privacy, logger }),
      ...(metrics.onApiPort ? [metricsRoute(db, logger, metrics.token)] : []),
      ...(config.graphqlIde ? [ideRoute()] : []),
    ],
    guard: createDocumentGuard(),
    context: serviceUnavailableOnContextFailure(logger, async (req, requestId, signal) => {
      const actor = await authenticationOf(auth.authenticate(req));
      return createContext(services, logger, requestId, actor, auth.clientAddress(req), signal);
    }),
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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // A port that cannot be bound fails the start (rather than an unhandled 'error' event), after
    // stopping what was already started.
    await services.jobs.runner.stop();
    await domainEvents?.stop();
    await apollo.stop();
    await metricsListener?.close();
    await databaseSocket?.close();
    await auth.close();
    if (ownsDb) await db.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
  logger.info({ url, database: db.kind, metrics: metricsListener?.url ?? metrics.onApiPort }, 'server ready');

  return {
    url,
    databaseSocketUrl: databaseSocket?.url,
    metricsUrl: metricsListener?.url,
    db,
    logger,
    async close() {
      accepting = false;
      // Waits for a job in progress (or abandons its lease for another instance), before the database closes.
      await services.jobs.runner.stop();
      await domainEvents?.stop();
      // A keep-alive connection busy now would stay open keepAliveTimeout (65 s) after its
      // response and hold close() that long: while draining, close connections as soon as idle.
      server.keepAliveTimeout = 1;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      await metricsListener?.close();
      if (traced) await flushTracing();
      await databaseSocket?.close();
      await auth.close();
      if (ownsDb) await db.close();
    },
  };
}

import { parseCorsOrigins } from './http/cors';
import { assertStrongSecret } from './auth/secret';

// Every setting the server reads, in one place, from the environment (see .env.example).
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** PostgreSQL connection string; when unset the server uses embedded PGlite. */
  databaseUrl?: string;
  /** Direct connection for LISTEN, migrations and seeding when databaseUrl goes through a pooler. */
  databaseDirectUrl?: string;
  /** Read replica for heavy read-only reports (docs/scaling.md); never used for writes. */
  databaseReadUrl?: string;
  /** Named prepared statements for planned reads (off behind PgBouncer < 1.21 in transaction mode). */
  dbPreparedStatements: boolean;
  /** PGlite data directory ("memory://" keeps everything in memory). */
  pgliteDataDir: string;
  /** Port of the embedded database's PostgreSQL wire-protocol socket on 127.0.0.1 (undefined: none). */
  pgliteSocketPort?: number;
  /** HS256 secret of our own tokens; unset outside production means a generated one (src/auth/secret.ts). */
  jwtSecret?: string;
  /** PEM public key of an external identity provider whose RS256/ES256 tokens are also accepted. */
  jwtPublicKey?: string;
  /** `iss` and `aud` that external tokens must carry (both required with jwtPublicKey). */
  jwtIssuer?: string;
  jwtAudience?: string;
  /** Create a staff user (role jwtProvisionRole) for an external token whose subject is unknown. */
  jwtProvisionExternal: boolean;
  jwtProvisionRole: 'ADMIN' | 'MANAGER' | 'AGENT' | 'ANALYST';
  jwtTtlSeconds: number;
  /** Longest time a cached staff record is trusted (revocation is pushed by NOTIFY; this is the fallback). */
  staffCacheTtlSeconds: number;
  /** Failed logins per account / per client address within loginWindowSeconds before a lockout. */
  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerAddress: number;
  loginWindowSeconds: number;
  /** First lockout; each further one doubles, up to loginMaxLockoutSeconds. */
  loginLockoutSeconds: number;
  loginMaxLockoutSeconds: number;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** Requests per staff user per minute across all instances; 0 turns the limit off. */
  rateLimitPerMinute: number;
  introspection: boolean;
  /** Serve the GraphiQL IDE at GET /graphql (browsers); needs introspection. */
  graphqlIde: boolean;
  /** Browser origins allowed to call the API (CORS); ['*'] allows any. */
  corsOrigins: string[];
  maxQueryDepth: number;
  maxQueryCost: number;
  /** Root fields in one operation (each may run its own queries). */
  maxRootFields: number;
  /** Aliased fields in one operation, counted through fragments. */
  maxAliases: number;
  /** `login` fields in one operation: each hashes a password. */
  maxLoginsPerOperation: number;
  /** PostgreSQL statement_timeout of the API's connections, in ms (0 = none); exceeded = QUERY_TIMEOUT. */
  dbStatementTimeoutMs: number;
  /** Seed demo data into an empty database on start. */
  seedDemoData: boolean;
  logLevel: string;
  dbPoolSize: number;
  /** NATS server(s) for domain events (src/modules/domain-event); unset: nothing is published. */
  natsUrl?: string;
  /** JetStream stream of the domain events (created when missing). */
  natsStream: string;
  /** Subjects are `<prefix>.<event type>`; the stream takes `<prefix>.>`. */
  natsSubjectPrefix: string;
  /** Days a published domain event stays in the outbox table. */
  domainEventRetentionDays: number;
  /** This instance runs the job scheduler (src/modules/job/, docs/jobs.md); off in tests unless asked. */
  jobsEnabled: boolean;
  /** Interval (ms) per job name, from JOB_<NAME>_INTERVAL_MS; a job not listed has its default; 0 = off here. */
  jobIntervals: Record<string, number>;
  /** This instance's name in job runs and leases (JOBS_INSTANCE); default host-pid-random. */
  jobsInstance?: string;
  /** How often the scheduler looks for due jobs, ms. */
  jobsPollMs: number;
  /** A job's lease, ms: renewed while it runs; after a crash another instance takes it over this long later. */
  jobsLeaseMs: number;
  /** A listener of its own for GET /metrics (then not served on `port`); unset: see metricsPlacement. */
  metricsPort?: number;
  /** Bearer token /metrics requires wherever served; in production it enables /metrics on the API's port. */
  metricsToken?: string;
  /** OTLP/HTTP base URL of the trace collector; unset = no tracing (the SDK is not even loaded). */
  otelEndpoint?: string;
  /** Delivery of the notification outbox (src/modules/notification/, docs/notifications.md). */
  notifications: NotificationSettings;
}

const MAX_INTERVAL_MS = 2_147_483_647; // ~24.8 days: shown as a GraphQL Int

/**
 * JOB_<NAME>_INTERVAL_MS variables as { <name>: ms } (names are checked against the registry when
 * the runner starts). SEGMENT_RECALC_INTERVAL_SECONDS, the older setting, still sets the segment job.
 */
export function jobIntervalsFrom(env: NodeJS.ProcessEnv): Record<string, number> {
  const intervals: Record<string, number> = {};
  const legacy = env.SEGMENT_RECALC_INTERVAL_SECONDS;
  if (legacy) intervals.segment_recalculation = checkedInterval('SEGMENT_RECALC_INTERVAL_SECONDS', legacy, 1000);
  for (const [key, value] of Object.entries(env)) {
    const match = /^JOB_([A-Z0-9_]+)_INTERVAL_MS$/.exec(key);
    if (match && value) intervals[match[1].toLowerCase()] = checkedInterval(key, value, 1);
  }
  return intervals;
}

function checkedInterval(key: string, value: string, unitMs: number): number {
  const n = Number(value) * unitMs;
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > MAX_INTERVAL_MS)
    throw new Error(`${key} must be a whole number from 0 (off) up to ${MAX_INTERVAL_MS} ms, got "${value}"`);
  return n;
}

export interface NotificationSettings {
  /** Attempts per notification or webhook delivery before it is dead-lettered. */
  maxAttempts: number;
  /** First retry delay; doubles per failure up to retryMaxDelayMs. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** How long a claim lasts: a dispatcher that dies holding one is retried after this. */
  leaseMs: number;
  /** Time a webhook receiver has to answer. */
  webhookTimeoutMs: number;
  /** SMTP server for e-mail (smtp://user:pass@host:587); unset = the logging transport. */
  smtpUrl?: string;
  mailFrom: string;
  /** Where staff notifications (FEEDBACK_RECEIVED) are e-mailed; unset = webhooks only. */
  staffEmail?: string;
}

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function int(value: string | undefined, fallback: number): number {
  const n = value ? Number.parseInt(value, 10) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

/** PGLITE_SOCKET_PORT: a port (0: any free one), or off; default 5433 in development only. */
function socketPort(value: string | undefined, mode: Config['env']): number | undefined {
  if (value === undefined || value === '') return mode === 'development' ? 5433 : undefined;
  if (['off', 'false', 'no'].includes(value.toLowerCase())) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PGLITE_SOCKET_PORT must be a port number or "off", got "${value}"`);
  return port;
}

/** NATS_SUBJECT_PREFIX: dot-separated tokens of letters, digits, - and _ (no wildcards); default `customers`. */
function natsSubjectPrefix(value: string | undefined): string {
  if (value === undefined || value === '') return 'customers';
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(value))
    throw new Error(`NATS_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, - and _, got "${value}"`);
  return value;
}

function optionalPort(value: string, name: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number, got "${value}"`);
  return port;
}

/** METRICS_TOKEN, when set, must be hard to guess: it guards the metrics of a production instance. */
function metricsToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters');
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const mode = (
    env.NODE_ENV === 'production' || env.NODE_ENV === 'test' ? env.NODE_ENV : 'development'
  ) as Config['env'];
  const jwtSecret = env.JWT_SECRET || undefined;
  const jwtPublicKey = env.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n') || undefined;
  if (mode === 'production') assertStrongSecret(jwtSecret);
  if (jwtPublicKey && (!env.JWT_ISSUER || !env.JWT_AUDIENCE)) {
    throw new Error(
      'JWT_PUBLIC_KEY needs JWT_ISSUER and JWT_AUDIENCE: external tokens are accepted only from that issuer for this audience',
    );
  }
  const provisionRole = (env.JWT_PROVISION_ROLE ?? 'ANALYST').toUpperCase();
  if (!['ADMIN', 'MANAGER', 'AGENT', 'ANALYST'].includes(provisionRole))
    throw new Error(`JWT_PROVISION_ROLE must be ADMIN, MANAGER, AGENT or ANALYST, not ${provisionRole}`);
  // The IDE loads the schema by introspection: on by default wherever the IDE is (and the IDE is
  // off by default where introspection was turned off); asking for both on and off is refused.
  const graphqlIde = bool(env.GRAPHQL_IDE, mode !== 'production' && bool(env.GRAPHQL_INTROSPECTION, true));
  const introspection = bool(env.GRAPHQL_INTROSPECTION, mode !== 'production' || graphqlIde);
  if (graphqlIde && !introspection)
    throw new Error('GRAPHQL_IDE=true needs GRAPHQL_INTROSPECTION on (the IDE loads the schema by introspection)');
  const port = int(env.PORT, 4000);
  return {
    env: mode,
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseDirectUrl: env.DATABASE_DIRECT_URL || undefined,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    dbPreparedStatements: bool(env.DB_PREPARED_STATEMENTS, true),
    pgliteDataDir: env.PGLITE_DATA_DIR ?? './data/pglite',
    pgliteSocketPort: socketPort(env.PGLITE_SOCKET_PORT, mode),
    jwtSecret,
    jwtPublicKey,
    jwtIssuer: env.JWT_ISSUER || undefined,
    jwtAudience: env.JWT_AUDIENCE || undefined,
    jwtProvisionExternal: bool(env.JWT_PROVISION_EXTERNAL, false),
    jwtProvisionRole: provisionRole as Config['jwtProvisionRole'],
    jwtTtlSeconds: int(env.JWT_TTL_SECONDS, 8 * 3600),
    staffCacheTtlSeconds: int(env.STAFF_CACHE_TTL_SECONDS, 300),
    loginMaxFailuresPerAccount: int(env.LOGIN_MAX_FAILURES_PER_ACCOUNT, 5),
    loginMaxFailuresPerAddress: int(env.LOGIN_MAX_FAILURES_PER_ADDRESS, 50),
    loginWindowSeconds: int(env.LOGIN_WINDOW_SECONDS, 15 * 60),
    loginLockoutSeconds: int(env.LOGIN_LOCKOUT_SECONDS, 60),
    loginMaxLockoutSeconds: int(env.LOGIN_MAX_LOCKOUT_SECONDS, 3600),
    trustProxy: bool(env.TRUST_PROXY, false),
    rateLimitPerMinute: int(env.RATE_LIMIT_PER_MINUTE, 0),
    introspection,
    graphqlIde,
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS, mode === 'production', port),
    maxQueryDepth: int(env.GRAPHQL_MAX_DEPTH, 12),
    maxQueryCost: int(env.GRAPHQL_MAX_COST, 50_000),
    maxRootFields: int(env.GRAPHQL_MAX_ROOT_FIELDS, 10),
    maxAliases: int(env.GRAPHQL_MAX_ALIASES, 30),
    maxLoginsPerOperation: int(env.GRAPHQL_MAX_LOGINS, 1),
    dbStatementTimeoutMs: int(env.DB_STATEMENT_TIMEOUT_MS, 5_000),
    // Demo staff have documented passwords: seeded by default only in development.
    seedDemoData: bool(env.SEED_DEMO_DATA, mode === 'development'),
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
    dbPoolSize: int(env.DB_POOL_SIZE, 10),
    natsUrl: env.NATS_URL || undefined,
    natsStream: env.NATS_STREAM || 'CUSTOMERS',
    natsSubjectPrefix: natsSubjectPrefix(env.NATS_SUBJECT_PREFIX),
    domainEventRetentionDays: int(env.DOMAIN_EVENT_RETENTION_DAYS, 7),
    jobsEnabled: bool(env.JOBS_ENABLED, mode !== 'test'),
    jobIntervals: jobIntervalsFrom(env),
    jobsInstance: env.JOBS_INSTANCE || undefined,
    jobsPollMs: Math.max(100, int(env.JOBS_POLL_MS, 10_000)),
    jobsLeaseMs: Math.max(1_000, int(env.JOBS_LEASE_MS, 60_000)),
    notifications: {
      maxAttempts: Math.max(1, int(env.NOTIFICATION_MAX_ATTEMPTS, 8)),
      retryBaseDelayMs: int(env.NOTIFICATION_RETRY_BASE_MS, 30_000),
      retryMaxDelayMs: int(env.NOTIFICATION_RETRY_MAX_MS, 3_600_000),
      leaseMs: int(env.NOTIFICATION_LEASE_MS, 120_000),
      webhookTimeoutMs: int(env.WEBHOOK_TIMEOUT_MS, 10_000),
      smtpUrl: env.SMTP_URL || undefined,
      mailFrom: env.MAIL_FROM || 'no-reply@localhost',
      staffEmail: env.NOTIFICATION_STAFF_EMAIL || undefined,
    },
    metricsPort: env.METRICS_PORT ? optionalPort(env.METRICS_PORT, 'METRICS_PORT') : undefined,
    metricsToken: metricsToken(env.METRICS_TOKEN),
    otelEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    ...overrides,
  };
}

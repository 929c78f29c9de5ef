import { parseCorsOrigins } from './http/cors';
import { assertStrongSecret } from './auth/secret';

// Every setting the server reads, in one place, from the environment (see .env.example).
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** PostgreSQL connection string; when unset the server uses embedded PGlite. */
  databaseUrl?: string;
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
  /** Seconds between scheduled segment recalculations (and event-partition upkeep); 0 = off. */
  segmentRecalcIntervalSeconds: number;
  /** A listener of its own for GET /metrics (then not served on `port`); unset: see metricsPlacement. */
  metricsPort?: number;
  /** Bearer token /metrics requires wherever served; in production it enables /metrics on the API's port. */
  metricsToken?: string;
  /** OTLP/HTTP base URL of the trace collector; unset = no tracing (the SDK is not even loaded). */
  otelEndpoint?: string;
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
    segmentRecalcIntervalSeconds: int(env.SEGMENT_RECALC_INTERVAL_SECONDS, mode === 'test' ? 0 : 900),
    metricsPort: env.METRICS_PORT ? optionalPort(env.METRICS_PORT, 'METRICS_PORT') : undefined,
    metricsToken: metricsToken(env.METRICS_TOKEN),
    otelEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    ...overrides,
  };
}

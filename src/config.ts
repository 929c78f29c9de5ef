// Every setting the server reads, in one place, from the environment (see .env.example).
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** PostgreSQL connection string; when unset the server uses embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory ("memory://" keeps everything in memory). */
  pgliteDataDir: string;
  jwtSecret: string;
  /** PEM public key of an external identity provider whose RS256 tokens are also accepted. */
  jwtPublicKey?: string;
  jwtIssuer: string;
  jwtTtlSeconds: number;
  introspection: boolean;
  maxQueryDepth: number;
  maxQueryCost: number;
  /** Seed demo data into an empty database on start. */
  seedDemoData: boolean;
  logLevel: string;
  dbPoolSize: number;
  /** Seconds between scheduled segment recalculations (and event-partition upkeep); 0 = off. */
  segmentRecalcIntervalSeconds: number;
}

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function int(value: string | undefined, fallback: number): number {
  const n = value ? Number.parseInt(value, 10) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

const DEV_SECRET = 'dev-only-secret-change-me';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const mode = (env.NODE_ENV === 'production' || env.NODE_ENV === 'test' ? env.NODE_ENV : 'development') as Config['env'];
  const jwtSecret = env.JWT_SECRET ?? (mode === 'production' ? '' : DEV_SECRET);
  if (!jwtSecret) throw new Error('JWT_SECRET must be set in production');
  return {
    env: mode,
    port: int(env.PORT, 4000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDataDir: env.PGLITE_DATA_DIR ?? './data/pglite',
    jwtSecret,
    jwtPublicKey: env.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n') || undefined,
    jwtIssuer: env.JWT_ISSUER ?? 'customer-api',
    jwtTtlSeconds: int(env.JWT_TTL_SECONDS, 8 * 3600),
    introspection: bool(env.GRAPHQL_INTROSPECTION, mode !== 'production'),
    maxQueryDepth: int(env.GRAPHQL_MAX_DEPTH, 12),
    maxQueryCost: int(env.GRAPHQL_MAX_COST, 50_000),
    // Demo staff have documented passwords: seeded by default only in development.
    seedDemoData: bool(env.SEED_DEMO_DATA, mode === 'development'),
    logLevel: env.LOG_LEVEL ?? (mode === 'test' ? 'silent' : 'info'),
    dbPoolSize: int(env.DB_POOL_SIZE, 10),
    segmentRecalcIntervalSeconds: int(env.SEGMENT_RECALC_INTERVAL_SECONDS, mode === 'test' ? 0 : 900),
    ...overrides,
  };
}

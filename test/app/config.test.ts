// The REAL configuration, loaded from a given environment with no overrides (every other test
// server runs with NODE_ENV=test and overridden settings): production and development defaults,
// and what they do to a running server. JWT_SECRET rules are tested with authentication.
import { randomBytes } from 'node:crypto';
import { startApp, type App } from '../../src/app';
import { hashPassword } from '../../src/auth/password';
import { loadConfig } from '../../src/config';

const STRONG_SECRET = randomBytes(48).toString('base64url');
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET };

describe('loadConfig defaults', () => {
  it('development (NODE_ENV unset): data in ./data/pglite, demo data seeded, introspection on, stack traces shown', () => {
    expect(loadConfig({})).toMatchObject({
      env: 'development',
      databaseUrl: undefined,
      pgliteDataDir: './data/pglite',
      seedDemoData: true,
      introspection: true,
      port: 4000,
      host: '0.0.0.0',
      logLevel: 'info',
    });
    expect(loadConfig({ NODE_ENV: 'anything-else' }).env).toBe('development');
  });

  it('production: no demo data, introspection off, unless explicitly configured', () => {
    expect(loadConfig(PRODUCTION)).toMatchObject({
      env: 'production',
      seedDemoData: false,
      introspection: false,
      jwtSecret: STRONG_SECRET,
      logLevel: 'info',
    });
    expect(loadConfig({ ...PRODUCTION, GRAPHQL_INTROSPECTION: 'true', SEED_DEMO_DATA: 'on' })).toMatchObject({
      introspection: true,
      seedDemoData: true,
    });
    expect(loadConfig({ ...PRODUCTION, DATABASE_URL: 'postgresql://db/customers' }).databaseUrl).toBe(
      'postgresql://db/customers',
    );
  });

  it('test: no demo data, silent logs', () => {
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({
      env: 'test',
      seedDemoData: false,
      introspection: true,
      logLevel: 'silent',
    });
  });

  it('explicit settings win over the mode defaults', () => {
    expect(
      loadConfig({
        SEED_DEMO_DATA: 'false',
        GRAPHQL_INTROSPECTION: '0',
        PGLITE_DATA_DIR: '/var/lib/api',
        PORT: '8080',
      }),
    ).toMatchObject({
      seedDemoData: false,
      introspection: false,
      pgliteDataDir: '/var/lib/api',
      port: 8080,
    });
  });
});

describe('a server started from the environment alone', () => {
  const apps: App[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  /** startApp(loadConfig(env)) with an in-memory database of its own, exactly as main.ts does. */
  const start = async (env: Record<string, string>) => {
    const app = await startApp(
      loadConfig({ PGLITE_DATA_DIR: 'memory://', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env }),
    );
    apps.push(app);
    return app;
  };
  const post = async (app: App, query: string, token?: string) => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      },
    };
  };
  const staffEmails = async (app: App) =>
    (await app.db.sql.query<{ email: string }>('SELECT email FROM staff_users ORDER BY email')).map((r) => r.email);
  /** An admin in the app's database, logged in through the API. */
  const adminToken = async (app: App) => {
    await app.db.prisma.staffUser.create({
      data: {
        email: 'ops@test.local',
        name: 'Ops',
        role: 'ADMIN',
        passwordHash: await hashPassword('a long enough password'),
      },
    });
    const res = await post(
      app,
      'mutation { login(input: { email: "ops@test.local", password: "a long enough password" }) { token } }',
    );
    return (res.body.data as { login: { token: string } }).login.token;
  };
  /** Breaks the database under the running server, so the next customer query fails inside the resolver. */
  const breakCustomers = (app: App) => app.db.sql.query('ALTER TABLE customers RENAME TO customers_gone');

  it('production: seeds no demo staff, refuses introspection, and answers an internal error without stack trace or SQL', async () => {
    const app = await start(PRODUCTION);
    expect(await staffEmails(app)).toEqual([]);
    const token = await adminToken(app);
    const introspection = await post(app, '{ __schema { queryType { name } } }', token);
    expect(introspection.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const invalid = await post(app, '{ nope }', token);
    expect(invalid.body.errors?.[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    await breakCustomers(app);
    const failed = await post(app, '{ customers(first: 1) { totalCount } }', token);
    expect(failed.body.errors).toEqual([
      expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
    expect(JSON.stringify(failed.body)).not.toMatch(/customers_gone|relation|select|stacktrace|\.ts:\d+/i);
  }, 180_000); // migrates a fresh database: slow on a busy machine

  it('development: seeds the demo staff into an empty database and shows stack traces (so the production test above can fail)', async () => {
    const app = await start({});
    expect(await staffEmails(app)).toContain('admin@example.com');
    const token = await adminToken(app);
    const introspection = await post(app, '{ __schema { queryType { name } } }', token);
    expect(introspection.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    await breakCustomers(app);
    const failed = await post(app, '{ customers(first: 1) { totalCount } }', token);
    expect(failed.body.errors?.[0].extensions?.stacktrace).toEqual(expect.any(Array));
  }, 180_000); // migrates and seeds a fresh database
});

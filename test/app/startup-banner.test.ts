import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { shouldPrintBanner, startupBanner } from '../../src/startup-banner';

// Production refuses weak secrets (src/auth/secret.ts): a random one, as an operator would set.
const STRONG_SECRET = randomBytes(48).toString('base64');

describe('startup banner', () => {
  it.each([
    ['development, no terminal', 'development', {}, false, true],
    ['production on a terminal', 'production', {}, true, true],
    ['production piped to a log shipper', 'production', {}, false, false],
    ['test', 'test', {}, false, false],
    ['forced off in development', 'development', { STARTUP_BANNER: 'off' }, true, false],
    ['forced on in production', 'production', { STARTUP_BANNER: 'on' }, false, true],
  ])('%s', (_name, mode, env, tty, expected) => {
    const config = loadConfig({ NODE_ENV: mode, JWT_SECRET: STRONG_SECRET });
    expect(shouldPrintBanner(config, env, tty)).toBe(expected);
  });

  it('names the URL, the database without its password, and the demo login only when demo data is seeded', () => {
    const production = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: STRONG_SECRET,
      DATABASE_URL: 'postgresql://app:s3cret@db.internal:6543/customers',
    });
    const text = startupBanner({ url: 'http://localhost:4000/graphql' }, production);
    expect(text).toContain('GraphQL    http://localhost:4000/graphql');
    expect(text).toContain('PostgreSQL db.internal:6543/customers');
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('demo-password');

    const development = loadConfig({ NODE_ENV: 'development', PGLITE_DATA_DIR: 'memory://' });
    const dev = startupBanner(
      { url: 'http://localhost:4000/graphql', databaseSocketUrl: 'postgresql://postgres@127.0.0.1:5433/postgres' },
      development,
    );
    expect(dev).toContain('embedded PGlite in memory');
    expect(dev).toContain('postgresql://postgres@127.0.0.1:5433/postgres');
    expect(dev).toContain('password: "admin-demo-password"');
  });

  it('reads PGLITE_SOCKET_PORT: 5433 in development only, off, or a port', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).pgliteSocketPort).toBe(5433);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET }).pgliteSocketPort).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'development', PGLITE_SOCKET_PORT: 'off' }).pgliteSocketPort).toBeUndefined();
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, PGLITE_SOCKET_PORT: '6000' }).pgliteSocketPort,
    ).toBe(6000);
    expect(() => loadConfig({ NODE_ENV: 'development', PGLITE_SOCKET_PORT: 'nope' })).toThrow('PGLITE_SOCKET_PORT');
  });
});

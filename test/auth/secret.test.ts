import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentSecretPath, loadOrCreateSecret, weakSecretReason } from '../../src/auth/secret';
import { loadConfig } from '../../src/config';
import { resolveJwtSecret } from '../../src/auth/setup';

const STRONG = 'kQ3v9Xz1P0s8LmN2rT7yB4wE6uJ5hG1cA9dF0eR3tY8=';

describe('production refuses weak JWT secrets at startup', () => {
  it.each([
    ['unset', undefined, /not set/],
    ['change-me', 'change-me', /well-known default/],
    ['"secret"', 'secret', /well-known default/],
    ['the old development default', 'dev-only-secret-change-me', /well-known default/],
    ['a default with a suffix', 'change-me-please-in-production-0123456789', /well-known default/],
    ['31 bytes', 'x7Gq2LmN9pRt4VwZ8bKc1DfH5jSa3Ye', /shorter than 32 bytes/],
    ['32 bytes of one character', 'a'.repeat(40), /too few characters/],
  ])('%s', (_name, secret, message) => {
    expect(weakSecretReason(secret)).toMatch(message);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', ...(secret === undefined ? {} : { JWT_SECRET: secret }) }),
    ).toThrow(/openssl rand/);
  });

  it('accepts a random secret of 32 bytes or more', () => {
    expect(weakSecretReason(STRONG)).toBeNull();
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG }).jwtSecret).toBe(STRONG);
  });

  it('requires issuer and audience with an external public key', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_PUBLIC_KEY: 'pem', JWT_ISSUER: 'https://idp' })).toThrow(
      /JWT_AUDIENCE/,
    );
  });
});

describe('development generates its secret per data directory', () => {
  it('creates it once (mode 0600) inside the PGlite directory and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-test-'));
    const config = loadConfig({ NODE_ENV: 'development', PGLITE_DATA_DIR: join(dir, 'pglite') });
    expect(config.jwtSecret).toBeUndefined();

    const first = resolveJwtSecret(config);
    const path = join(dir, 'pglite', 'jwt-secret');
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first);
    expect(resolveJwtSecret(config)).toBe(first);

    const other = loadConfig({ NODE_ENV: 'development', PGLITE_DATA_DIR: join(dir, 'other') });
    expect(resolveJwtSecret(other)).not.toBe(first);
  });

  it('replaces a file too short to be a secret, and keeps it private', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-test-'));
    const path = join(dir, 'jwt-secret');
    writeFileSync(path, 'short\n', { mode: 0o644 });
    const secret = loadOrCreateSecret(path);
    expect(secret).not.toBe('short');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('uses ./data/jwt-secret with PostgreSQL and none (per process) for an in-memory database', () => {
    expect(developmentSecretPath({ databaseUrl: 'postgresql://x/y', pgliteDataDir: './data/pglite' })).toBe(
      join('data', 'jwt-secret'),
    );
    expect(developmentSecretPath({ pgliteDataDir: 'memory://' })).toBeNull();
  });
});

// The HS256 secret of our own tokens: strong in production, generated (never a public default)
// elsewhere.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const MIN_SECRET_BYTES = 32;

// Defaults that appear in examples, tutorials and this project's own history: public, so useless.
const KNOWN_DEFAULTS = [
  'change-me',
  'changeme',
  'secret',
  'jwt-secret',
  'jwt_secret',
  'your-secret',
  'your-256-bit-secret',
  'dev-only-secret-change-me',
  'password',
  'test',
];

/** Why a secret is unfit for production, or null when it is fit. */
export function weakSecretReason(secret: string | undefined): string | null {
  if (!secret) return 'JWT_SECRET is not set';
  const lowered = secret.trim().toLowerCase();
  if (
    KNOWN_DEFAULTS.some(
      (known) => lowered === known || lowered.startsWith(`${known}-`) || lowered.startsWith(`${known}_`),
    )
  ) {
    return 'JWT_SECRET is a well-known default value';
  }
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES)
    return `JWT_SECRET is shorter than ${MIN_SECRET_BYTES} bytes`;
  if (new Set(secret).size < 8) return 'JWT_SECRET repeats too few characters to be random';
  return null;
}

/** Throws at startup, with the way out in the message, when production would sign with a weak secret. */
export function assertStrongSecret(secret: string | undefined): void {
  const reason = weakSecretReason(secret);
  if (reason) {
    throw new Error(
      `${reason}. Production needs a random secret of at least ${MIN_SECRET_BYTES} bytes, e.g. JWT_SECRET=$(openssl rand -base64 48)`,
    );
  }
}

/**
 * Where development keeps its generated secret: inside the PGlite data directory (so a new
 * database gets a new secret), or under ./data/ when the database is PostgreSQL.
 * Null for an in-memory database: the secret then lives as long as the process.
 */
export function developmentSecretPath(options: { databaseUrl?: string; pgliteDataDir: string }): string | null {
  if (options.databaseUrl) return join('data', 'jwt-secret');
  if (options.pgliteDataDir.startsWith('memory://')) return null;
  return join(options.pgliteDataDir, 'jwt-secret');
}

/** Reads the development secret from `path`, creating it (mode 0600) on first use. */
export function loadOrCreateSecret(path: string | null): string {
  if (!path) return randomBytes(48).toString('base64url');
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (Buffer.byteLength(stored) >= MIN_SECRET_BYTES) return stored;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // an existing (too short) file keeps its mode on overwrite
  return secret;
}

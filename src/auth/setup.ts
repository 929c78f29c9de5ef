// Assembles authentication for one server instance: token keys, the staff cache with its
// NOTIFY listener, login throttling and the per-user request rate limit.
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import { LoginThrottle } from '../modules/auth/login-throttle.service';
import { ApiKeyAuthenticator } from '../modules/apikey/apikey.authenticate';
import type { Actor } from './actor';
import { Authenticator } from './authenticate';
import { TokenKeys } from './jwt';
import { RequestRateLimiter } from './request-rate';
import { developmentSecretPath, loadOrCreateSecret } from './secret';
import { StaffDirectory } from './staff-directory';

export interface AuthComponents {
  keys: TokenKeys;
  directory: StaffDirectory;
  throttle: LoginThrottle;
  /** The actor of a request, from x-api-key or a bearer token (throws RateLimitedError past the per-user request limit). */
  authenticate(req: IncomingMessage): Promise<Actor | null>;
  clientAddress(req: IncomingMessage): string | null;
  close(): Promise<void>;
}

/** The secret of our own tokens: configured, or (outside production) generated per data directory. */
export function resolveJwtSecret(config: Config): string {
  if (config.jwtSecret) return config.jwtSecret;
  if (config.env === 'production') throw new Error('JWT_SECRET must be set in production');
  return loadOrCreateSecret(config.env === 'test' ? null : developmentSecretPath(config));
}

export async function createAuth(config: Config, db: Database, logger: Logger): Promise<AuthComponents> {
  const keys = new TokenKeys({
    secret: resolveJwtSecret(config),
    publicKey: config.jwtPublicKey,
    externalIssuer: config.jwtIssuer,
    externalAudience: config.jwtAudience,
    ttlSeconds: config.jwtTtlSeconds,
  });
  const directory = new StaffDirectory(db.prisma, config.staffCacheTtlSeconds * 1000);
  await directory.start(db.subscribe);
  const ms = (seconds: number) => seconds * 1000;
  const throttle = new LoginThrottle(db.prisma, {
    account: {
      maxFailures: config.loginMaxFailuresPerAccount,
      windowMs: ms(config.loginWindowSeconds),
      lockoutMs: ms(config.loginLockoutSeconds),
      maxLockoutMs: ms(config.loginMaxLockoutSeconds),
    },
    address: {
      maxFailures: config.loginMaxFailuresPerAddress,
      windowMs: ms(config.loginWindowSeconds),
      lockoutMs: ms(config.loginLockoutSeconds),
      maxLockoutMs: ms(config.loginMaxLockoutSeconds),
    },
  });
  const authenticator = new Authenticator(keys, directory, db.prisma, {
    enabled: config.jwtProvisionExternal,
    role: config.jwtProvisionRole,
  });
  const rateLimiter =
    config.rateLimitPerMinute > 0
      ? new RequestRateLimiter(db.prisma, config.rateLimitPerMinute, (err) =>
          logger.warn({ err }, 'request rate flush failed'),
        )
      : null;
  rateLimiter?.start();
  const apiKeys = new ApiKeyAuthenticator(db);

  return {
    keys,
    directory,
    throttle,
    async authenticate(req) {
      // A service's key (x-api-key) wins over a bearer token: a request acts as one identity only.
      const key = req.headers['x-api-key'];
      const actor =
        key !== undefined
          ? await apiKeys.authenticate(key)
          : await authenticator.authenticate(req.headers.authorization);
      if (actor) rateLimiter?.take(actor.id);
      return actor;
    },
    clientAddress(req) {
      if (config.trustProxy) {
        // The proxy appends the address it saw: the last entry is the one we can trust.
        const forwarded = String(req.headers['x-forwarded-for'] ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (forwarded.length > 0) return forwarded[forwarded.length - 1]!.slice(0, 64);
      }
      return req.socket.remoteAddress ?? null;
    },
    async close() {
      await rateLimiter?.stop();
      await directory.stop();
    },
  };
}

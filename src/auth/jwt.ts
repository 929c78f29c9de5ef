import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** `iss` and `aud` of the tokens this server issues (and requires of them). */
export const OWN_ISSUER = 'customer-api';
export const OWN_AUDIENCE = 'customer-api';

export interface JwtSettings {
  secret: string;
  /** PEM key of an external identity provider (RS256/ES256 tokens). */
  publicKey?: string;
  /** `iss` and `aud` an external token must carry. */
  externalIssuer?: string;
  externalAudience?: string;
  ttlSeconds: number;
}

/** Who a verified token says the caller is; src/auth/authenticate.ts turns it into an Actor. */
export type TokenIdentity =
  | { kind: 'own'; staffId: string; tokenVersion: number }
  | { kind: 'external'; subject: string; email: string | null; name: string | null };

/** Verified tokens remembered (a few MB at most); past it the memory starts again empty. */
const MAX_VERIFIED = 10_000;

const STAFF_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Signs and verifies tokens with keys made once: handed a string, jsonwebtoken would try to
 * parse it as a PEM public key on every verify (~350 µs) before using it as a secret.
 */
export class TokenKeys {
  private readonly secretKey: KeyObject;
  private readonly publicKey?: KeyObject;
  /**
   * Our own tokens already verified, by their text: a client sends the same token with every
   * request, and checking its HMAC and claims again was the largest item of the cheapest query's
   * profile. Only the signature and claim checks are remembered; the time window (nbf, exp) is
   * checked again on every use exactly as jsonwebtoken does, and revocation (token version,
   * inactive staff) is decided by the staff record after this, as before.
   */
  private readonly verified = new Map<string, { identity: TokenIdentity; nbf?: number; exp?: number }>();

  constructor(private readonly settings: JwtSettings) {
    this.secretKey = createSecretKey(Buffer.from(settings.secret, 'utf8'));
    if (settings.publicKey) {
      if (!settings.externalIssuer || !settings.externalAudience)
        throw new Error('an external public key needs its issuer and audience');
      this.publicKey = createPublicKey(settings.publicKey);
    }
  }

  /** A token for a staff member; `tokenVersion` is the staff row's, so a bump revokes the token. */
  issue(staffId: string, tokenVersion: number): { token: string; expiresAt: Date } {
    const token = jwt.sign({ ver: tokenVersion }, this.secretKey, {
      algorithm: 'HS256',
      subject: staffId,
      issuer: OWN_ISSUER,
      audience: OWN_AUDIENCE,
      expiresIn: this.settings.ttlSeconds,
    });
    return { token, expiresAt: new Date(Date.now() + this.settings.ttlSeconds * 1000) };
  }

  /** Our own HS256 tokens, or the identity provider's RS256/ES256 ones; null for anything else. */
  verify(token: string): TokenIdentity | null {
    const known = this.verified.get(token);
    if (known) {
      const now = Math.floor(Date.now() / 1000); // jsonwebtoken's clock, no tolerance
      if ((known.nbf === undefined || known.nbf <= now) && (known.exp === undefined || now < known.exp))
        return known.identity;
      this.verified.delete(token);
    }
    try {
      const claims = jwt.verify(token, this.secretKey, {
        algorithms: ['HS256'],
        issuer: OWN_ISSUER,
        audience: OWN_AUDIENCE,
      }) as jwt.JwtPayload;
      // The subject must be a staff id (a UUID): anything else would fail every query as a 500.
      if (typeof claims.sub !== 'string' || !STAFF_ID.test(claims.sub) || !Number.isSafeInteger(claims.ver))
        return null;
      const identity: TokenIdentity = { kind: 'own', staffId: claims.sub, tokenVersion: claims.ver as number };
      if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
      this.verified.set(token, { identity, nbf: claims.nbf, exp: claims.exp });
      return identity;
    } catch {
      // not one of ours: maybe the identity provider's
    }
    if (!this.publicKey) return null;
    try {
      const claims = jwt.verify(token, this.publicKey, {
        algorithms: ['RS256', 'ES256'],
        issuer: this.settings.externalIssuer!,
        audience: this.settings.externalAudience!,
      }) as jwt.JwtPayload;
      if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.sub.length > 255) return null;
      const text = (value: unknown) =>
        typeof value === 'string' && value.length > 0 && value.length <= 320 ? value : null;
      return { kind: 'external', subject: claims.sub, email: text(claims.email), name: text(claims.name) };
    } catch {
      return null;
    }
  }
}

import jwt from 'jsonwebtoken';
import type { StaffRole } from '../generated/prisma/enums';
import type { Actor } from './actor';
import { ALL_ROLES } from './actor';

export interface JwtSettings {
  secret: string;
  /** PEM key of an external identity provider (RS256/ES256 tokens). */
  publicKey?: string;
  issuer: string;
  ttlSeconds: number;
}

const STAFF_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function issueToken(actor: Actor, settings: JwtSettings): { token: string; expiresAt: Date } {
  const token = jwt.sign({ role: actor.role, email: actor.email, name: actor.name }, settings.secret, {
    algorithm: 'HS256',
    subject: actor.id,
    issuer: settings.issuer,
    expiresIn: settings.ttlSeconds,
  });
  return { token, expiresAt: new Date(Date.now() + settings.ttlSeconds * 1000) };
}

/**
 * Verifies our own HS256 tokens, or tokens from an external identity provider signed with the
 * configured public key. Returns null for anything invalid or expired.
 */
export function verifyToken(token: string, settings: JwtSettings): Actor | null {
  const attempts: Array<[jwt.Secret, jwt.VerifyOptions]> = [[settings.secret, { algorithms: ['HS256'], issuer: settings.issuer }]];
  if (settings.publicKey) attempts.push([settings.publicKey, { algorithms: ['RS256', 'ES256'] }]);
  for (const [key, options] of attempts) {
    try {
      const claims = jwt.verify(token, key, options) as jwt.JwtPayload;
      const role = claims.role as StaffRole;
      // The subject must be a staff id (a UUID): anything else would fail every query as a 500.
      if (typeof claims.sub !== 'string' || !STAFF_ID.test(claims.sub) || !ALL_ROLES.includes(role)) return null;
      return { id: claims.sub, role, email: String(claims.email ?? ''), name: String(claims.name ?? '') };
    } catch {
      // try the next key
    }
  }
  return null;
}

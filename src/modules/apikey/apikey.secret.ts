// The secret of an API key: "cak_" + 12 hex characters (the prefix: visible, stored, finds the row)
// + "_" + 32 random bytes (base64url). Only the SHA-256 of the whole secret is stored; 256 random
// bits need no slow hash (nothing to brute-force), and the comparison is constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET = /^(cak_[0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

export interface NewSecret {
  secret: string;
  prefix: string;
  hash: Uint8Array<ArrayBuffer>;
}

export const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret).digest();

export function generateSecret(): NewSecret {
  const prefix = `cak_${randomBytes(6).toString('hex')}`;
  const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix, hash: new Uint8Array(hashSecret(secret)) };
}

/** The prefix of a well-formed secret, or null (anything else is not one of ours). */
export function prefixOf(secret: string): string | null {
  return secret.length <= 80 ? (SECRET.exec(secret)?.[1] ?? null) : null;
}

/** The secret matches the stored hash (constant-time). */
export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const given = hashSecret(secret);
  return storedHash.length === given.length && timingSafeEqual(given, storedHash);
}

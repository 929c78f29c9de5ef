// x-api-key → the Actor of a service's request: one indexed read by prefix (a prepared statement),
// a constant-time hash comparison, and at most one last-used write per key per minute.
import { API_KEY_ROLE, type Actor } from '../../auth/actor';
import type { Database } from '../../db/client';
import { scopeOfWireName, type ApiKeyScope } from './apikey.scopes';
import { prefixOf, secretMatches } from './apikey.secret';

/** last_used_at is a hint for humans ("is this key still used?"): minute precision is enough. */
const LAST_USED_PRECISION_MS = 60_000;

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  secret_hash: Uint8Array;
  scopes: string[];
  usable: boolean;
  last_used_at: Date | null;
}

export class ApiKeyAuthenticator {
  constructor(private readonly db: Database) {}

  /** The key's actor, or null: malformed, unknown, wrong secret, revoked or expired. */
  async authenticate(header: string | string[] | undefined): Promise<Actor | null> {
    const secret = typeof header === 'string' ? header.trim() : null;
    const prefix = secret ? prefixOf(secret) : null;
    if (!secret || !prefix) return null;
    const [row] = await this.db.read<KeyRow>(
      `SELECT id, name, prefix, secret_hash, scopes, last_used_at,
              (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS usable
         FROM api_keys WHERE prefix = $1`,
      [prefix],
      'api_key_by_prefix',
    );
    if (!row || !secretMatches(secret, row.secret_hash) || !row.usable) return null;
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_PRECISION_MS)
      await this.db.read('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [row.id], 'api_key_used');
    const scopes = new Set(row.scopes.map(scopeOfWireName).filter((s): s is ApiKeyScope => s !== undefined));
    return {
      id: row.id,
      role: API_KEY_ROLE,
      email: '',
      name: `API key ${row.name}`,
      apiKey: { id: row.id, prefix: row.prefix, scopes },
    };
  }
}

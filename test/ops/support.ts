import type { TestDatabase } from '../helpers/database';
import type { GraphQLResponse, TestServer } from '../helpers/server';
import { databaseSnapshot } from '../helpers/snapshot';

export const API_KEY_CREATE = `mutation ApiKeyCreate($input: ApiKeyCreateInput!) {
  apiKeyCreate(input: $input) {
    secret
    apiKey { id name prefix scopes expiresAt revokedAt lastUsedAt rotatedAt createdAt active }
    userErrors { code field message }
  }
}`;

export interface CreatedKey {
  id: string;
  secret: string;
  prefix: string;
}

/** Creates a key as ADMIN through the API and returns its id and secret. */
export async function createKey(
  server: TestServer,
  scopes: string[],
  extra: { name?: string; expiresAt?: string } = {},
): Promise<CreatedKey> {
  const res = await server.post(
    { query: API_KEY_CREATE, variables: { input: { name: extra.name ?? 'Test service', scopes, ...extra } } },
    'admin',
  );
  const created = (res.data as { apiKeyCreate: { secret: string; apiKey: { id: string; prefix: string } } })
    ?.apiKeyCreate;
  if (!created?.secret) throw new Error(`apiKeyCreate failed: ${JSON.stringify(res)}`);
  return { id: created.apiKey.id, secret: created.secret, prefix: created.apiKey.prefix };
}

/** Sends an operation with `x-api-key: secret` (and no bearer token). */
export const asKey = (server: TestServer, secret: string, body: unknown): Promise<GraphQLResponse<unknown>> =>
  server.post(body, null, { 'x-api-key': secret });

const keyRows = (db: TestDatabase) =>
  db.sql.query(
    `SELECT id, name, prefix, encode(secret_hash, 'hex') AS hash, scopes, expires_at, revoked_at, rotated_at, created_at
       FROM api_keys ORDER BY id`,
  );

/**
 * `unchanged` for requests made with a key: every table exactly as before, except that the key's
 * last-use time may have been recorded (bookkeeping of authentication, like the login throttle's).
 */
export async function unchangedBesidesKeyUse<T>(db: TestDatabase, run: () => Promise<T>): Promise<T> {
  const before = { ...(await databaseSnapshot(db)), api_keys: await keyRows(db) };
  const result = await run();
  expect({ ...(await databaseSnapshot(db)), api_keys: await keyRows(db) }).toEqual(before);
  return result;
}

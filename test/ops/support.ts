import type { GraphQLResponse, TestServer } from '../helpers/server';

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

/**
 * Creates a key as ADMIN through the API and returns its id and secret. Used once (`{ __typename }`)
 * unless `warm` is false, so its last-use time is already recorded and later requests within the
 * minute write nothing (the bad-input tests compare whole databases).
 */
export async function createKey(
  server: TestServer,
  scopes: string[],
  extra: { name?: string; expiresAt?: string } = {},
  warm = true,
): Promise<CreatedKey> {
  const res = await server.post(
    { query: API_KEY_CREATE, variables: { input: { name: extra.name ?? 'Test service', scopes, ...extra } } },
    'admin',
  );
  const created = (res.data as { apiKeyCreate: { secret: string; apiKey: { id: string; prefix: string } } })
    ?.apiKeyCreate;
  if (!created?.secret) throw new Error(`apiKeyCreate failed: ${JSON.stringify(res)}`);
  if (warm) await server.post({ query: '{ __typename }' }, null, { 'x-api-key': created.secret });
  return { id: created.apiKey.id, secret: created.secret, prefix: created.apiKey.prefix };
}

/** Sends an operation with `x-api-key: secret` (and no bearer token). */
export const asKey = (server: TestServer, secret: string, body: unknown): Promise<GraphQLResponse<unknown>> =>
  server.post(body, null, { 'x-api-key': secret });

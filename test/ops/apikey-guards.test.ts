// API-key guards by construction: every root field of the schema (read from schema.graphql, so a
// field added later is covered without anyone remembering it) is tried with a key that holds
// every scope except the one it requires (all scopes, for fields no scope opens): FORBIDDEN (403),
// nothing written. With exactly its scope the field gets past the guard.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, getNamedType, isCompositeType, isNonNullType, type GraphQLField } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { API_KEY_ROLE } from '../../src/auth/actor';
import { buildAppSchema } from '../../src/graphql/schema';
import { API_KEY_SCOPES, ROOT_FIELD_SCOPES } from '../../src/modules/apikey/apikey.scopes';
import { expectTopLevelError } from '../helpers/bad-input';
import { startTestServer, type TestServer } from '../helpers/server';
import { asKey, createKey, unchangedBesidesKeyUse, type CreatedKey } from './support';

const sdl = buildSchema(readFileSync(resolve(__dirname, '../../schema.graphql'), 'utf8'));
const rootFields = (kind: 'query' | 'mutation') =>
  Object.values((kind === 'query' ? sdl.getQueryType() : sdl.getMutationType())!.getFields())
    .filter((f) => !f.name.startsWith('__'))
    .map((field) => [kind, field.name, field] as const)
    .sort((a, b) => a[1].localeCompare(b[1]));
const ALL = [...rootFields('query'), ...rootFields('mutation')];

/**
 * The operation calling `field` with every required argument as a declared variable. No values are
 * sent: the guard decides before variables are coerced, and a field the guard lets through fails
 * later with BAD_USER_INPUT (missing variable) without running.
 */
function operationFor(kind: string, field: GraphQLField<unknown, unknown>) {
  const args = field.args.filter((a) => isNonNullType(a.type));
  const declarations = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind} Guard${declarations ? `(${declarations})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`;
}

describe('the scope map', () => {
  it('names only fields of the schema, and only scopes that exist', () => {
    const names = new Set(ALL.map(([, name]) => name));
    expect(Object.keys(ROOT_FIELD_SCOPES).filter((f) => !names.has(f))).toEqual([]);
    expect(Object.values(ROOT_FIELD_SCOPES).filter((s) => !API_KEY_SCOPES.includes(s))).toEqual([]);
    // Every scope opens something.
    expect(API_KEY_SCOPES.filter((s) => !Object.values(ROOT_FIELD_SCOPES).includes(s))).toEqual([]);
  });

  it('every mutation a scope opens allows the role keys act with (else the scope would open nothing)', async () => {
    await buildAppSchema();
    const blocked = getMetadataStorage()
      .mutations.filter((m) => Object.hasOwn(ROOT_FIELD_SCOPES, m.schemaName))
      .filter((m) => m.roles && m.roles.length > 0 && !m.roles.includes(API_KEY_ROLE))
      .map((m) => m.schemaName);
    expect(blocked).toEqual([]);
  });
});

describe('every root field through an API key', () => {
  let server: TestServer;
  const withoutScope = new Map<string, CreatedKey>();
  const withScope = new Map<string, CreatedKey>();
  let allScopes: CreatedKey;

  beforeAll(async () => {
    server = await startTestServer();
    await server.token('admin');
    allScopes = await createKey(server, [...API_KEY_SCOPES]);
    for (const scope of API_KEY_SCOPES) {
      withoutScope.set(
        scope,
        await createKey(
          server,
          API_KEY_SCOPES.filter((s) => s !== scope),
        ),
      );
      withScope.set(scope, await createKey(server, [scope]));
    }
  }, 240_000); // a fresh database, migrated, on a shared machine
  afterAll(() => server.close());

  it.each(ALL)('%s %s: FORBIDDEN without its scope, past the guard with it', async (kind, name, field) => {
    const query = operationFor(kind, field);
    const scope = Object.hasOwn(ROOT_FIELD_SCOPES, name) ? ROOT_FIELD_SCOPES[name] : undefined;
    const denied = scope ? withoutScope.get(scope)! : allScopes;
    const run = () => asKey(server, denied.secret, { query, variables: {} });
    const res = kind === 'mutation' ? await unchangedBesidesKeyUse(server.db, run) : await run();
    expect(expectTopLevelError(res, 403, 'FORBIDDEN').path).toEqual([name]);
    if (scope) {
      const allowed = await asKey(server, withScope.get(scope)!.secret, { query, variables: {} });
      expect(allowed.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('FORBIDDEN');
    }
  });
});

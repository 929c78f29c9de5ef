// Guards by construction, not by example: the mutations are read from the schema, so a mutation
// added later is covered without anyone remembering it.
// 1. type-graphql's metadata: every mutation except the public ones carries @Authorized with
//    roles that leave out ANALYST (read-only).
// 2. Through HTTP: EVERY mutation sent as ANALYST, with variables that pass GraphQL coercion and
//    point at real objects, is a top-level FORBIDDEN and leaves the database exactly as it was.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { NodeType } from '../../src/graphql/relay';
import { buildAppSchema } from '../../src/graphql/schema';
import { expectTopLevelError, unchanged } from '../helpers/bad-input';
import { NODE_FIXTURES } from '../helpers/node-fixtures';
import { startTestServer, type TestServer } from '../helpers/server';

/** Mutations anyone may call (the authentication plugin's public fields). Adding one here is a deliberate decision. */
const PUBLIC_MUTATIONS = new Set(['login']);
/** Mutations every signed-in role may call on its own account: `@Authorized()` with no role list. */
const SELF_SERVICE_MUTATIONS = new Set(['passwordChange']);

// The checked-in SDL (test/schema/sdl.test.ts keeps it equal to the built schema), read
// synchronously so every mutation becomes its own test case.
const sdl = buildSchema(readFileSync(resolve(__dirname, '../../schema.graphql'), 'utf8'));
const guarded = Object.values(sdl.getMutationType()!.getFields())
  .filter((field) => !PUBLIC_MUTATIONS.has(field.name) && !SELF_SERVICE_MUTATIONS.has(field.name))
  .sort((a, b) => a.name.localeCompare(b.name));

describe('@Authorized on every non-public mutation (type-graphql metadata)', () => {
  it('every mutation of the built schema except the public ones requires roles, and ANALYST is not among them', async () => {
    const schema = await buildAppSchema();
    const inSchema = new Set(Object.keys(schema.getMutationType()!.getFields()));
    const metadata = getMetadataStorage().mutations.filter((m) => inSchema.has(m.schemaName));
    expect(new Set(metadata.map((m) => m.schemaName))).toEqual(inSchema);
    const unguarded = metadata
      .filter((m) => !PUBLIC_MUTATIONS.has(m.schemaName) && !SELF_SERVICE_MUTATIONS.has(m.schemaName))
      .filter((m) => !m.roles || m.roles.length === 0 || m.roles.includes('ANALYST'))
      .map((m) => `${m.schemaName}: roles ${JSON.stringify(m.roles ?? null)}`);
    expect(unguarded).toEqual([]);
    expect(guarded.length).toBeGreaterThanOrEqual(35);
  });

  it('the self-service mutations require a signed-in user of any role', async () => {
    await buildAppSchema();
    const selfService = getMetadataStorage().mutations.filter((m) => SELF_SERVICE_MUTATIONS.has(m.schemaName));
    expect(selfService.map((m) => [m.schemaName, m.roles ?? null])).toEqual(
      [...SELF_SERVICE_MUTATIONS].map((name) => [name, []]),
    );
  });

  it('the public mutations carry no @Authorized (anyone must be able to log in)', async () => {
    await buildAppSchema();
    const publicOnes = getMetadataStorage().mutations.filter((m) => PUBLIC_MUTATIONS.has(m.schemaName));
    expect(publicOnes.map((m) => [m.schemaName, m.roles ?? null])).toEqual(
      [...PUBLIC_MUTATIONS].map((name) => [name, null]),
    );
  });
});

// ── Minimal valid-looking variables for any mutation, from the input types of the schema ──

const SCALAR_SAMPLES: Record<string, unknown> = {
  String: 'Guard test',
  Int: 1,
  Float: 1,
  Boolean: false,
  DateTime: '2025-01-02T03:04:05.000Z',
  LocalDate: '2025-01-02',
  Decimal: '10.00',
  EmailAddress: 'guard@example.com',
  PhoneNumber: '+14155550123',
  CountryCode: 'US',
  Currency: 'USD',
  JSON: {},
  NonNegativeInt: 0,
  PositiveInt: 1,
  Latitude: 0,
  Longitude: 0,
};

/** The Node type an ID argument or field points to: `customerId` → Customer, `id` of `policyRenew` → Policy. */
function idTarget(name: string, mutation: string): NodeType {
  const types = Object.keys(NODE_FIXTURES) as NodeType[];
  const stem = name.replace(/Ids?$/, '');
  const byName = types.find((t) => t.toLowerCase() === stem.toLowerCase() || (stem === 'owner' && t === 'StaffUser'));
  if (byName) return byName;
  const byMutation = types
    .filter((t) => mutation.toLowerCase().startsWith(t.toLowerCase()))
    .sort((a, b) => b.length - a.length)[0];
  return byMutation ?? 'Customer';
}

function sample(type: GraphQLInputType, name: string, mutation: string, ids: Record<string, string>): unknown {
  if (isNonNullType(type)) return sample(type.ofType, name, mutation, ids);
  if (isListType(type)) return [sample(type.ofType, name, mutation, ids)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined)
        value[field.name] = sample(field.type, field.name, mutation, ids);
    }
    return value;
  }
  if (isScalarType(type) && type.name === 'ID') return ids[idTarget(name, mutation)];
  if (isScalarType(type) && type.name in SCALAR_SAMPLES) return SCALAR_SAMPLES[type.name];
  throw new Error(
    `no sample value for scalar ${type.name} (argument ${name} of ${mutation}): add one to SCALAR_SAMPLES`,
  );
}

function operationFor(field: GraphQLField<unknown, unknown>, ids: Record<string, string>) {
  const args = field.args.filter((a) => isNonNullType(a.type));
  const variables = Object.fromEntries(args.map((a) => [a.name, sample(a.type, a.name, field.name, ids)]));
  const declarations = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  const query = `mutation Guard${declarations ? `(${declarations})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`;
  return { query, variables };
}

describe('every write mutation as ANALYST (read-only) is FORBIDDEN and writes nothing', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    // Real objects (of a customer owned by an agent) for every ID, so a missing guard would reach a real write.
    for (const [type, fixture] of Object.entries(NODE_FIXTURES))
      ids[type] = await fixture.create(server, server.staffIds.agent);
    await server.token('analyst');
  });
  afterAll(() => server.close());

  it.each(guarded.map((field) => [field.name, field] as const))('%s', async (name, field) => {
    const { query, variables } = operationFor(field, ids);
    const res = await unchanged(server.db, () => server.post({ query, variables }, 'analyst'));
    const error = expectTopLevelError(res, 200, 'FORBIDDEN');
    expect(error.path).toEqual([name]);
  });
});

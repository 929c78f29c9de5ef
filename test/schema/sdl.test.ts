import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, type GraphQLSchema } from 'graphql';
import { buildAppSchema, schemaSDL } from '../../src/graphql/schema';

// schema.graphql is the contract clients and codegen read (SPEC §4): it must be what the server
// serves, and document every type and every operation.

const SDL_PATH = resolve(__dirname, '../../schema.graphql');

/** The first line where the two texts differ, for a readable failure. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: schema.graphql has ${JSON.stringify(b[at] ?? '<end of file>')}, the server has ${JSON.stringify(a[at] ?? '<end of file>')}`;
}

describe('schema.graphql', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema();
  });

  it('is the SDL the server builds (run `npm run schema:emit` and `npm run codegen` when this fails)', async () => {
    const built = await schemaSDL();
    const checkedIn = readFileSync(SDL_PATH, 'utf8');
    if (checkedIn !== built) {
      throw new Error(
        `schema.graphql is stale: run \`npm run schema:emit\` (then \`npm run codegen\`) and commit the result.\nFirst difference at ${firstDifference(built, checkedIn)}`,
      );
    }
  });

  it('has a description on every object, input, enum, interface and union type', () => {
    // The root operation types are left out: type-graphql generates Query and Mutation itself
    // and has no way to describe them; their fields are checked one by one below.
    const roots = new Set(
      [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
        .filter(Boolean)
        .map((t) => t!.name),
    );
    const types = Object.values(schema.getTypeMap()).filter(
      (type) =>
        !type.name.startsWith('__') &&
        !roots.has(type.name) &&
        (isObjectType(type) ||
          isInputObjectType(type) ||
          isEnumType(type) ||
          isInterfaceType(type) ||
          isUnionType(type)),
    );
    expect(types.length).toBeGreaterThan(20);
    const undocumented = types.filter((type) => !type.description?.trim()).map((type) => type.name);
    expect(undocumented).toEqual([]);
  });

  it('has a description on every query and mutation', () => {
    const fields = [schema.getQueryType(), schema.getMutationType()].flatMap((root) => {
      expect(root).toBeTruthy();
      return Object.values(root!.getFields()).map((field) => ({
        name: `${root!.name}.${field.name}`,
        description: field.description,
      }));
    });
    expect(fields.some((f) => f.name === 'Mutation.customerCreate')).toBe(true);
    const undocumented = fields.filter((field) => !field.description?.trim()).map((field) => field.name);
    expect(undocumented).toEqual([]);
  });
});

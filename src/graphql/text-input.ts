import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';

/** Path of the first string in a variable value that contains a NUL character, if any. */
function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulPath(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

function literalHasNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (!node.value.includes('\0')) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * PostgreSQL text cannot hold NUL (U+0000): such input would fail in the database as an internal
 * error, so it is refused up front as BAD_USER_INPUT, naming the variable.
 */
export const rejectNulCharactersPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        const variables = request.variables ?? {};
        const where = Object.entries(variables).reduce<string | null>((hit, [name, value]) => hit ?? nulPath(value, `$${name}`), null) ?? (literalHasNul(document) ? 'a string literal' : null);
        if (where) throw new GraphQLError(`Text must not contain NUL (\\u0000) characters (in ${where})`, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
      },
    };
  },
};

import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Context } from '../../graphql/context';
import { KEY_PUBLIC_ROOT_FIELDS, ROOT_FIELD_SCOPES, scopeWireName } from './apikey.scopes';

/** The root fields an operation selects, through inline fragments and fragment spreads. */
export function rootFieldsOf(selection: SelectionSetNode, document: DocumentNode): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const fields: string[] = [];
  const seen = new Set<string>();
  // Iterative: the document is the client's, its nesting is not ours to trust.
  const pending: SelectionSetNode[] = [selection];
  while (pending.length > 0) {
    for (const node of pending.pop()!.selections) {
      if (node.kind === Kind.FIELD) fields.push(node.name.value);
      else if (node.kind === Kind.INLINE_FRAGMENT) pending.push(node.selectionSet);
      else if (!seen.has(node.name.value)) {
        seen.add(node.name.value);
        const fragment = fragments.get(node.name.value);
        if (fragment) pending.push(fragment.selectionSet);
      }
    }
  }
  return fields;
}

/**
 * A request authenticated by an API key may select only root fields whose scope (ROOT_FIELD_SCOPES)
 * the key holds; anything else refuses the whole operation with FORBIDDEN (HTTP 403) before any
 * resolver runs. Staff requests pass untouched (one property check).
 */
export const apiKeyScopePlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation, document }) {
        const key = contextValue.actor?.apiKey;
        if (!key || !operation) return;
        for (const field of rootFieldsOf(operation.selectionSet, document)) {
          if (KEY_PUBLIC_ROOT_FIELDS.has(field)) continue;
          const scope = Object.hasOwn(ROOT_FIELD_SCOPES, field) ? ROOT_FIELD_SCOPES[field] : undefined;
          if (scope && key.scopes.has(scope)) continue;
          throw new GraphQLError(
            scope
              ? `This API key lacks the scope ${scopeWireName(scope)} (${scope}) that ${field} requires`
              : `${field} cannot be called with an API key`,
            { path: [field], extensions: { code: 'FORBIDDEN', http: { status: 403 } } },
          );
        }
      },
    };
  },
};

import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type SelectionSetNode } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { Context } from './context';

// Operations anyone may send: `login`, and schema introspection (when introspection is on).
const PUBLIC_ROOT_FIELDS = new Set(['login', '__schema', '__type', '__typename']);

function onlyPublicFields(selection: SelectionSetNode): boolean {
  return selection.selections.every((node) => {
    if (node.kind === Kind.FIELD) return PUBLIC_ROOT_FIELDS.has(node.name.value);
    if (node.kind === Kind.INLINE_FRAGMENT) return onlyPublicFields(node.selectionSet);
    return false;
  });
}

/** Rejects any operation without a valid token, except the public ones, with a 401. */
export const requireAuthenticationPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation }) {
        if (!operation || contextValue.actor || onlyPublicFields(operation.selectionSet)) return;
        throw new GraphQLError('A valid bearer token is required', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      },
    };
  },
};

/** `@Authorized(roles)`: the actor must hold one of the roles (any authenticated actor when none). */
export const authChecker: AuthChecker<Context> = ({ context }, roles) =>
  Boolean(context.actor) && (roles.length === 0 || roles.includes(context.actor!.role));

import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type SelectionSetNode } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import { RateLimitedError } from '../auth/rate-limited';
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
        throw new GraphQLError('A valid bearer token is required', {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      },
    };
  },
};

/** `@Authorized(roles)`: the actor must hold one of the roles (any authenticated actor when none). */
export const authChecker: AuthChecker<Context> = ({ context }, roles) =>
  Boolean(context.actor) && (roles.length === 0 || roles.includes(context.actor!.role));

/**
 * RATE_LIMITED as a top-level error with `retryAfter` (seconds) and HTTP 429 + Retry-After: the
 * status covers the whole response, so a request that also asked for other fields gets 429 too.
 */
export function rateLimitedError(message: string, retryAfterSeconds: number): GraphQLError {
  const headers = new HeaderMap([['retry-after', String(retryAfterSeconds)]]);
  return new GraphQLError(message, {
    extensions: { code: 'RATE_LIMITED', retryAfter: retryAfterSeconds, http: { status: 429, headers } },
  });
}

/** Turns a service's RateLimitedError into the RATE_LIMITED GraphQL error. */
export async function rateLimitedAsGraphQLError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof RateLimitedError) throw rateLimitedError(error.message, error.retryAfterSeconds);
    throw error;
  }
}

/** Authentication of a request: past the request rate limit RATE_LIMITED (429). */
export function authenticationOf<T>(work: Promise<T>): Promise<T> {
  // Other failures (the database, a bug) become 503 in serviceUnavailableOnContextFailure (src/graphql/errors.ts).
  return rateLimitedAsGraphQLError(work);
}

// Apollo Client 4 for this API: the cache of apollo-cache.ts, the token on every request, and one
// place that reacts to top-level error codes. test/clients/ runs it against the real server.
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { createCache } from './apollo-cache';

export interface ApiClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  uri: string;
  /** The token of the `login` mutation (or of your identity provider), or null before logging in. */
  getToken: () => string | null;
  /** Called when the server answers UNAUTHENTICATED: no token, or an expired or revoked one. */
  onUnauthenticated?: () => void;
  /** Your own fetch (the browser's by default). */
  fetch?: typeof fetch;
}

export function createApiClient({ uri, getToken, onUnauthenticated, fetch }: ApiClientOptions) {
  const auth = new SetContextLink(({ headers }) => {
    const token = getToken();
    return { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
  });
  // Top-level errors (`errors[].extensions.code`) mean the operation as a whole failed:
  // UNAUTHENTICATED (401), FORBIDDEN, BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED, QUERY_TOO_COMPLEX
  // (400), INTERNAL_SERVER_ERROR. Expected business failures are no errors at all: they come as
  // `userErrors` in the mutation's payload, with `data`.
  const errors = new ErrorLink(({ error }) => {
    if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated?.();
  });
  return new ApolloClient({
    cache: createCache(),
    link: ApolloLink.from([errors, auth, new HttpLink({ uri, fetch })]),
  });
}

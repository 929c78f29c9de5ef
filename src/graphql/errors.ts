import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { AuthenticationError, AuthorizationError } from 'type-graphql';
import type { Logger } from '../logger';
import { DomainError } from '../shared/domain-error';

// Codes a client may see as they are; anything else is an internal failure.
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'QUERY_TOO_COMPLEX',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
]);

/**
 * Shapes every top-level error: authorization failures get their codes, and internal errors
 * lose their message and stack outside development (no SQL text or traces reach clients).
 */
export function formatError(logger: Logger, development: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AuthorizationError) {
      return { message: 'You are not allowed to do this', path: formatted.path, locations: formatted.locations, extensions: { code: 'FORBIDDEN' } };
    }
    if (original instanceof AuthenticationError) {
      return { message: 'A valid bearer token is required', path: formatted.path, locations: formatted.locations, extensions: { code: 'UNAUTHENTICATED' } };
    }
    if (original instanceof DomainError) {
      // An expected failure outside a mutation payload (e.g. a bad `after` cursor): the caller's input, not a server fault.
      const [issue] = original.issues;
      const domainCode = issue?.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'BAD_USER_INPUT';
      return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: domainCode, field: issue?.field ?? null } };
    }
    const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    if (PUBLIC_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: development ? formatted.extensions : extensions };
    }
    logger.error({ err: original, path: formatted.path }, 'internal error');
    if (development) return formatted;
    return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}


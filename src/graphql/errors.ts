import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AuthenticationError, AuthorizationError } from 'type-graphql';
import { databaseFailure } from '../db/errors';
import type { Logger } from '../logger';
import { DomainError } from '../shared/domain-error';
import type { Context } from './context';

// Codes a client may see as they are; anything else is an internal failure.
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'QUERY_TOO_COMPLEX',
  'QUERY_TIMEOUT',
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
  'CLIENT_CLOSED_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
]);

/** Seconds a client should wait before retrying when the database is unavailable. */
export const RETRY_AFTER_SECONDS = 2;

const MESSAGES = {
  SERVICE_UNAVAILABLE: 'The database is unavailable right now; retry shortly',
  QUERY_TIMEOUT: 'The query took too long and was cancelled; narrow the filter or ask for a smaller page',
};

type Verdict =
  | { kind: 'public'; code: string }
  | { kind: 'database'; code: keyof typeof MESSAGES }
  | { kind: 'internal' };

/** What kind of failure an error is, decided in one place for the formatter and the logger. */
function classify(formattedCode: unknown, original: unknown): Verdict {
  if (original instanceof AuthorizationError) return { kind: 'public', code: 'FORBIDDEN' };
  if (original instanceof AuthenticationError) return { kind: 'public', code: 'UNAUTHENTICATED' };
  if (original instanceof DomainError)
    return { kind: 'public', code: original.issues[0]?.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'BAD_USER_INPUT' };
  const code = String(formattedCode ?? 'INTERNAL_SERVER_ERROR');
  if (PUBLIC_CODES.has(code)) return { kind: 'public', code };
  // graphql-js's own request errors carry no code, no path and wrap nothing, e.g. "Too many errors
  // processing variables" after 50 bad variable values: the request's fault, not ours.
  if (
    original instanceof GraphQLError &&
    original.extensions.code === undefined &&
    !original.originalError &&
    !original.path
  )
    return { kind: 'public', code: 'BAD_USER_INPUT' };
  const failure = databaseFailure(original);
  if (failure) return { kind: 'database', code: failure === 'timeout' ? 'QUERY_TIMEOUT' : 'SERVICE_UNAVAILABLE' };
  return { kind: 'internal' };
}

/**
 * Shapes every top-level error: authorization failures get their codes, a database that is down
 * or too slow gets SERVICE_UNAVAILABLE / QUERY_TIMEOUT, and internal errors lose their message and
 * stack outside development (no SQL text or traces reach clients). Logging is done by
 * `errorLoggingPlugin`, which knows the request id.
 */
export function formatError(_logger: Logger, development: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const verdict = classify(formatted.extensions?.code, original);
    const where = { path: formatted.path, locations: formatted.locations };
    if (original instanceof AuthorizationError)
      return { message: 'You are not allowed to do this', ...where, extensions: { code: 'FORBIDDEN' } };
    if (original instanceof AuthenticationError)
      return { message: 'A valid bearer token is required', ...where, extensions: { code: 'UNAUTHENTICATED' } };
    if (original instanceof DomainError) {
      // An expected failure outside a mutation payload (e.g. a bad `after` cursor): the caller's input, not a server fault.
      return {
        message: original.message,
        ...where,
        extensions: {
          code: verdict.kind === 'public' ? verdict.code : 'BAD_USER_INPUT',
          field: original.issues[0]?.field ?? null,
        },
      };
    }
    if (verdict.kind === 'public') {
      const { stacktrace: _stack, ...extensions }: Record<string, unknown> = {
        ...formatted.extensions,
        code: verdict.code,
      };
      return { ...formatted, extensions: development ? { ...formatted.extensions, code: verdict.code } : extensions };
    }
    if (verdict.kind === 'database') {
      const extensions =
        verdict.code === 'SERVICE_UNAVAILABLE'
          ? { code: verdict.code, retryAfterSeconds: RETRY_AFTER_SECONDS }
          : { code: verdict.code };
      return { message: MESSAGES[verdict.code], ...where, extensions };
    }
    if (development) return formatted;
    return { message: 'Internal server error', ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * Logs internal errors (and database failures) once, as JSON, with the request id of the request
 * they belong to; and turns a response that met an unavailable database into a retryable HTTP
 * 503 with Retry-After, whatever stage it failed in.
 */
export const errorLoggingPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) {
          const original = unwrapResolverError(error);
          const verdict = classify(error.extensions?.code, original);
          if (verdict.kind === 'internal')
            contextValue.logger.error(
              { err: original, path: error.path, requestId: contextValue.requestId },
              'internal error',
            );
          else if (verdict.kind === 'database')
            contextValue.logger.warn(
              { err: original, path: error.path, requestId: contextValue.requestId, code: verdict.code },
              'database failure',
            );
        }
      },
      async willSendResponse({ response }) {
        const errors =
          response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
        if (errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) {
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
        }
      },
    };
  },
};

/**
 * Context creation that needs the database (e.g. checking a token against the staff table) and
 * finds it down answers 503 SERVICE_UNAVAILABLE with Retry-After, not Apollo's 500.
 */
export function serviceUnavailableOnContextFailure<A extends [unknown, string, ...unknown[]]>(
  logger: Logger,
  create: (...args: A) => Promise<Context>,
): (...args: A) => Promise<Context> {
  return async (...args) => {
    try {
      return await create(...args);
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      // Fail closed: whatever stopped the token check (the database, or a bug), nobody gets in.
      const requestId = args[1];
      const failure = databaseFailure(error);
      if (failure) logger.warn({ err: error, requestId, code: 'SERVICE_UNAVAILABLE' }, 'database failure');
      else logger.error({ err: error, requestId }, 'internal error');
      throw new GraphQLError(MESSAGES.SERVICE_UNAVAILABLE, {
        extensions: {
          code: 'SERVICE_UNAVAILABLE',
          retryAfterSeconds: RETRY_AFTER_SECONDS,
          http: { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) },
        },
      });
    }
  };
}

import type { Actor } from '../auth/actor';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { createLoaders, type Loaders } from './loaders';
import { traceFields } from '../observability/tracing';

/** What every resolver receives. Loaders are new for each request, so caches never leak across users. */
export interface Context {
  requestId: string;
  actor: Actor | null;
  services: Services;
  loaders: Loaders;
  logger: Logger;
  /** The client's address (login throttling); null when unknown. */
  clientAddress: string | null;
  /** Aborted when the client disconnected: work not yet started is skipped (see src/graphql/abort.ts). */
  signal?: AbortSignal;
  /**
   * The metrics label of the operation once resolved (src/observability/graphql-plugin.ts). An
   * object: Apollo hands plugins a shallow copy of the context, the HTTP server reads the original.
   */
  operation: { label?: string };
}

/** The actor of an authenticated request (the auth plugin has already rejected anonymous ones). */
export function actorOf(ctx: Context): Actor {
  if (!ctx.actor) throw new Error('unauthenticated request reached a resolver');
  return ctx.actor;
}

export function createContext(
  services: Services,
  logger: Logger,
  requestId: string,
  actor: Actor | null,
  clientAddress: string | null = null,
  signal?: AbortSignal,
): Context {
  return {
    requestId,
    actor,
    services,
    loaders: createLoaders(services.db),
    // An API key's requests are attributed in every log line by its visible prefix.
    logger: logger.child(
      actor?.apiKey ? { ...traceFields(requestId), apiKey: actor.apiKey.prefix } : traceFields(requestId),
    ),
    clientAddress,
    signal,
    operation: {},
  };
}

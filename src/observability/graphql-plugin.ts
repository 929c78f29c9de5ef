import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context';
import { operationLabel, recordGraphQLError } from './metrics';
import { tracing } from './tracing';

/**
 * Labels each request with its operation (metrics; the name of its span when tracing) and counts
 * the top-level errors sent, by code. A few map lookups per request.
 */
export const observabilityPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation, operationName }) {
        const label = operationLabel(operationName ?? operation?.name?.value);
        contextValue.operation.label = label;
        tracing.nameOperation?.(operation?.operation ?? 'query', label);
      },
      async willSendResponse({ response }) {
        const errors =
          response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
        if (errors) for (const error of errors) recordGraphQLError(error.extensions?.code);
      },
    };
  },
};

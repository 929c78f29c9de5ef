// Work abandoned when the client has gone: Node tells us (the response closed before it was
// complete) and the HTTP layer aborts the request's signal. graphql-js 16 cannot interrupt a
// resolver that is running, so the check sits where new work starts: every root field (mutations
// run one after another) and every field that takes arguments (connections, lookups), which are
// the ones that query the database. A statement already running finishes (or meets PostgreSQL's
// statement_timeout); nothing after it starts.
import { GraphQLError, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Context } from './context';

const clientGone = () =>
  new GraphQLError('The client closed the request', { extensions: { code: 'CLIENT_CLOSED_REQUEST' } });

export function stopWorkOnDisconnect(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType()].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve || (!roots.has(type) && field.args.length === 0)) continue;
      const resolve: GraphQLFieldResolver<unknown, Context> = field.resolve;
      field.resolve = (source, args, context: Context, info) => {
        if (context?.signal?.aborted) throw clientGone();
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}

import { getMetadataStorage } from 'type-graphql';

/**
 * type-graphql wraps every plain `@Field` (one without a field resolver) in a resolver of its own
 * that runs the middleware chain and reads `root[name]`; on a list of 50 customers that is a
 * closure call per field per row. Fields without roles or middlewares and with their own name
 * need none of it: marking them `simple` leaves them to graphql-js's default resolver, which
 * reads the same property. Fields with @Authorized or @UseMiddleware keep their wrapper. Call
 * before buildSchema.
 */
export function useDefaultResolverForPlainFields(): void {
  for (const field of getMetadataStorage().fields) {
    if (field.simple === undefined && !field.roles && !field.middlewares?.length && field.name === field.schemaName)
      field.simple = true;
  }
}

// Keeping cached customer lists right after `customerCreate`, with no refetch: the mutation's
// `update` function edits the cached `customers` connections in place.
import type { ApolloCache, Reference } from '@apollo/client';

interface CachedConnection {
  edges: { __typename?: string; cursor: string; node: Reference }[];
  totalCount?: number;
}

/** The arguments of a cached field from its store name, e.g. `customers:{"sort":{"field":"NAME"}}`. */
const argsOf = (storeFieldName: string, fieldName: string): Record<string, unknown> =>
  storeFieldName === fieldName ? {} : JSON.parse(storeFieldName.slice(fieldName.length + 1));

/**
 * Puts a created customer at the top of every cached unfiltered customers list (whatever its
 * sort: where it falls in the server's order is known only on the next fetch) and counts it in
 * `totalCount`. A filtered list may or may not include it: that list is dropped from the cache,
 * and fetched again when a view shows it. Call it with a customer the mutation selected with the
 * same fields as the lists (one fragment for both), so that the lists read complete from the cache.
 */
export function addCreatedCustomer(cache: ApolloCache, customer: { __typename?: 'Customer'; id: string }) {
  cache.modify({
    fields: {
      customers(existing, { fieldName, storeFieldName, toReference, DELETE }) {
        const filter = argsOf(storeFieldName, fieldName).filter;
        if (filter && Object.keys(filter).length > 0) return DELETE;
        const list = existing as CachedConnection;
        const node = toReference({ __typename: 'Customer', id: customer.id })!;
        return {
          ...list,
          edges: [{ __typename: 'CustomerEdge', cursor: '', node }, ...list.edges],
          ...(list.totalCount === undefined ? {} : { totalCount: list.totalCount + 1 }),
        };
      },
    },
  });
}

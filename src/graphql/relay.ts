import { ArgsType, ClassType, Field, ID, Int, InterfaceType, ObjectType } from 'type-graphql';
import { DomainError } from '../shared/domain-error';
import type { Page } from '../shared/pagination';

/** Relay's Node interface: every object a client may refetch by its opaque global id. */
@InterfaceType({
  description: 'An object with a globally unique, opaque ID that node(id) can refetch.',
  resolveType: (value: Record<symbol, unknown>) => value[Symbol.for('nodeType')] as string,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global ID.' })
  id!: string;
}

// Global ids live in a module of their own (no type-graphql), so pure rules can use them.
export { NODE_TYPES, type NodeType, toGlobalId, fromGlobalId } from './global-id';
import { type NodeType, fromGlobalId } from './global-id';

@ObjectType({ description: 'Relay pagination state of a connection.' })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge already seen.' })
  after?: string | null;
}

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
  readonly totalCountEstimate?: Promise<number>;
}

export const TOTAL_COUNT_ESTIMATE_DESCRIPTION =
  "PostgreSQL's estimate of totalCount for the same filter and visibility, from its table statistics " +
  '(EXPLAIN, nothing counted): costs the same however many items match, but may be off, more so ' +
  'for combined filters and after many changes since the statistics were last refreshed. For ' +
  '"about 120,000 results" on large lists; select totalCount when the number must be exact.';

/**
 * Builds the `XConnection` and `XEdge` types of a node type; `countEstimate` adds
 * `totalCountEstimate` beside `totalCount` (its page must provide one).
 */
export function connectionOf<T extends object>(
  nodeType: ClassType<T>,
  name: string,
  options: { countEstimate?: boolean } = {},
) {
  @ObjectType(`${name}Edge`, { description: `An edge of a ${name} connection.` })
  class Edge {
    @Field(() => nodeType) node!: T;
    @Field(() => String, { description: 'Cursor to pass as `after` to continue after this edge.' }) cursor!: string;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} objects (Relay cursor connection).` })
  class Connection {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    // A getter on the result (see toConnection): the COUNT runs only when a client selects it.
    @Field(() => Int, { description: 'Number of items matching the filter, across all pages.' })
    totalCount!: number;
  }
  if (options.countEstimate)
    Field(() => Int, { description: TOTAL_COUNT_ESTIMATE_DESCRIPTION })(Connection.prototype, 'totalCountEstimate');
  return Connection;
}

export function toConnection<T>(page: Page<T>): ConnectionShape<T> {
  return {
    edges: page.items,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      // Getters, like the edges' cursors: encoded only when selected.
      get startCursor() {
        return page.items[0]?.cursor ?? null;
      },
      get endCursor() {
        return page.items[page.items.length - 1]?.cursor ?? null;
      },
    },
    get totalCount() {
      return page.totalCount();
    },
    get totalCountEstimate() {
      return page.totalCountEstimate?.();
    },
  };
}

/**
 * Decodes a global ID given as input. A malformed ID, or one of another type, is reported the
 * same way as an unknown one: NOT_FOUND on the offending field.
 */
export function decodeId(globalId: string, type: NodeType, field: string[]): string {
  const decoded = fromGlobalId(globalId, type);
  if (!decoded) throw new DomainError('NOT_FOUND', `${type} not found`, field);
  return decoded.id;
}

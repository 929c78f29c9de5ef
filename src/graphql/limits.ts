import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  getNamedType,
  isCompositeType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../shared/pagination';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

const badRequest = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 }, ...extra } });

function argumentValue(node: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
}

/**
 * Cost as GitHub computes it: every field costs 1, and a connection's selection is multiplied by
 * its page size (`first`), so nested pages multiply. Also enforces depth and the 1–100 page size.
 */
function measure(selection: SelectionSetNode, parent: GraphQLCompositeType, walk: Walk, depth: number, limits: QueryLimits, path: string[]): { cost: number; depth: number } {
  let cost = 0;
  let maxDepth = depth;
  for (const node of selection.selections) {
    if (node.kind === Kind.FIELD) {
      if (node.name.value.startsWith('__')) continue;
      const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
      const field = fields[node.name.value] as GraphQLField<unknown, unknown> | undefined;
      if (!field) continue; // validation reports unknown fields
      const fieldPath = [...path, node.alias?.value ?? node.name.value];
      let multiplier = 1;
      if (field.args.some((a) => a.name === 'first')) {
        const first = argumentValue(node, 'first', walk.variables) ?? DEFAULT_PAGE_SIZE;
        if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
          throw badRequest(`first must be between 1 and ${MAX_PAGE_SIZE} (at ${fieldPath.join('.')})`, 'BAD_USER_INPUT', { field: fieldPath });
        }
        multiplier = first;
      }
      const type = getNamedType(field.type);
      if (node.selectionSet && isCompositeType(type)) {
        const child = measure(node.selectionSet, type, walk, depth + 1, limits, fieldPath);
        cost += 1 + multiplier * child.cost;
        maxDepth = Math.max(maxDepth, child.depth);
      } else {
        cost += 1;
      }
    } else {
      const set = node.kind === Kind.INLINE_FRAGMENT ? node.selectionSet : walk.fragments[node.name.value]?.selectionSet;
      const condition = node.kind === Kind.INLINE_FRAGMENT ? node.typeCondition : walk.fragments[node.name.value]?.typeCondition;
      const type = condition ? walk.schema.getType(condition.name.value) : parent;
      if (set && type && isCompositeType(type)) {
        const child = measure(set, type, walk, depth, limits, path);
        cost += child.cost;
        maxDepth = Math.max(maxDepth, child.depth);
      }
    }
    if (maxDepth > limits.maxDepth) throw badRequest(`Query is deeper than the allowed ${limits.maxDepth} levels`, 'QUERY_TOO_COMPLEX');
  }
  return { cost, depth: maxDepth };
}

export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
          if (!root) throw badRequest(`This API has no ${operation.operation} operations`, 'GRAPHQL_VALIDATION_FAILED');
          const { cost } = measure(operation.selectionSet, root, { schema, fragments, variables: request.variables ?? {} }, 1, limits, []);
          if (cost > limits.maxCost) {
            throw badRequest(`Query cost ${cost} exceeds the allowed ${limits.maxCost}; ask for smaller pages`, 'QUERY_TOO_COMPLEX', { cost, maxCost: limits.maxCost });
          }
        },
      };
    },
  };
}

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
  /** Root fields per operation, counted through fragments. */
  maxRootFields: number;
  /** Aliased fields per operation, counted through fragments (each spread counts again). */
  maxAliases: number;
  /** `login` fields per operation: each one hashes a password. */
  maxLogins: number;
}

/** What a selection set asks for; a named fragment's is computed once and reused at every spread. */
interface Measure {
  cost: number;
  /** Levels of fields in and below this selection set. */
  height: number;
  /** Fields at this selection set's own level (fragments included): the root fields, at the root. */
  fields: number;
  aliases: number;
  logins: number;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  mutationType: GraphQLCompositeType | null | undefined;
  /** Measures of named fragments, so a fragment spread N times is measured once (linear, not exponential). */
  measured: Map<string, Measure>;
  /** Set when a page size came from a variable: the measure then holds for these variables only. */
  readVariables: boolean;
}

const badRequest = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 }, ...extra } });

function argumentValue(node: FieldNode, name: string, walk: Walk): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  if (arg.value.kind === Kind.VARIABLE || arg.value.kind === Kind.LIST || arg.value.kind === Kind.OBJECT)
    walk.readVariables = true;
  return valueFromASTUntyped(arg.value, walk.variables);
}

const add = (into: Measure, child: Measure) => {
  into.cost += child.cost;
  into.height = Math.max(into.height, child.height);
  into.fields += child.fields;
  into.aliases += child.aliases;
  into.logins += child.logins;
};

/**
 * Cost as GitHub computes it: every field costs 1, and a connection's selection is multiplied by
 * its page size (`first`), so nested pages multiply; aliases count as the fields they are. Also
 * enforces the 1–100 page size. Recursion here follows the document's nesting, which the document
 * guard has already bounded (nesting, fragment chains), and named fragments are measured once.
 */
function measure(selection: SelectionSetNode, parent: GraphQLCompositeType, walk: Walk, path: string[]): Measure {
  const total: Measure = { cost: 0, height: 0, fields: 0, aliases: 0, logins: 0 };
  for (const node of selection.selections) {
    if (node.kind === Kind.FIELD) {
      if (node.name.value.startsWith('__')) continue;
      const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
      const field = Object.hasOwn(fields, node.name.value)
        ? (fields[node.name.value] as GraphQLField<unknown, unknown>)
        : undefined;
      if (!field) continue; // validation reports unknown fields
      const fieldPath = [...path, node.alias?.value ?? node.name.value];
      let multiplier = 1;
      if (field.args.some((a) => a.name === 'first')) {
        const first = argumentValue(node, 'first', walk) ?? DEFAULT_PAGE_SIZE;
        if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
          throw badRequest(
            `first must be between 1 and ${MAX_PAGE_SIZE} (at ${fieldPath.join('.')})`,
            'BAD_USER_INPUT',
            { field: fieldPath },
          );
        }
        multiplier = first;
      }
      total.fields += 1;
      if (node.alias) total.aliases += 1;
      if (parent === walk.mutationType && node.name.value === 'login') total.logins += 1;
      const type = getNamedType(field.type);
      if (node.selectionSet && isCompositeType(type)) {
        const child = measure(node.selectionSet, type, walk, fieldPath);
        total.cost += 1 + multiplier * child.cost;
        total.height = Math.max(total.height, 1 + child.height);
        total.aliases += child.aliases;
        total.logins += child.logins;
      } else {
        total.cost += 1;
        total.height = Math.max(total.height, 1);
      }
    } else if (node.kind === Kind.INLINE_FRAGMENT) {
      const type = node.typeCondition ? walk.schema.getType(node.typeCondition.name.value) : parent;
      if (type && isCompositeType(type)) add(total, measure(node.selectionSet, type, walk, path));
    } else {
      const name = node.name.value;
      let known = walk.measured.get(name);
      if (!known) {
        walk.measured.set(name, { cost: 0, height: 0, fields: 0, aliases: 0, logins: 0 }); // a cycle (refused by validation) ends here
        const fragment = Object.hasOwn(walk.fragments, name) ? walk.fragments[name] : undefined;
        const type = fragment ? walk.schema.getType(fragment.typeCondition.name.value) : undefined;
        known =
          fragment && type && isCompositeType(type)
            ? measure(fragment.selectionSet, type, walk, path)
            : { cost: 0, height: 0, fields: 0, aliases: 0, logins: 0 };
        walk.measured.set(name, known);
      }
      add(total, known);
    }
  }
  return total;
}

export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  // Apollo keeps one parsed document per query text, so a document sent again is the same
  // object: its measure is kept unless it depended on the request's variables.
  const measures = new WeakMap<object, Measure>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const known = measures.get(operation);
          if (known) return check(known, limits);
          const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
          for (const def of document.definitions)
            if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          const mutationType = schema.getMutationType();
          const root =
            operation.operation === 'mutation'
              ? mutationType
              : operation.operation === 'subscription'
                ? schema.getSubscriptionType()
                : schema.getQueryType();
          if (!root) throw badRequest(`This API has no ${operation.operation} operations`, 'GRAPHQL_VALIDATION_FAILED');
          const walk: Walk = {
            schema,
            fragments,
            variables: request.variables ?? {},
            mutationType,
            measured: new Map(),
            readVariables: false,
          };
          const measured = measure(operation.selectionSet, root, walk, []);
          if (!walk.readVariables) measures.set(operation, measured);
          check(measured, limits);
        },
      };
    },
  };
}

function check({ cost, height, fields, aliases, logins }: Measure, limits: QueryLimits): void {
  if (height > limits.maxDepth)
    throw badRequest(`Query is deeper than the allowed ${limits.maxDepth} levels`, 'QUERY_TOO_COMPLEX');
  if (fields > limits.maxRootFields) {
    throw badRequest(
      `The operation selects ${fields} root fields; at most ${limits.maxRootFields} are allowed`,
      'QUERY_TOO_COMPLEX',
      { rootFields: fields, maxRootFields: limits.maxRootFields },
    );
  }
  if (aliases > limits.maxAliases) {
    throw badRequest(
      `The operation has ${aliases} aliased fields; at most ${limits.maxAliases} are allowed`,
      'QUERY_TOO_COMPLEX',
      { aliases, maxAliases: limits.maxAliases },
    );
  }
  if (logins > limits.maxLogins) {
    throw badRequest(`At most ${limits.maxLogins} login per operation`, 'QUERY_TOO_COMPLEX', {
      logins,
      maxLogins: limits.maxLogins,
    });
  }
  if (cost > limits.maxCost) {
    throw badRequest(
      `Query cost ${cost} exceeds the allowed ${limits.maxCost}; ask for smaller pages`,
      'QUERY_TOO_COMPLEX',
      { cost, maxCost: limits.maxCost },
    );
  }
}

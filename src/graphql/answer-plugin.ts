// Queries answered by PostgreSQL (src/graphql/plan/answer.ts): when every root field of a query
// has a RootAnswer and everything selected below it a SQL twin, this plugin answers it in place
// of graphql-js (Apollo's responseForOperation hook runs after parsing, validation and every
// plugin's didResolveOperation: authentication, API key scopes and query limits have had their
// say). Anything it cannot answer exactly as graphql-js would (a directive, a field without a
// twin, a masked field, an error of any kind) makes it step aside before the first statement,
// or, for an error while reading, after it: graphql-js then runs the operation as before.
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import {
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import { selectList, Params } from '../db/table-shape';
import type { Context } from './context';
import {
  ANSWER,
  AnswerBuilder,
  NotAnswerable,
  refuse,
  refuseThisTime,
  type AnswerShape,
  type LoadAnswers,
  type RootAnswer,
} from './plan/answer';
import { idsWhere, statementName } from './plan/planner';
import { below, selectionBelow, type Operation, type Selected } from './plan/selection';
import { ADDRESS_ANSWER } from '../modules/address/address.plan';
import { CUSTOMER_ANSWER, CUSTOMER_ROOT_ANSWERS } from '../modules/customer/customer.plan';
import { LEDGER_ENTRY_ANSWER, LOYALTY_ACCOUNT_ANSWER } from '../modules/loyalty/loyalty.plan';
import { ORDER_ANSWER } from '../modules/order/order.plan';
import { POLICY_ANSWER } from '../modules/policy/policy.plan';

/** The types and root fields that describe themselves to the answer builder. */
const SHAPES: readonly AnswerShape[] = [
  CUSTOMER_ANSWER,
  ADDRESS_ANSWER,
  LOYALTY_ACCOUNT_ANSWER,
  LEDGER_ENTRY_ANSWER,
  ORDER_ANSWER,
  POLICY_ANSWER,
];
const ROOTS: ReadonlyMap<string, RootAnswer> = new Map(CUSTOMER_ROOT_ANSWERS.map((r) => [r.field, r]));
const SHAPES_BY_TYPE: ReadonlyMap<string, AnswerShape> = new Map(SHAPES.map((s) => [s.type, s]));

/** Whether any selection, fragment or operation of the document carries a directive (@skip, @include, …). */
function hasDirectives(document: DocumentNode): boolean {
  const stack: SelectionSetNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    if (definition.directives?.length) return true;
    stack.push(definition.selectionSet);
  }
  while (stack.length) {
    for (const selection of stack.pop()!.selections) {
      if (selection.directives?.length) return true;
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) stack.push(selection.selectionSet);
    }
  }
  return false;
}

/**
 * A JS value (a resolver's result: a row, a connection) as graphql-js completes it for
 * `selection`: fields without resolvers read as properties, leaves serialized by their type, and
 * rows read for the answer replaced by their JSON.
 */
async function complete(value: unknown, type: GraphQLOutputType, selection: Map<string, Selected>): Promise<unknown> {
  const resolved = await value;
  if (isNonNullType(type)) {
    const completed = await complete(resolved, type.ofType, selection);
    return completed ?? refuseThisTime('null in a non-null field');
  }
  if (resolved == null) return null;
  if (isListType(type)) {
    const items = Array.isArray(resolved) ? resolved : refuseThisTime('a list that is not an array');
    return Promise.all(items.map((item) => complete(item, type.ofType, selection)));
  }
  if (isLeafType(type)) return type.serialize(resolved);
  if (!isObjectType(type)) return refuse(`${type.name} is abstract`);
  const row = resolved as Record<string | symbol, unknown>;
  if (row[ANSWER] !== undefined) return row[ANSWER];
  if (SHAPES_BY_TYPE.has(type.name)) refuseThisTime(`a ${type.name} read without its answer`);
  const fields = type.getFields();
  const result: Record<string, unknown> = {};
  for (const [key, selected] of selection) {
    if (selected.name === '__typename') {
      result[key] = type.name;
      continue;
    }
    const field = fields[selected.name];
    if (!field || field.resolve || field.args.length) refuse(`${type.name}.${selected.name} has a resolver`);
    const property = row[selected.name];
    if (typeof property === 'function') refuseThisTime(`${type.name}.${selected.name} is a method`);
    result[key] = await complete(property, field.type, selected.children);
  }
  return result;
}

/** The rows of `ids` with the root's keys and their JSON, in one statement. */
function answerLoader(ctx: Context, root: RootAnswer, object: string, objectParams: Params): LoadAnswers {
  const select = `SELECT ${selectList(root.shape.shape, 't', root.keys)}, ${object} AS "answer" FROM "${root.shape.shape.table}" t`;
  return async (ids) => {
    const params = new Params();
    params.values.push(...objectParams.values);
    const text = `${select} WHERE ${idsWhere('t', ids, params)}`;
    const rows = await ctx.services.db.read<Record<string, unknown>>(text, params.values, statementName(text));
    return rows.map((row) => ({ ...row, [ANSWER]: row.answer }));
  };
}

async function answer(
  schema: GraphQLSchema,
  request: GraphQLRequestContext<Context>,
): Promise<Record<string, unknown> | null> {
  const { operation, document, contextValue: ctx } = request;
  if (operation?.operation !== 'query') return null;
  if (hasDirectives(document!)) refuse('a directive');
  const queryType = schema.getQueryType()!;
  const roots: { key: string; node: FieldNode; root: RootAnswer }[] = [];
  const keys = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) refuse('a fragment at the root');
    const key = selection.alias?.value ?? selection.name.value;
    const root = ROOTS.get(selection.name.value) ?? refuse(`${selection.name.value} is not answered in SQL`);
    if (keys.has(key)) refuse(`${key} twice at the root`);
    keys.add(key);
    roots.push({ key, node: selection, root });
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.request.variables ?? {}, {
    maxErrors: 1,
  });
  if (coerced.errors) return null;
  const fragments = Object.fromEntries(
    document!.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const info: Operation = { fragments, variableValues: coerced.coerced };
  // Every statement is built before the first one runs: a refusal costs no SQL.
  const planned = roots.map(({ key, node, root }) => {
    const field = queryType.getFields()[root.field];
    const args = getArgumentValues(field, node, coerced.coerced);
    const selection = selectionBelow(info, [node], field.type);
    const rows = below(selection, root.path);
    const params = new Params();
    const load = rows
      ? answerLoader(
          ctx,
          root,
          new AnswerBuilder(schema, SHAPES_BY_TYPE, ctx.actor?.role, params).object(root.shape.type, 't', rows),
          params,
        )
      : undefined;
    return { key, field, args, selection, root, load };
  });
  const data: Record<string, unknown> = {};
  for (const { key, field, args, selection, root, load } of planned) {
    if (ctx.signal?.aborted) return null;
    data[key] = await complete(root.resolve(ctx, args, load), field.type, selection);
  }
  return data;
}

const unanswerable = new WeakSet<object>();

/**
 * `enabled: false` leaves every query to graphql-js (the answer tests compare both ways).
 */
export function answerPlugin(schema: GraphQLSchema, enabled = true): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      if (!enabled) return;
      return {
        async responseForOperation(request) {
          // Apollo keeps parsed documents: an operation refused for its text is not tried again.
          if (!request.operation || unanswerable.has(request.operation)) return null;
          try {
            const data = await answer(schema, request);
            if (!data) return null;
            return {
              http: { status: undefined, headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { data } },
            };
          } catch (error) {
            if (error instanceof NotAnswerable && error.always) unanswerable.add(request.operation);
            // Debug level: why a query went to graphql-js (a field without a twin, an error while reading).
            request.contextValue.logger.debug(
              error instanceof NotAnswerable ? { reason: error.message } : { err: error },
              'answer in SQL gave way to graphql-js',
            );
            return null;
          }
        },
      };
    },
  };
}

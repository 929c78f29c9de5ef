// Answers built by PostgreSQL (PostGraphile's way to its speed): for a query whose every selected
// field has a SQL twin, one statement returns each object as the JSON graphql-js would have
// built, and graphql-js does not execute the operation at all (answer-plugin.ts). A twin is
// either derived from the table's shape (a plain column field: no resolver of its own) or
// declared next to the rule it mirrors (`computed`: ids, formatted numbers). Anything else (a
// field without a twin, a masked field, a directive, a nested connection's cursor) is not
// answerable and the operation runs through graphql-js as before. Visibility, filters and paging
// of the root stay in its service (RootAnswer.resolve); test/customer/planned-answers.test.ts
// compares both ways, byte for byte, on the same data.
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { StaffRole } from '../../generated/prisma/enums';
import { isMaskedFor } from '../../auth/masking';
import type { Params, TableShape } from '../../db/table-shape';
import type { Context } from '../context';
import { unmaskedResolver } from '../masking';
import type { Selected } from './selection';

/**
 * Thrown while building an answer: the operation goes through graphql-js instead. `always`: the
 * operation's text alone decides (a field without a twin), so it is not tried again.
 */
export class NotAnswerable extends Error {
  constructor(
    why: string,
    readonly always: boolean,
  ) {
    super(why);
  }
}

/** Not answerable, whoever asks and whatever the variables. */
export function refuse(why: string): never {
  throw new NotAnswerable(why, true);
}

/** Not answerable for this request (the role masks a field, the arguments ask for a later page, the data). */
export function refuseThisTime(why: string): never {
  throw new NotAnswerable(why, false);
}

/** A GraphQL object type read from one table. */
// biome-ignore lint/suspicious/noExplicitAny: shapes of different row types share one list
export interface AnswerShape<Row = any> {
  /** The GraphQL object type. */
  type: string;
  shape: TableShape<Row>;
  /** SQL twins of the type's field resolvers: the JSON value the resolver gives, on `alias`. */
  computed?: Record<string, (alias: string) => string>;
  /** Relations with an `answer` (planner.ts). */
  relations?: readonly { field: string; answer?: AnswerRelation }[];
}

/** A relation's JSON value below the parent alias, or null when it cannot be answered. */
export type AnswerRelation = (parent: string, selected: Selected, render: Render, parentType: string) => string | null;

export interface Render {
  params: Params;
  /** `json_build_object(…)` of `selection` on the row of `type` at `alias`. */
  object(type: string, alias: string, selection: Map<string, Selected>): string;
  /** The GraphQL type a field of `type` returns (connections name their edge types from it). */
  fieldType(type: string, field: string): GraphQLObjectType;
}

const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The ISO 8601 text graphql-scalars' DateTime gives for a Date (toISOString) of a timestamptz(3). */
export const isoInstantSql = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const PLAIN_SCALARS = new Set(['String', 'Int', 'Boolean', 'CountryCode', 'Currency']);

/** A plain column's JSON value as the field's scalar serializes it, or null when there is no twin. */
function columnTwin(field: GraphQLField<unknown, unknown>, shape: TableShape<unknown>, alias: string): string | null {
  const spec = (shape.columns as Record<string, [string, string]>)[field.name];
  if (!spec) return null;
  const [column, kind] = spec;
  const sql = `${alias}."${column}"`;
  const named = getNamedType(field.type);
  const list = isListType(getNullableType(field.type));
  // CountryCode and Currency serialize a valid code as it is; the columns hold only valid codes.
  const plain = isEnumType(named) || PLAIN_SCALARS.has(named.name);
  if (kind === 'value') return plain ? sql : null;
  if (list) return null;
  // Decimal's serialize is decimal.js toFixed(): no trailing zeros ("12.50" → "12.5").
  if (kind === 'decimal' && named.name === 'Decimal') return `trim_scale(${sql})::text`;
  if (kind === 'timestamp' && named.name === 'DateTime') return isoInstantSql(sql);
  return null;
}

/** Builds answers for one request: the actor's role decides which fields are masked (not answerable). */
export class AnswerBuilder implements Render {
  constructor(
    private readonly schema: GraphQLSchema,
    /** Answer shapes by GraphQL type name. */
    private readonly shapes: ReadonlyMap<string, AnswerShape>,
    private readonly role: StaffRole | null | undefined,
    readonly params: Params,
  ) {}

  private objectType(name: string): GraphQLObjectType {
    const type = this.schema.getType(name);
    return isObjectType(type) ? type : refuse(`${name} is not an object type`);
  }

  fieldType(type: string, field: string): GraphQLObjectType {
    const def = this.objectType(type).getFields()[field] ?? refuse(`${type}.${field} is unknown`);
    const named = getNamedType(def.type);
    return isObjectType(named) ? named : refuse(`${type}.${field} is not an object`);
  }

  object(type: string, alias: string, selection: Map<string, Selected>): string {
    const answer = this.shapes.get(type) ?? refuse(`${type} has no answer shape`);
    const fields = this.objectType(type).getFields();
    const entries: string[] = [];
    for (const [key, selected] of selection) {
      entries.push(sqlString(key), this.field(answer, fields, alias, selected));
    }
    // json_build_object takes at most 100 arguments.
    if (entries.length > 100) refuse('too many fields for one object');
    return `json_build_object(${entries.join(', ')})`;
  }

  private field(
    answer: AnswerShape,
    fields: Record<string, GraphQLField<unknown, unknown>>,
    alias: string,
    selected: Selected,
  ): string {
    const { name } = selected;
    if (name === '__typename') return sqlString(answer.type);
    const def = fields[name] ?? refuse(`${answer.type}.${name} is unknown`);
    if (isMaskedFor(this.role, answer.type, name)) refuseThisTime(`${answer.type}.${name} is masked`);
    const relation = answer.relations?.find((r) => r.field === name);
    if (relation?.answer)
      return (
        relation.answer(alias, selected, this, answer.type) ?? refuseThisTime(`${answer.type}.${name} not planned`)
      );
    const computed = answer.computed?.[name];
    if (computed) return computed(alias);
    // A field with a resolver of its own computes its value in code: no twin unless declared above.
    if (unmaskedResolver(def) !== undefined || def.args.length) refuse(`${answer.type}.${name} has a resolver`);
    return columnTwin(def, answer.shape, alias) ?? refuse(`${answer.type}.${name} has no SQL twin`);
  }
}

/**
 * A connection's JSON (`edges { node }`, `totalCount`, `__typename`) over `rows`: a subquery
 * whose rows are the page on `alias`, in `order`; `count` is the SQL of the count of all rows.
 * Cursors and pageInfo are left to graphql-js.
 */
export function connectionSql(
  render: Render,
  connectionType: GraphQLObjectType,
  node: string,
  selected: Selected,
  page: { alias: string; rows: string; order: string; count: string },
): string {
  const edgeType = render.fieldType(connectionType.name, 'edges');
  const entries: string[] = [];
  for (const [key, child] of selected.children) {
    let value: string;
    if (child.name === '__typename') value = sqlString(connectionType.name);
    else if (child.name === 'totalCount') value = page.count;
    else if (child.name === 'edges') {
      const edge: string[] = [];
      for (const [edgeKey, edgeChild] of child.children) {
        if (edgeChild.name === '__typename') edge.push(sqlString(edgeKey), sqlString(edgeType.name));
        else if (edgeChild.name === 'node')
          edge.push(sqlString(edgeKey), render.object(node, page.alias, edgeChild.children));
        else refuse(`${edgeType.name}.${edgeChild.name} is not answered in SQL`);
      }
      value = `(SELECT coalesce(json_agg(json_build_object(${edge.join(', ')}) ORDER BY ${page.order}), '[]'::json) FROM (${page.rows}) ${page.alias})`;
    } else refuse(`${connectionType.name}.${child.name} is not answered in SQL`);
    entries.push(sqlString(key), value);
  }
  return `json_build_object(${entries.join(', ')})`;
}

/** Where a row read for an answer keeps its JSON (the rows are otherwise only their keys). */
export const ANSWER = Symbol('answer');

/**
 * Reads rows by id, each with the keys its service needs and its JSON under ANSWER (the service
 * takes them for its row type: it reads only those keys).
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type LoadAnswers = (ids: string[]) => Promise<any[]>;

/**
 * A Query field answered in SQL. `resolve` is the root resolver's own work (visibility, filters,
 * paging stay in its service) given `load` in place of its planner loader; its value is then
 * rendered as graphql-js would, each row by its JSON.
 */
export interface RootAnswer {
  field: string;
  shape: AnswerShape;
  /** From the field's value to the rows, e.g. ['edges', 'node']; [] when the value is the row. */
  path: string[];
  /** Row keys the service reads besides the JSON (identity, visibility). */
  keys: string[];
  resolve(ctx: Context, args: Record<string, unknown>, load: LoadAnswers | undefined): unknown;
}

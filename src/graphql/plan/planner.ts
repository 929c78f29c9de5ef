// One SQL statement for a root field and the relations selected below it (PostGraphile's way):
// the root rows with only the columns asked for, each selected relation as a correlated JSON
// subquery. Relations hand what they loaded to the request's DataLoaders (prime), so the
// relation's field resolver stays the one code path and answers without another statement.
// A relation's rows may carry relations of their own (Customer.loyalty → LoyaltyAccount.transactions),
// planned by the same planRelations inside the relation's subquery.
import { createHash } from 'node:crypto';
import type { Database } from '../../db/client';
import type { Loaders } from '../loaders';
import type { Selected } from './selection';
import { decodeJsonRow, decodeRow, jsonRow, keysFor, Params, selectList, type TableShape } from '../../db/table-shape';
import { pageSize } from '../../shared/pagination';
import { connectionSql, type AnswerRelation } from './answer';

/** A relation as planned for one selection: its SQL and how to hand its value to the loaders. */
export interface PlannedRelation<Parent> {
  /** A SQL expression correlated to the parent alias whose value is JSON. */
  sql: string;
  /** Hands the loaded value to the request's loaders. */
  prime(loaders: Loaders, parent: Parent, value: unknown): void;
}

export interface Relation<Parent> {
  /** The GraphQL field on the parent type. */
  field: string;
  /** Parent keys the subquery and prime need. */
  parentKeys: (keyof Parent & string)[];
  /**
   * The selection planned below the parent alias, or null when it is not planned (e.g. a cursor
   * is given): its field resolver then loads it as before.
   */
  plan(parent: string, selected: Selected, params: Params): PlannedRelation<Parent> | null;
  /** The relation's JSON as graphql-js would answer it (answer.ts), when it can be built in SQL. */
  answer?: AnswerRelation;
}

/** The relations selected on rows of `alias`: one subquery each, and one prime for all of them. */
export interface PlannedRelations<Row> {
  subqueries: string[];
  /** Parent keys the subqueries and primes need. */
  parentKeys: Set<keyof Row & string>;
  /** Hands the subqueries' values (in the order of `subqueries`) to the loaders. */
  prime(loaders: Loaders, row: Row, values: readonly unknown[]): void;
}

export function planRelations<Row>(
  relations: readonly Relation<Row>[],
  alias: string,
  selection: Iterable<Selected> | null,
  params: Params,
): PlannedRelations<Row> {
  const planned: PlannedRelation<Row>[] = [];
  const parentKeys = new Set<keyof Row & string>();
  for (const selected of selection ?? []) {
    const relation = relations.find((r) => r.field === selected.name);
    const plan = relation?.plan(alias, selected, params);
    if (!relation || !plan) continue;
    planned.push(plan);
    for (const key of relation.parentKeys) parentKeys.add(key);
  }
  return {
    subqueries: planned.map((p) => p.sql),
    parentKeys,
    prime(loaders, row, values) {
      for (let i = 0; i < planned.length; i++) planned[i].prime(loaders, row, values[i]);
    },
  };
}

/**
 * A relation to one row (or none) of `shape`, read whole, whose own relations (`relations`, on
 * the row's alias) are planned into the same subquery: `json_build_array(row, r0, r1, …)`, or the
 * row alone when none is selected. `prime` gets the decoded row (null when there is none) after
 * its relations are primed.
 */
export function rowRelation<Parent, Row>(spec: {
  field: string;
  parentKeys: (keyof Parent & string)[];
  /** The GraphQL type of the row. */
  type: string;
  shape: TableShape<Row>;
  alias: string;
  /** The condition on `alias` that finds the row of `parent` (the parent's alias). */
  where: (alias: string, parent: string) => string;
  relations?: readonly Relation<Row>[];
  prime: (loaders: Loaders, parent: Parent, row: Row | null) => void;
}): Relation<Parent> {
  const { shape, alias } = spec;
  const fromOf = (parent: string) => `FROM "${shape.table}" ${alias} WHERE ${spec.where(alias, parent)}`;
  return {
    field: spec.field,
    parentKeys: spec.parentKeys,
    answer: (parent, selected, render) =>
      `(SELECT ${render.object(spec.type, alias, selected.children)} ${fromOf(parent)})`,
    plan(parent, selected, params) {
      const nested = planRelations(spec.relations ?? [], alias, selected.children.values(), params);
      const from = fromOf(parent);
      if (!nested.subqueries.length)
        return {
          sql: `SELECT ${jsonRow(shape, alias)} ${from}`,
          prime: (loaders, p, value) =>
            spec.prime(loaders, p, value == null ? null : decodeJsonRow(shape, value as unknown[])),
        };
      return {
        sql: `SELECT json_build_array(${[jsonRow(shape, alias), ...nested.subqueries.map((s) => `(${s})`)].join(', ')}) ${from}`,
        prime(loaders, p, value) {
          if (value == null) return spec.prime(loaders, p, null);
          const [values, ...related] = value as unknown[];
          const row = decodeJsonRow(shape, values as unknown[]);
          nested.prime(loaders, row, related);
          spec.prime(loaders, p, row);
        },
      };
    },
  };
}

/**
 * The page size of a connection's arguments when they ask for its first page, or null when they
 * do not (a cursor is given) or are bad (the field resolver reports them as before).
 */
export function firstPageSize(args: Record<string, unknown>): number | null {
  if (args.after != null) return null;
  try {
    return pageSize({ first: args.first as number | null | undefined });
  } catch {
    return null;
  }
}

/** The first rows of a child list and, when asked, how many there are in all (see pageSql). */
export interface PlannedPage<Row> {
  rows: Row[];
  count: number | null;
}

/** Whether `name` is selected directly below `selected` (e.g. a connection's totalCount). */
export const selects = (selected: Selected, name: string) =>
  [...selected.children.values()].some((s) => s.name === name);

/**
 * `SELECT json_build_object('rows', …, 'count', …)`: the first `limit` rows of `shape` matching
 * `where` in `order` (both on `alias`, the table's only alias in them), whole, as JSON arrays;
 * and the count of all rows matching `where` when `counted`. decodePage reads it back.
 */
export function pageSql<Row>(
  shape: TableShape<Row>,
  alias: string,
  page: { where: string; order: string; limit: number; counted: boolean },
  params: Params,
): string {
  return `SELECT json_build_object(
      'rows', (SELECT coalesce(json_agg(${jsonRow(shape, alias)} ORDER BY ${page.order}), '[]'::json)
               FROM (${pageRowsSql(shape, alias, page, params)}) ${alias}),
      'count', ${page.counted ? countSql(shape, alias, page.where) : 'null'})`;
}

/** The first `limit` rows of `shape` (on `alias`) matching `where`, in `order`: a subquery's text. */
function pageRowsSql<Row>(
  shape: TableShape<Row>,
  alias: string,
  page: { where: string; order: string; limit: number },
  params: Params,
): string {
  return `SELECT * FROM "${shape.table}" ${alias} WHERE ${page.where} ORDER BY ${page.order} LIMIT ${params.add(page.limit)}::int`;
}

const countSql = <Row>(shape: TableShape<Row>, alias: string, where: string) =>
  `(SELECT count(*)::int FROM "${shape.table}" ${alias} WHERE ${where})`;

export function decodePage<Row>(shape: TableShape<Row>, value: unknown): PlannedPage<Row> {
  const { rows, count } = value as { rows: unknown[][]; count: number | null };
  return { rows: rows.map((row) => decodeJsonRow(shape, row)), count };
}

/**
 * A connection's first page of `shape`'s rows under the parent (pageSql: `first + 1` rows, so the
 * loader's page function can tell whether there are more), with their count when totalCount is
 * selected or `alwaysCounted`. Not planned after a cursor, with bad arguments, or when `planned`
 * refuses the arguments: the loader answers then. `prime` gets the decoded page and its size.
 */
export function pageRelation<Parent, Row>(spec: {
  field: string;
  parentKeys: (keyof Parent & string)[];
  /** The GraphQL type of the connection's nodes. */
  type: string;
  shape: TableShape<Row>;
  alias: string;
  /** The condition on `alias` that finds the rows of `parent` (the parent's alias). */
  where: (alias: string, parent: string) => string;
  /** The loader's order, on `alias`. */
  order: string;
  alwaysCounted?: boolean;
  planned?: (args: Record<string, unknown>) => boolean;
  prime: (loaders: Loaders, parent: Parent, page: PlannedPage<Row>, first: number) => void;
}): Relation<Parent> {
  const { shape, alias } = spec;
  /** The page size when the arguments ask for a first page this relation plans, else null. */
  const plannedFirst = (args: Record<string, unknown>) => {
    const first = firstPageSize(args);
    return first === null || (spec.planned && !spec.planned(args)) ? null : first;
  };
  return {
    field: spec.field,
    parentKeys: spec.parentKeys,
    answer(parent, selected, render, parentType) {
      const first = plannedFirst(selected.args);
      if (first === null) return null;
      const page = { where: spec.where(alias, parent), order: spec.order, limit: first };
      return connectionSql(render, render.fieldType(parentType, spec.field), spec.type, selected, {
        alias,
        rows: pageRowsSql(shape, alias, page, render.params),
        order: spec.order,
        count: countSql(shape, alias, page.where),
      });
    },
    plan(parent, selected, params) {
      const first = plannedFirst(selected.args);
      if (first === null) return null;
      const counted = spec.alwaysCounted === true || selects(selected, 'totalCount');
      const page = { where: spec.where(alias, parent), order: spec.order, limit: first + 1, counted };
      return {
        sql: pageSql(shape, alias, page, params),
        prime: (loaders, p, value) => spec.prime(loaders, p, decodePage(shape, value), first),
      };
    },
  };
}

/** `alias`.id is one of `ids` (a single id compares directly: a simpler plan). */
export const idsWhere = (alias: string, ids: readonly string[], params: Params) =>
  ids.length === 1 ? `${alias}.id = ${params.add(ids[0])}::uuid` : `${alias}.id = ANY(${params.add(ids)}::uuid[])`;

export interface PlanRequest<Row> {
  db: Database;
  loaders: Loaders;
  shape: TableShape<Row>;
  relations: readonly Relation<Row>[];
  /** What is selected on each row (null: unknown, read everything, plan no relation). */
  selection: Map<string, Selected> | null;
  /** The WHERE condition on the root alias `t`, adding its values to params. */
  where: (alias: string, params: Params) => string;
}

/**
 * Statement name per SQL text: PostgreSQL parses and plans a named statement once per connection
 * and keeps it for the connection's life. The texts are the selection shapes clients send, so
 * past MAX_NAMED shapes further ones run unnamed rather than grow every connection's memory.
 */
const MAX_NAMED = 500;
const names = new Map<string, string>();
export const statementName = (text: string): string | undefined => {
  let name = names.get(text);
  if (!name && names.size < MAX_NAMED) {
    name = `plan_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
};

export async function loadPlanned<Row>(request: PlanRequest<Row>): Promise<Row[]> {
  const { shape, selection } = request;
  const params = new Params();
  const planned = planRelations(request.relations, 't', selection?.values() ?? null, params);
  const keys = new Set(keysFor(shape, selection ? selection.values() : null));
  for (const key of planned.parentKeys) keys.add(key);
  const where = request.where('t', params);
  const keyList = [...keys];
  const names = planned.subqueries.map((_, i) => `r${i}`);
  const columns = planned.subqueries.map((sql, i) => `(${sql}) AS "${names[i]}"`);
  const text = `SELECT ${[selectList(shape, 't', keyList), ...columns].join(', ')} FROM "${shape.table}" t WHERE ${where}`;
  const raw = await request.db.read<Record<string, unknown>>(text, params.values, statementName(text));
  return raw.map((r) => {
    const row = decodeRow(shape, r, keyList);
    planned.prime(
      request.loaders,
      row,
      names.map((name) => r[name]),
    );
    return row;
  });
}

// One SQL statement for a root field and the relations selected below it (PostGraphile's way):
// the root rows with only the columns asked for, each selected relation as a correlated JSON
// subquery. Relations hand what they loaded to the request's DataLoaders (prime), so the
// relation's field resolver stays the one code path and answers without another statement.
import { createHash } from 'node:crypto';
import type { Database } from '../../db/client';
import type { Loaders } from '../loaders';
import type { Selected } from './selection';
import { decodeRow, keysFor, Params, selectList, type TableShape } from '../../db/table-shape';

export interface Relation<Parent> {
  /** The GraphQL field on the parent type. */
  field: string;
  /** Parent keys the subquery and prime need. */
  parentKeys: (keyof Parent & string)[];
  /**
   * A SQL expression correlated to the parent alias whose value is JSON, or null when this
   * selection is not planned (e.g. a cursor is given): its field resolver then loads it as before.
   */
  sql(parent: string, selected: Selected, params: Params): string | null;
  /** Hands the loaded value to the request's loaders. */
  prime(loaders: Loaders, parent: Parent, value: unknown, selected: Selected): void;
}

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
const statementName = (text: string): string | undefined => {
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
  const planned: { relation: Relation<Row>; selected: Selected; column: string }[] = [];
  const subqueries: string[] = [];
  for (const selected of selection?.values() ?? []) {
    const relation = request.relations.find((r) => r.field === selected.name);
    if (!relation) continue;
    const sql = relation.sql('t', selected, params);
    if (sql === null) continue;
    const column = `r${planned.length}`;
    planned.push({ relation, selected, column });
    subqueries.push(`(${sql}) AS "${column}"`);
  }
  const keys = new Set(keysFor(shape, selection ? selection.values() : null));
  for (const { relation } of planned) for (const key of relation.parentKeys) keys.add(key);
  const where = request.where('t', params);
  const keyList = [...keys];
  const text = `SELECT ${[selectList(shape, 't', keyList), ...subqueries].join(', ')} FROM "${shape.table}" t WHERE ${where}`;
  const raw = await request.db.read<Record<string, unknown>>(text, params.values, statementName(text));
  return raw.map((r) => {
    const row = decodeRow(shape, r, keyList);
    for (const { relation, selected, column } of planned) relation.prime(request.loaders, row, r[column], selected);
    return row;
  });
}

// How a module describes a table to the query planner (src/graphql/plan/) and to its raw writes,
// and the SQL and row decoding built from it.
// Rows come back in the shape Prisma returns (camelCase keys, Date, Decimal), so the field
// resolvers and rules that work on Prisma rows work on planned rows unchanged.
import { Decimal } from '../generated/prisma/internal/prismaNamespace';

/** timestamp: timestamptz → Date; date: a calendar date → Date at UTC midnight (as Prisma); decimal → Decimal. */
export type ColumnKind = 'value' | 'timestamp' | 'date' | 'decimal';

export interface TableShape<Row> {
  table: string;
  /** Every column of the Prisma row: key → [SQL column, kind]. */
  columns: { [K in keyof Row & string]: [column: string, kind: ColumnKind] };
  /**
   * GraphQL field → the row keys its resolver reads. A selected field that is not listed reads the
   * whole row, so a new field resolver is safe before it is listed here.
   */
  fields?: Record<string, (keyof Row & string)[]>;
  /** Keys always read (identity, visibility, cursors). */
  always?: (keyof Row & string)[];
}

/** Collects parameter values; values are never written into the SQL text. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

export const allKeys = <Row>(shape: TableShape<Row>) => Object.keys(shape.columns) as (keyof Row & string)[];

/** allKeys and their kinds, read once per shape (the default of the decoders, called for every nested row). */
const everyKey = new WeakMap<object, { keys: readonly string[]; kinds: readonly ColumnKind[] }>();
function everyKeyOf<Row>(shape: TableShape<Row>) {
  let every = everyKey.get(shape);
  if (!every) {
    const keys = allKeys(shape);
    every = { keys, kinds: keys.map((key) => shape.columns[key][1]) };
    everyKey.set(shape, every);
  }
  return every as { keys: readonly (keyof Row & string)[]; kinds: readonly ColumnKind[] };
}
const keysOf = <Row>(shape: TableShape<Row>) => everyKeyOf(shape).keys;

/** The keys a selection needs. */
export function keysFor<Row>(
  shape: TableShape<Row>,
  selection: Iterable<{ name: string }> | null,
): (keyof Row & string)[] {
  if (!selection || !shape.fields) return allKeys(shape);
  const keys = new Set(shape.always ?? []);
  for (const { name } of selection) {
    if (name === '__typename') continue;
    const needed = shape.fields[name];
    if (!needed) return allKeys(shape);
    for (const key of needed) keys.add(key);
  }
  return [...keys];
}

/** SQL value of one column: decimals and dates as text, so no driver rounds or shifts them. */
function columnSql<Row>(shape: TableShape<Row>, alias: string, key: keyof Row & string): string {
  const [column, kind] = shape.columns[key];
  const sql = `${alias}.${quote(column)}`;
  return kind === 'decimal' || kind === 'date' ? `${sql}::text` : sql;
}

/** `a."first_name" AS "firstName", …` for a root select list. */
export function selectList<Row>(shape: TableShape<Row>, alias: string, keys: readonly (keyof Row & string)[]): string {
  return keys.map((key) => `${columnSql(shape, alias, key)} AS ${quote(key)}`).join(', ');
}

/**
 * A column's value inside a JSON row. A timestamp becomes its epoch milliseconds (truncated, as
 * `new Date(text)` truncates the microseconds): JSON would carry it as text with an offset
 * ("2026-11-24T08:28:38.685+00:00"), and parsing that text was most of decoding a nested row.
 */
function jsonValueSql<Row>(shape: TableShape<Row>, alias: string, key: keyof Row & string): string {
  const [column, kind] = shape.columns[key];
  return kind === 'timestamp'
    ? `floor(extract(epoch from ${alias}.${quote(column)}) * 1000)::float8`
    : columnSql(shape, alias, key);
}

/**
 * `json_build_array(a."first_name", …)`: a nested row as its values in the order of `keys`
 * (decodeJsonRow reads it back), so the key names are not repeated in every row of a JSON list.
 */
export function jsonRow<Row>(shape: TableShape<Row>, alias: string, keys?: readonly (keyof Row & string)[]): string {
  if (keys) return jsonRowOf(shape, alias, keys);
  // Whole rows are what the planner reads for every relation of every request: built once per alias.
  let byAlias = wholeJsonRows.get(shape);
  if (!byAlias) {
    byAlias = new Map();
    wholeJsonRows.set(shape, byAlias);
  }
  let sql = byAlias.get(alias);
  if (sql === undefined) {
    sql = jsonRowOf(shape, alias, keysOf(shape));
    byAlias.set(alias, sql);
  }
  return sql;
}

const wholeJsonRows = new WeakMap<object, Map<string, string>>();

function jsonRowOf<Row>(shape: TableShape<Row>, alias: string, keys: readonly (keyof Row & string)[]): string {
  if (keys.length > 100) throw new Error(`${shape.table}: json_build_array takes at most 100 values`);
  return `json_build_array(${keys.map((key) => jsonValueSql(shape, alias, key)).join(', ')})`;
}

/** A column's value as the Prisma row holds it (timestamps arrive as Date, epoch ms or text). */
function decodeValue(kind: ColumnKind, value: unknown): unknown {
  if (value == null || kind === 'value') return value ?? null;
  if (kind === 'timestamp') return value instanceof Date ? value : new Date(value as number | string);
  if (kind === 'date') return new Date(`${value as string}T00:00:00.000Z`);
  return new Decimal(value as string);
}

/** Turns a row of the select list back into the Prisma shape. */
export function decodeRow<Row>(
  shape: TableShape<Row>,
  raw: Record<string, unknown>,
  keys: readonly (keyof Row & string)[] = keysOf(shape),
): Row {
  const row: Record<string, unknown> = {};
  for (const key of keys) row[key] = decodeValue(shape.columns[key][1], raw[key]);
  return row as Row;
}

/** Turns a JSON row of jsonRow (the same `keys`) back into the Prisma shape. */
export function decodeJsonRow<Row>(
  shape: TableShape<Row>,
  values: readonly unknown[],
  keys?: readonly (keyof Row & string)[],
): Row {
  const row: Record<string, unknown> = {};
  if (keys) {
    for (let i = 0; i < keys.length; i++) row[keys[i]] = decodeValue(shape.columns[keys[i]][1], values[i]);
  } else {
    const every = everyKeyOf(shape);
    for (let i = 0; i < every.keys.length; i++) row[every.keys[i]] = decodeValue(every.kinds[i], values[i]);
  }
  return row as Row;
}

/** A value as a statement parameter: decimals and dates as text, so no driver rounds or shifts them. */
function paramValue(value: unknown, kind: ColumnKind): unknown {
  if (value == null) return null;
  if (value instanceof Decimal) return value.toFixed();
  if (value instanceof Date) return kind === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  return value;
}

/**
 * `"first_name" = $3, …` for an UPDATE of the keys present in `values`; each parameter takes its
 * column's type (PostgreSQL infers it from the assignment target), values are never in the text.
 */
export function setList<Row>(
  shape: TableShape<Row>,
  values: Partial<Record<keyof Row & string, unknown>>,
  params: Params,
): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const spec = shape.columns[key as keyof Row & string];
      if (!spec) throw new Error(`${shape.table}: no column for ${key}`);
      return `${quote(spec[0])} = ${params.add(paramValue(value, spec[1]))}`;
    })
    .join(', ');
}

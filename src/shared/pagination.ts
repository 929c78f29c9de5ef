import { DomainError } from './domain-error';
import { isSaneInstant } from './dates';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

export interface Page<T> {
  items: { node: T; cursor: string }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Counted only when asked for, so listing does not pay for a COUNT(*) it does not need. */
  totalCount: () => Promise<number>;
  /**
   * The database's estimate of totalCount (connections that offer one): a planning step instead of
   * a count, so constant in the rows matched, but only as close as the table statistics.
   */
  totalCountEstimate?: () => Promise<number>;
}

/** An item of a page; its cursor is encoded when read (most clients select few cursors, if any). */
class PageItem<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (row: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

/** The first `first` of `rows` as a page's items, each cursor encoded when read. */
export const pageItems = <T>(rows: readonly T[], first: number, cursorOf: (row: T) => string): Page<T>['items'] =>
  rows.slice(0, first).map((node) => new PageItem(node, cursorOf));

/**
 * The page of `rows` read with LIMIT first + 1 (in page order): the extra row is not returned, it
 * only tells that another page exists.
 */
export function pageOf<T>(
  rows: readonly T[],
  first: number,
  cursorOf: (row: T) => string,
  after: string | object | null | undefined,
  totalCount: () => Promise<number>,
): Page<T> {
  return {
    items: pageItems(rows, first, cursorOf),
    hasNextPage: rows.length > first,
    hasPreviousPage: Boolean(after),
    totalCount,
  };
}

export function pageSize(request: PageRequest): number {
  const first = request.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new DomainError('LIMIT_EXCEEDED', `first must be between 1 and ${MAX_PAGE_SIZE}`, ['first']);
  }
  return first;
}

/** Cursors are opaque to clients: base64url of a JSON array of the sort key values. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string): unknown[] {
  try {
    // A cursor is a handful of short keys; anything much longer is not one of ours.
    const values =
      cursor.length <= MAX_CURSOR_LENGTH ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
    if (Array.isArray(values)) return values;
  } catch {
    // fall through
  }
  throw new DomainError('VALIDATION', 'after is not a valid cursor', ['after']);
}

const MAX_CURSOR_LENGTH = 2_048;

/**
 * The type of one sort key in a cursor, as the connection's SQL will use it:
 * `timestamp` an ISO 8601 instant as Date#toISOString writes it (→ Date), `date` YYYY-MM-DD,
 * `uuid`, `int` (32-bit), `decimal` (→ string of digits), `text`; `nullable` allows null.
 */
export type CursorKey = { kind: 'timestamp' | 'date' | 'uuid' | 'int' | 'decimal' | 'text'; nullable?: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d{1,20}(\.\d{1,12})?$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Typed value of one cursor key, or undefined when the value is not of that kind. */
function cursorValue(value: unknown, key: CursorKey): unknown {
  if (value === null) return key.nullable ? null : undefined;
  switch (key.kind) {
    case 'timestamp': {
      if (typeof value !== 'string') return undefined;
      const date = new Date(value);
      // Exactly what toISOString wrote, and within the range the DateTime scalar accepts.
      return !Number.isNaN(date.getTime()) && date.toISOString() === value && isSaneInstant(date) ? date : undefined;
    }
    case 'date':
      return typeof value === 'string' &&
        LOCAL_DATE.test(value) &&
        isSaneInstant(new Date(`${value}T00:00:00Z`)) &&
        new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
        ? value
        : undefined;
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
    case 'int':
      return Number.isInteger(value) && Math.abs(value as number) <= 2_147_483_647 ? value : undefined;
    case 'decimal':
      return typeof value === 'string' && DECIMAL.test(value) ? value : undefined;
    case 'text':
      return typeof value === 'string' && value.length <= 1_000 && !value.includes('\0') ? value : undefined;
  }
}

/**
 * Decodes a cursor of a connection whose sort keys are `keys` (in order), checking the shape and
 * the type of every key before any of it reaches SQL: a forged or foreign cursor is a
 * VALIDATION error at `after`, never a failed cast in the database.
 */
export function decodeCursorAs(
  cursor: string,
  keys: readonly CursorKey[],
  message = 'after is not a cursor of this list',
): unknown[] {
  return cursorValuesAs(decodeCursor(cursor), keys, message);
}

/** The values of a decoded cursor, checked and typed against the connection's sort keys. */
export function cursorValuesAs(
  values: readonly unknown[],
  keys: readonly CursorKey[],
  message = 'after is not a cursor of this list',
): unknown[] {
  if (values.length !== keys.length) throw new DomainError('VALIDATION', message, ['after']);
  return keys.map((key, i) => {
    const typed = cursorValue(values[i], key);
    if (typed === undefined) throw new DomainError('VALIDATION', message, ['after']);
    return typed;
  });
}

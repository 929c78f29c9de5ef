import { DomainError } from './domain-error';

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
}

/**
 * The page of `rows` read with LIMIT first + 1 (in page order): the extra row is not returned, it
 * only tells that another page exists.
 */
export function pageOf<T>(rows: readonly T[], first: number, cursorOf: (row: T) => string, after: string | object | null | undefined, totalCount: () => Promise<number>): Page<T> {
  return {
    items: rows.slice(0, first).map((node) => ({ node, cursor: cursorOf(node) })),
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
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values)) return values;
  } catch {
    // fall through
  }
  throw new DomainError('VALIDATION', 'after is not a valid cursor', ['after']);
}

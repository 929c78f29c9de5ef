// Turns a customer filter and sort into Prisma `where`/`orderBy`, with keyset (cursor)
// pagination that stays fast on deep pages and stable when rows are inserted meanwhile.
import type { Prisma } from '../../generated/prisma/client';
import type { CustomerStatus, CustomerType, Gender, LoyaltyTier } from '../../generated/prisma/enums';
import { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { containsExactText, containsText, equalsTextIgnoringCase } from '../../db/like';
import { DomainError } from '../../shared/domain-error';
import { cursorValuesAs } from '../../shared/pagination';

export interface CustomerListFilter {
  search?: string | null;
  status?: CustomerStatus[] | null;
  type?: CustomerType[] | null;
  tags?: string[] | null;
  gender?: Gender[] | null;
  ageMin?: number | null;
  ageMax?: number | null;
  ownerId?: string | null;
  tier?: LoyaltyTier[] | null;
  segmentId?: string | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
  lastActivityFrom?: Date | null;
  lastActivityTo?: Date | null;
  totalSpentMin?: Decimal | null;
  totalSpentMax?: Decimal | null;
  city?: string | null;
  country?: string | null;
}

/** Longest search text: a handful of words; longer text only makes the LIKE scans slower. */
export const MAX_SEARCH_LENGTH = 200;
/** Longest exact-match filter text (city). */
export const MAX_FILTER_TEXT_LENGTH = 200;

export type SortField = 'CREATED_AT' | 'NAME' | 'EMAIL' | 'LAST_ACTIVITY' | 'TOTAL_SPENT';
export type Direction = 'ASC' | 'DESC';

type Column = {
  name: 'createdAt' | 'lastName' | 'firstName' | 'email' | 'lastActivityAt' | 'totalSpent' | 'id';
  kind: 'date' | 'text' | 'decimal' | 'uuid';
  nullable?: boolean;
};

/** The Customer field each sort order discloses (through order and cursors): src/auth/masking.ts guards it. */
export const SORT_DISCLOSES: Record<SortField, string> = {
  CREATED_AT: 'createdAt',
  NAME: 'lastName',
  EMAIL: 'email',
  LAST_ACTIVITY: 'lastActivityAt',
  TOTAL_SPENT: 'totalSpent',
};

const SORT_COLUMNS: Record<SortField, Column[]> = {
  CREATED_AT: [{ name: 'createdAt', kind: 'date' }],
  NAME: [
    { name: 'lastName', kind: 'text' },
    { name: 'firstName', kind: 'text' },
  ],
  EMAIL: [{ name: 'email', kind: 'text' }],
  LAST_ACTIVITY: [{ name: 'lastActivityAt', kind: 'date', nullable: true }],
  TOTAL_SPENT: [{ name: 'totalSpent', kind: 'decimal' }],
};
const ID_COLUMN: Column = { name: 'id', kind: 'uuid' };

const yearsAgo = (years: number, now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()));

/**
 * Every word of the search text must match one of name, e-mail, phone or customer number.
 * For callers who see e-mail and phone masked, those are not searched: a search could otherwise
 * confirm what the mask hides.
 */
function searchCondition(text: string, masked: boolean): Prisma.CustomerWhereInput[] {
  // A phone number typed with spaces ("+49 30 901820") is one term, not several words.
  if (!masked && /^\+?[\d\s().-]+$/.test(text.trim()) && /\s/.test(text.trim())) {
    const digits = text.replace(/[^\d+]/g, '');
    if (digits.replace('+', '').length >= 3) return [{ phone: containsExactText(digits) }];
  }
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5)
    .map((word) => {
      const or: Prisma.CustomerWhereInput[] = [{ firstName: containsText(word) }, { lastName: containsText(word) }];
      const digits = word.replace(/[^\d+]/g, '');
      if (!masked) or.push({ email: containsExactText(word.toLowerCase()) });
      if (!masked && digits.length >= 3) or.push({ phone: containsExactText(digits) });
      const number = /^(?:c-?)?0*(\d{1,9})$/i.exec(word);
      if (number) or.push({ number: Number(number[1]) });
      return { OR: or };
    });
}

export interface Visibility {
  /** Only this owner's customers (agents). */
  ownerId?: string;
  /** E-mail and phone are masked for the caller (analysts). */
  personalDataMasked?: boolean;
}

export function customerWhere(
  filter: CustomerListFilter | null | undefined,
  visibility: Visibility = {},
  now = new Date(),
): Prisma.CustomerWhereInput {
  const f = filter ?? {};
  const and: Prisma.CustomerWhereInput[] = [];
  if (visibility.ownerId) and.push({ ownerId: visibility.ownerId });
  if (f.search && f.search.length > MAX_SEARCH_LENGTH)
    throw new DomainError('VALIDATION', `search must be at most ${MAX_SEARCH_LENGTH} characters`, ['filter', 'search']);
  if (f.city && f.city.length > MAX_FILTER_TEXT_LENGTH)
    throw new DomainError('VALIDATION', `city must be at most ${MAX_FILTER_TEXT_LENGTH} characters`, [
      'filter',
      'city',
    ]);
  if (f.search) and.push(...searchCondition(f.search, visibility.personalDataMasked === true));
  if (f.status?.length) and.push({ status: { in: f.status } });
  if (f.type?.length) and.push({ type: { in: f.type } });
  if (f.tags?.length) and.push({ tags: { hasEvery: f.tags } });
  if (f.gender?.length) and.push({ gender: { in: f.gender } });
  for (const key of ['ageMin', 'ageMax'] as const) {
    if ((f[key] ?? 0) > 150) throw new DomainError('VALIDATION', `${key} must be at most 150`, ['filter', key]); // beyond that the date maths overflows
  }
  if (f.ageMin != null) and.push({ birthDate: { lte: yearsAgo(f.ageMin, now) } });
  if (f.ageMax != null) and.push({ birthDate: { gt: yearsAgo(f.ageMax + 1, now) } });
  if (f.ownerId) and.push({ ownerId: f.ownerId });
  if (f.tier?.length) and.push({ loyaltyAccount: { tier: { in: f.tier } } });
  if (f.segmentId) and.push({ segmentMemberships: { some: { segmentId: f.segmentId } } });
  if (f.createdFrom) and.push({ createdAt: { gte: f.createdFrom } });
  if (f.createdTo) and.push({ createdAt: { lt: f.createdTo } });
  if (f.lastActivityFrom) and.push({ lastActivityAt: { gte: f.lastActivityFrom } });
  if (f.lastActivityTo) and.push({ lastActivityAt: { lt: f.lastActivityTo } });
  if (f.totalSpentMin != null) and.push({ totalSpent: { gte: f.totalSpentMin } });
  if (f.totalSpentMax != null) and.push({ totalSpent: { lte: f.totalSpentMax } });
  if (f.city || f.country) {
    and.push({
      addresses: {
        some: {
          ...(f.city ? { city: equalsTextIgnoringCase(f.city.trim()) } : {}),
          ...(f.country ? { country: f.country.toUpperCase() } : {}),
        },
      },
    });
  }
  return and.length ? { AND: and } : {};
}

export function customerOrderBy(field: SortField, direction: Direction): Prisma.CustomerOrderByWithRelationInput[] {
  const sort = direction === 'DESC' ? 'desc' : 'asc';
  return [...SORT_COLUMNS[field], ID_COLUMN].map((c) =>
    c.nullable ? { [c.name]: { sort, nulls: 'last' } } : { [c.name]: sort },
  );
}

/** Prisma `select` of the columns a page in this order needs for its cursors (and the id). */
export function sortKeySelect(field: SortField): Record<Column['name'], true> {
  return Object.fromEntries([...SORT_COLUMNS[field], ID_COLUMN].map((c) => [c.name, true])) as Record<
    Column['name'],
    true
  >;
}

type Row = Record<Column['name'], unknown>;

function serialise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Decimal) return value.toFixed();
  return value;
}

export function cursorValues(row: Row, field: SortField): unknown[] {
  return [...SORT_COLUMNS[field], ID_COLUMN].map((c) => serialise(row[c.name]));
}

/**
 * Rows strictly after the cursor in (columns…, id) order, NULLs last:
 * (a > x) OR (a = x AND rest-after) [OR a IS NULL when a is nullable and x is not].
 */
export function afterCursor(field: SortField, direction: Direction, values: unknown[]): Prisma.CustomerWhereInput {
  const columns = [...SORT_COLUMNS[field], ID_COLUMN];
  const keys = columns.map((c) => ({ kind: c.kind === 'date' ? 'timestamp' : c.kind, nullable: c.nullable }) as const);
  const typed = cursorValuesAs(values, keys, 'after is not a cursor of this sort order').map((v, i) =>
    columns[i].kind === 'decimal' && v !== null ? new Decimal(v as string) : v,
  );
  const cmp = direction === 'DESC' ? 'lt' : 'gt';
  const build = (i: number): Prisma.CustomerWhereInput => {
    const column = columns[i];
    const value = typed[i];
    if (i === columns.length - 1) return { [column.name]: { [cmp]: value } };
    if (value === null) return { AND: [{ [column.name]: null }, build(i + 1)] };
    const or: Prisma.CustomerWhereInput[] = [
      { [column.name]: { [cmp]: value } },
      { AND: [{ [column.name]: value }, build(i + 1)] },
    ];
    if (column.nullable) or.push({ [column.name]: null });
    return { OR: or };
  };
  return build(0);
}

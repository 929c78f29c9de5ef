// Policy lists as SQL: one filter builder serves the `policies` query, renewal candidates and the
// per-customer connections (Customer.policies), which load the first N+1 policies of every
// customer of a page in ONE statement with row_number() over (partition by customer_id …).
import type { PrismaClient } from '../../db/client';
import { Prisma, type Policy } from '../../generated/prisma/client';
import type { PolicyStatus, PolicyType } from '../../generated/prisma/enums';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { DomainError } from '../../shared/domain-error';
import { decodeCursorAs, encodeCursor, pageOf, type Page } from '../../shared/pagination';
import { addDays, todayUtc } from './policy.rules';

export interface PolicyListFilter {
  type?: PolicyType[] | null;
  status?: PolicyStatus[] | null;
  insurer?: string | null;
  premiumMin?: Decimal | null;
  premiumMax?: Decimal | null;
  coverageMin?: Decimal | null;
  coverageMax?: Decimal | null;
  /** ACTIVE policies whose end date is between today and today + N days. */
  expiringWithinDays?: number | null;
  /** Database id of the customer. */
  customerId?: string | null;
}

export const MAX_EXPIRING_WITHIN_DAYS = 3650;

/** Newest first (lists), or soonest end first (renewal candidates); ties broken by id. */
export type PolicyOrder = 'CREATED_DESC' | 'END_DATE_ASC';

const COLUMNS = Prisma.sql`p.id, p.number, p.customer_id AS "customerId", p.type::text AS type, p.insurer, p.product_name AS "productName",
  p.status::text AS status, p.premium, p.premium_frequency::text AS "premiumFrequency", p.coverage_amount AS "coverageAmount",
  p.deductible, p.currency, p.start_date AS "startDate", p.end_date AS "endDate", p.attributes, p.cancelled_at AS "cancelledAt",
  p.cancellation_reason AS "cancellationReason", p.created_at AS "createdAt", p.updated_at AS "updatedAt", p.version`;

const ORDER: Record<PolicyOrder, Prisma.Sql> = {
  CREATED_DESC: Prisma.sql`p.created_at DESC, p.id DESC`,
  END_DATE_ASC: Prisma.sql`p.end_date ASC, p.id ASC`,
};

const date = (d: Date) => d.toISOString().slice(0, 10);

export function validateFilter(filter: PolicyListFilter | null | undefined): void {
  const days = filter?.expiringWithinDays;
  if (days != null && (!Number.isInteger(days) || days < 0 || days > MAX_EXPIRING_WITHIN_DAYS)) {
    throw new DomainError('VALIDATION', `expiringWithinDays must be between 0 and ${MAX_EXPIRING_WITHIN_DAYS}`, [
      'filter',
      'expiringWithinDays',
    ]);
  }
}

/** The WHERE conditions of a filter; `ownerId` restricts to one agent's customers. */
export function policyConditions(
  filter: PolicyListFilter | null | undefined,
  ownerId: string | undefined,
  today = todayUtc(),
): Prisma.Sql[] {
  const f = filter ?? {};
  const and: Prisma.Sql[] = [];
  if (ownerId)
    and.push(Prisma.sql`p.customer_id IN (SELECT c.id FROM customers c WHERE c.owner_id = ${ownerId}::uuid)`);
  if (f.customerId) and.push(Prisma.sql`p.customer_id = ${f.customerId}::uuid`);
  if (f.type?.length)
    and.push(Prisma.sql`p.type IN (${Prisma.join(f.type.map((t) => Prisma.sql`${t}::"PolicyType"`))})`);
  if (f.status?.length)
    and.push(Prisma.sql`p.status IN (${Prisma.join(f.status.map((s) => Prisma.sql`${s}::"PolicyStatus"`))})`);
  if (f.insurer?.trim()) and.push(Prisma.sql`lower(p.insurer) = lower(${f.insurer.trim()})`);
  if (f.premiumMin != null) and.push(Prisma.sql`p.premium >= ${f.premiumMin.toFixed()}::numeric`);
  if (f.premiumMax != null) and.push(Prisma.sql`p.premium <= ${f.premiumMax.toFixed()}::numeric`);
  if (f.coverageMin != null) and.push(Prisma.sql`p.coverage_amount >= ${f.coverageMin.toFixed()}::numeric`);
  if (f.coverageMax != null) and.push(Prisma.sql`p.coverage_amount <= ${f.coverageMax.toFixed()}::numeric`);
  if (f.expiringWithinDays != null) {
    and.push(
      Prisma.sql`p.status = 'ACTIVE' AND p.end_date BETWEEN ${date(today)}::date AND ${date(addDays(today, f.expiringWithinDays))}::date`,
    );
  }
  return and;
}

const whereOf = (conditions: Prisma.Sql[]) => (conditions.length ? Prisma.join(conditions, ' AND ') : Prisma.sql`TRUE`);

function cursorOf(row: Policy, order: PolicyOrder): string {
  return encodeCursor(order === 'CREATED_DESC' ? [row.createdAt.toISOString(), row.id] : [date(row.endDate), row.id]);
}

/** Rows strictly after the cursor in the given order. */
function afterCondition(after: string, order: PolicyOrder): Prisma.Sql {
  if (order === 'CREATED_DESC') {
    const [createdAt, id] = decodeCursorAs(after, [{ kind: 'timestamp' }, { kind: 'uuid' }]) as [Date, string];
    return Prisma.sql`(p.created_at, p.id) < (${createdAt.toISOString()}::timestamptz, ${id}::uuid)`;
  }
  const [endDate, id] = decodeCursorAs(after, [{ kind: 'date' }, { kind: 'uuid' }]) as [string, string];
  return Prisma.sql`(p.end_date, p.id) > (${endDate}::date, ${id}::uuid)`;
}

/** One page of policies matching `conditions`, with a lazily counted total. */
export async function policyPage(
  prisma: PrismaClient,
  conditions: Prisma.Sql[],
  order: PolicyOrder,
  first: number,
  after?: string | null,
): Promise<Page<Policy>> {
  const cursor = after ? [afterCondition(after, order)] : [];
  const rows = await prisma.$queryRaw<Policy[]>`
    SELECT ${COLUMNS} FROM policies p WHERE ${whereOf([...conditions, ...cursor])} ORDER BY ${ORDER[order]} LIMIT ${first + 1}`;
  return pageOf(
    rows,
    first,
    (node) => cursorOf(node, order),
    after,
    async () => {
      const [row] = await prisma.$queryRaw<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM policies p WHERE ${whereOf(conditions)}`;
      return row.n;
    },
  );
}

/**
 * The first `first` policies (after the cursor) of each customer, for all customers at once:
 * ONE statement. `total` counts every policy of the customer matching the filter, so
 * totalCount costs nothing extra.
 */
export async function policyPagesByCustomer(
  prisma: PrismaClient,
  customerIds: readonly string[],
  filter: PolicyListFilter | null | undefined,
  first: number,
  after?: string | null,
): Promise<Page<Policy>[]> {
  const conditions = [
    Prisma.sql`p.customer_id IN (${Prisma.join(customerIds.map((id) => Prisma.sql`${id}::uuid`))})`,
    ...policyConditions(filter, undefined),
  ];
  const cursor = after ? afterCondition(after, 'CREATED_DESC') : Prisma.sql`TRUE`;
  // rn numbers the rows after the cursor; the customer's first row (seq = 1) always comes along
  // to carry `total`, even when the cursor is past all of that customer's rows.
  const rows = await prisma.$queryRaw<(Policy & { rn: bigint; seq: bigint; total: bigint; afterCursor: boolean })[]>`
    SELECT * FROM (
      SELECT ${COLUMNS},
        ${cursor} AS "afterCursor",
        count(*) FILTER (WHERE ${cursor}) OVER (PARTITION BY p.customer_id ORDER BY p.created_at DESC, p.id DESC) AS rn,
        row_number() OVER (PARTITION BY p.customer_id ORDER BY p.created_at DESC, p.id DESC) AS seq,
        count(*) OVER (PARTITION BY p.customer_id) AS total
      FROM policies p WHERE ${whereOf(conditions)}
    ) ranked
    WHERE (ranked."afterCursor" AND ranked.rn <= ${first + 1}) OR ranked.seq = 1
    ORDER BY ranked."customerId", ranked.seq`;
  const byCustomer = new Map<string, { rows: Policy[]; total: number }>();
  for (const { rn: _rn, seq: _seq, total, afterCursor, ...policy } of rows) {
    const entry = byCustomer.get(policy.customerId) ?? { rows: [], total: Number(total) };
    if (afterCursor) entry.rows.push(policy as Policy);
    byCustomer.set(policy.customerId, entry);
  }
  return customerIds.map((id) => {
    const entry = byCustomer.get(id) ?? { rows: [], total: 0 };
    return customerPolicyPage(entry.rows, entry.total, first, after);
  });
}

/**
 * A page of a customer's policies (Customer.policies) from the rows after the cursor read with
 * LIMIT first + 1 (newest first) and `total`, the count of the customer's policies matching the
 * filter (this statement's and the planner's, src/modules/policy/policy.plan.ts).
 */
export function customerPolicyPage(
  rows: readonly Policy[],
  total: number,
  first: number,
  after: string | null | undefined,
): Page<Policy> {
  return pageOf(
    rows,
    first,
    (node) => cursorOf(node, 'CREATED_DESC'),
    after,
    async () => total,
  );
}

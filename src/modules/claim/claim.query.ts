// Customer.claims(first, after): the first N+1 claims (over all of a customer's policies) of
// every customer of a page, in ONE statement with row_number() over (partition by customer_id …).
import type { PrismaClient } from '../../db/client';
import { Prisma, type Claim } from '../../generated/prisma/client';
import { decodeCursorAs, encodeCursor, pageOf, type Page } from '../../shared/pagination';

const COLUMNS = Prisma.sql`c.id, c.number, c.policy_id AS "policyId", c.amount, c.status::text AS status, c.description,
  c.incident_date AS "incidentDate", c.status_note AS "statusNote", c.filed_at AS "filedAt", c.decided_at AS "decidedAt",
  c.paid_at AS "paidAt", c.updated_at AS "updatedAt"`;

const cursorOf = (claim: Claim) => encodeCursor([claim.filedAt.toISOString(), claim.id]);

function afterCondition(after: string): Prisma.Sql {
  const [filedAt, id] = decodeCursorAs(after, [{ kind: 'timestamp' }, { kind: 'uuid' }]) as [Date, string];
  return Prisma.sql`(c.filed_at, c.id) < (${filedAt.toISOString()}::timestamptz, ${id}::uuid)`;
}

/** Claims of each customer, newest first; the customer's newest claim always comes along to carry the total. */
export async function claimPagesByCustomer(
  prisma: PrismaClient,
  customerIds: readonly string[],
  first: number,
  after?: string | null,
): Promise<Page<Claim>[]> {
  const cursor = after ? afterCondition(after) : Prisma.sql`TRUE`;
  const rows = await prisma.$queryRaw<
    (Claim & { customerId: string; rn: bigint; seq: bigint; total: bigint; afterCursor: boolean })[]
  >`
    SELECT * FROM (
      SELECT ${COLUMNS}, p.customer_id AS "customerId",
        ${cursor} AS "afterCursor",
        count(*) FILTER (WHERE ${cursor}) OVER (PARTITION BY p.customer_id ORDER BY c.filed_at DESC, c.id DESC) AS rn,
        row_number() OVER (PARTITION BY p.customer_id ORDER BY c.filed_at DESC, c.id DESC) AS seq,
        count(*) OVER (PARTITION BY p.customer_id) AS total
      FROM claims c JOIN policies p ON p.id = c.policy_id
      WHERE p.customer_id IN (${Prisma.join(customerIds.map((id) => Prisma.sql`${id}::uuid`))})
    ) ranked
    WHERE (ranked."afterCursor" AND ranked.rn <= ${first + 1}) OR ranked.seq = 1
    ORDER BY ranked."customerId", ranked.seq`;
  const byCustomer = new Map<string, { rows: Claim[]; total: number }>();
  for (const { customerId, rn: _rn, seq: _seq, total, afterCursor, ...claim } of rows) {
    const entry = byCustomer.get(customerId) ?? { rows: [], total: Number(total) };
    if (afterCursor) entry.rows.push(claim as Claim);
    byCustomer.set(customerId, entry);
  }
  return customerIds.map((id) => {
    const entry = byCustomer.get(id) ?? { rows: [], total: 0 };
    return pageOf(entry.rows, first, cursorOf, after, async () => entry.total);
  });
}

// Policy.premiumPayments(first, after): the first N+1 instalments of every policy asked for, in
// ONE statement (row_number() over a partition per policy), newest due date first.
import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import { Prisma, type PolicyPremiumPayment } from '../../generated/prisma/client';
import { toLocalDate } from '../../shared/dates';
import { decodeCursorAs, encodeCursor, pageOf, type Page } from '../../shared/pagination';

const cursorOf = (p: PolicyPremiumPayment) => encodeCursor([toLocalDate(p.dueOn), p.id]);

async function paymentPagesByPolicy(
  prisma: PrismaClient,
  policyIds: readonly string[],
  first: number,
  after?: string | null,
): Promise<Page<PolicyPremiumPayment>[]> {
  let cursor = Prisma.sql`TRUE`;
  if (after) {
    const [dueOn, id] = decodeCursorAs(after, [{ kind: 'date' }, { kind: 'uuid' }]) as [string, string];
    cursor = Prisma.sql`(pp.due_on, pp.id) < (${dueOn}::date, ${id}::uuid)`;
  }
  const rows = await prisma.$queryRaw<
    (PolicyPremiumPayment & { rn: bigint; seq: bigint; total: bigint; afterCursor: boolean })[]
  >`
    SELECT * FROM (
      SELECT pp.id, pp.policy_id AS "policyId", pp.due_on AS "dueOn", pp.amount, pp.paid_on AS "paidOn",
        pp.recorded_by_id AS "recordedById", pp.created_at AS "createdAt", pp.updated_at AS "updatedAt",
        ${cursor} AS "afterCursor",
        count(*) FILTER (WHERE ${cursor}) OVER (PARTITION BY pp.policy_id ORDER BY pp.due_on DESC, pp.id DESC) AS rn,
        row_number() OVER (PARTITION BY pp.policy_id ORDER BY pp.due_on DESC, pp.id DESC) AS seq,
        count(*) OVER (PARTITION BY pp.policy_id) AS total
      FROM policy_premium_payments pp
      WHERE pp.policy_id = ANY(${[...policyIds]}::uuid[])
    ) ranked
    WHERE (ranked."afterCursor" AND ranked.rn <= ${first + 1}) OR ranked.seq = 1
    ORDER BY ranked."policyId", ranked.seq`;
  // The newest instalment of each policy always comes along, to carry the total past the last page.
  const byPolicy = new Map<string, { rows: PolicyPremiumPayment[]; total: number }>();
  for (const { rn: _rn, seq: _seq, total, afterCursor, ...payment } of rows) {
    const entry = byPolicy.get(payment.policyId) ?? { rows: [], total: Number(total) };
    if (afterCursor) entry.rows.push(payment as PolicyPremiumPayment);
    byPolicy.set(payment.policyId, entry);
  }
  return policyIds.map((id) => {
    const entry = byPolicy.get(id) ?? { rows: [], total: 0 };
    return pageOf(entry.rows, first, cursorOf, after, async () => entry.total);
  });
}

export const createPremiumPaymentLoaders = (prisma: PrismaClient) => {
  const pageLoaders = new Map<string, DataLoader<string, Page<PolicyPremiumPayment>>>();
  return {
    /** Policy.premiumPayments(first, after): one statement for all policies of a request asking the same page. */
    premiumPaymentPageByPolicyId(first: number, after?: string | null): DataLoader<string, Page<PolicyPremiumPayment>> {
      const key = JSON.stringify([first, after ?? null]);
      let loader = pageLoaders.get(key);
      if (!loader) {
        loader = new DataLoader((policyIds) => paymentPagesByPolicy(prisma, policyIds, first, after));
        pageLoaders.set(key, loader);
      }
      return loader;
    },
  };
};

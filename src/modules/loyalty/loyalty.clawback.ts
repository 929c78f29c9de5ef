// Taking back the points of a refunded order (SPEC §3 "Loyalty" and "Orders"), inside the
// refund's transaction. The customer row is already locked by the caller; this locks the account.
import type { Actor } from '../../auth/actor';
import type { Tx } from '../../db/client';
import type { LedgerEntry } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit';
import { consumeLots, entryDate, expireLockedAccounts, lockAccount } from './loyalty.ledger';
import { clawbackOf } from './loyalty.tiers';

/** The idempotency key of an order's CLAWBACK entry: an order is clawed back at most once. */
export const orderClawbackKey = (orderId: string) => `order:${orderId}:clawback`;

/**
 * Claws back what `order` earned (its EARN entry): as many of those points as the balance still
 * holds after expiring due lots, taken from the order's own lot first, then the oldest others.
 * Writes one CLAWBACK entry (points = −taken, shortfall = earned − taken, the order reference)
 * even when nothing could be taken, lowers lifetime points by what was earned, and audits it.
 * The order's points stop qualifying for tiers (notClawedBack); the tier itself is not lowered
 * here — as with redeeming, only a tier review (or a MANAGER/ADMIN) lowers a tier.
 * Returns null when the order earned nothing; the existing entry when already clawed back.
 */
export async function clawBackOrderPointsInTx(
  tx: Tx,
  input: { customerId: string; order: { id: string; number: string }; actor: Actor; now?: Date },
): Promise<LedgerEntry | null> {
  const account = await lockAccount(tx, input.customerId);
  const earned = await tx.ledgerEntry.findFirst({
    where: { accountId: account.id, orderId: input.order.id, type: 'EARN' },
    orderBy: { createdAt: 'asc' },
  });
  if (!earned) return null;
  const key = orderClawbackKey(input.order.id);
  const already = await tx.ledgerEntry.findUnique({ where: { idempotencyKey: key } });
  if (already) return already;

  const now = input.now ?? new Date();
  const [last] = await tx.$queryRaw<
    { at: Date | null }[]
  >`SELECT max(created_at) AS at FROM loyalty_ledger WHERE account_id = ${account.id}::uuid`;
  // Expired points are gone already: they are neither spendable nor taken back.
  const expired = (await expireLockedAccounts(tx, [account.id], now, entryDate(now, last?.at), input.actor)).get(
    account.id,
  );
  account.pointsBalance -= expired?.points ?? 0;
  const { taken, shortfall } = clawbackOf(earned.points, account.pointsBalance);
  await consumeLots(tx, account.id, taken, now, earned.id);
  const entry = await tx.ledgerEntry.create({
    data: {
      accountId: account.id,
      type: 'CLAWBACK',
      points: -taken,
      shortfall,
      reason: `Order ${input.order.number} refunded`,
      orderId: input.order.id,
      idempotencyKey: key,
      balanceAfter: account.pointsBalance - taken,
      actorId: input.actor.id,
      createdAt: entryDate(now, expired?.createdAt ?? last?.at),
    },
  });
  await tx.$executeRaw`
    UPDATE loyalty_accounts
    SET points_balance = points_balance - ${taken}::int,
        lifetime_points = GREATEST(lifetime_points - ${earned.points}::int, 0),
        updated_at = now()
    WHERE id = ${account.id}::uuid`;
  await recordAudit(tx, input.actor, {
    action: 'loyalty.points.clawback',
    entityType: 'LoyaltyAccount',
    entityId: account.id,
    changedFields: ['pointsBalance', 'lifetimePoints'],
    reason: entry.reason,
  });
  return entry;
}

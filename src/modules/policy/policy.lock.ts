import { ownerScope, type Actor } from '../../auth/actor';
import type { Tx } from '../../db/client';
import type { Customer, Policy } from '../../generated/prisma/client';
import { notFound } from '../../shared/domain-error';

/**
 * Locks the policy row for the rest of the transaction (SELECT … FOR UPDATE) and returns it with
 * its customer, or NOT_FOUND when it does not exist or belongs to a customer the actor may not
 * see (another agent's policy does not exist for an agent). Every change to a policy, and every
 * claim filed against it, goes through here, so concurrent changes from any instance queue up.
 */
export async function lockPolicy(
  tx: Tx,
  actor: Actor,
  id: string,
  field: string[] = ['id'],
): Promise<{ policy: Policy; customer: Customer }> {
  await tx.$queryRaw`SELECT 1 FROM policies WHERE id = ${id}::uuid FOR UPDATE`;
  const found = await tx.policy.findUnique({ where: { id }, include: { customer: true } });
  const scope = ownerScope(actor);
  if (!found || (scope && found.customer.ownerId !== scope)) throw notFound('Policy', field);
  const { customer, ...policy } = found;
  return { policy, customer };
}

/** The actor's staff row id, or null for a user known only to an external identity provider (history keeps "who" when it can). */
export async function staffIdOf(tx: Tx, actor: Actor): Promise<string | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(actor.id)) return null;
  const staff = await tx.staffUser.findUnique({ where: { id: actor.id }, select: { id: true } });
  return staff?.id ?? null;
}

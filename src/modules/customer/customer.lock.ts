import { ownerScope, type Actor } from '../../auth/actor';
import type { Tx } from '../../db/client';
import type { SqlTx } from '../../db/transaction';
import type { Customer } from '../../generated/prisma/client';
import { notFound } from '../../shared/domain-error';
import { selectCustomerForUpdate } from './customer.write';

/**
 * Locks the customer row for the rest of the transaction (SELECT … FOR UPDATE) and returns it,
 * or NOT_FOUND when it does not exist or the actor may not see it. Every change to a customer or
 * its addresses goes through here, so concurrent changes from any instance queue up on the row.
 */
export async function lockCustomer(
  tx: Tx | SqlTx,
  actor: Actor,
  id: string,
  field: string[] = ['id'],
): Promise<Customer> {
  return visibleCustomer(actor, await selectCustomerForUpdate(tx, id), field);
}

/** The customer when the actor may see it; NOT_FOUND when there is none or it is another agent's. */
export function visibleCustomer<C extends { ownerId: string | null }>(
  actor: Actor,
  customer: C | null | undefined,
  field: string[],
): C {
  const scope = ownerScope(actor);
  if (!customer || (scope && customer.ownerId !== scope)) throw notFound('Customer', field);
  return customer;
}

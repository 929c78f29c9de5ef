// Customer for the planner (src/graphql/plan/): the relations a customer query may load in its
// own statement, and the loader its root resolvers hand to CustomerService.
import type { GraphQLResolveInfo } from 'graphql';
import type { Customer } from '../../generated/prisma/client';
import type { Context } from '../../graphql/context';
import { loadPlanned, type Relation } from '../../graphql/plan/planner';
import { selectionOf } from '../../graphql/plan/selection';
import type { LoadCustomers } from './customer.service';
import { CUSTOMER_TABLE } from './customer.table';
import { addressesRelation } from '../address/address.plan';
import { loyaltyRelation } from '../loyalty/loyalty.plan';
import { ordersRelation } from '../order/order.plan';
import { policiesRelation } from '../policy/policy.plan';

/** Relations of Customer that a customer query loads in its own statement when selected. */
export const CUSTOMER_RELATIONS: readonly Relation<Customer>[] = [
  addressesRelation,
  loyaltyRelation,
  ordersRelation,
  policiesRelation,
];

/**
 * Loads customers by id in one statement with what `info` selects below the root field (`path`
 * leads from the root field's value to the Customer, e.g. ['edges', 'node']). Rows come back in
 * the order of `ids`; visibility is the caller's (CustomerService) as for Prisma rows.
 * A list (`path` given) whose nodes are not selected (only `totalCount`, say) gets undefined, and
 * its page stays Prisma's one statement. Otherwise the list's keys come from Prisma and its rows
 * from here even when no relation is selected: only the selected columns, without Prisma's row
 * mapping, which cost more server CPU than the extra statement (S5, 50 customers with 6 fields:
 * about a fifth less CPU per request, 3 statements instead of 2).
 */
export function customerLoader(ctx: Context, info: GraphQLResolveInfo, path: string[] = []): LoadCustomers | undefined {
  const selection = selectionOf(info, path);
  if (path.length && selection === null) return undefined;
  return async (ids) => {
    const rows = await loadPlanned({
      db: ctx.services.db,
      loaders: ctx.loaders,
      shape: CUSTOMER_TABLE,
      relations: CUSTOMER_RELATIONS,
      selection,
      where: (t, params) =>
        ids.length === 1 ? `${t}.id = ${params.add(ids[0])}::uuid` : `${t}.id = ANY(${params.add(ids)}::uuid[])`,
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };
}

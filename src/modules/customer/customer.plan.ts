// Customer for the planner (src/graphql/plan/): the relations a customer query may load in its
// own statement, and the loader its root resolvers hand to CustomerService.
import type { GraphQLResolveInfo } from 'graphql';
import type { Customer } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { globalIdSql } from '../../graphql/global-id';
import type { AnswerShape, RootAnswer } from '../../graphql/plan/answer';
import { idsWhere, loadPlanned, type Relation } from '../../graphql/plan/planner';
import { selectionOf } from '../../graphql/plan/selection';
import { fromGlobalId, toConnection } from '../../graphql/relay';
import type { Direction, SortField, CustomerListFilter } from './customer.query';
import type { LoadCustomers } from './customer.service';
import { customerNumberSql } from './customer.fields';
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
      where: (t, params) => idsWhere(t, ids, params),
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };
}

/** `customer(id)`: null for a malformed id, or one of a customer the actor may not see. */
export function findCustomer(ctx: Context, id: string, load?: LoadCustomers) {
  const decoded = fromGlobalId(id, 'Customer');
  return decoded ? ctx.services.customers.findVisible(actorOf(ctx), decoded.id, load) : null;
}

export interface CustomersArgs {
  first?: number | null;
  after?: string | null;
  filter?:
    | (Omit<CustomerListFilter, 'ownerId' | 'segmentId'> & { ownerId?: string | null; segmentId?: string | null })
    | null;
  sort?: { field: SortField; direction?: Direction | null } | null;
}

/** Filter ids arrive global: an unknown one matches nothing. */
function listFilter(filter: CustomersArgs['filter']): CustomerListFilter | null {
  if (!filter) return null;
  const decode = (id: string | null | undefined, type: 'StaffUser' | 'Segment') =>
    id == null ? id : (fromGlobalId(id, type)?.id ?? '00000000-0000-0000-0000-000000000000');
  return { ...filter, ownerId: decode(filter.ownerId, 'StaffUser'), segmentId: decode(filter.segmentId, 'Segment') };
}

/** `customers(first, after, filter, sort)`: a page of the customers the actor may see. */
export async function listCustomers(ctx: Context, args: CustomersArgs, load?: LoadCustomers) {
  const page = { first: args.first, after: args.after };
  return toConnection(await ctx.services.customers.list(actorOf(ctx), listFilter(args.filter), args.sort, page, load));
}

/** Customer for answers built by PostgreSQL (src/graphql/plan/answer.ts). */
export const CUSTOMER_ANSWER: AnswerShape<Customer> = {
  type: 'Customer',
  shape: CUSTOMER_TABLE,
  computed: {
    id: (t) => globalIdSql('Customer', `${t}.id`),
    customerNumber: (t) => customerNumberSql(`${t}.number`),
  },
  relations: CUSTOMER_RELATIONS,
};

/** The customer root fields answered in SQL: the same work as their resolvers (customer.resolver.ts). */
export const CUSTOMER_ROOT_ANSWERS: RootAnswer[] = [
  {
    field: 'customer',
    shape: CUSTOMER_ANSWER,
    path: [],
    keys: ['id', 'ownerId'],
    resolve: (ctx, args, load) => findCustomer(ctx, args.id as string, load),
  },
  {
    field: 'customers',
    shape: CUSTOMER_ANSWER,
    path: ['edges', 'node'],
    keys: ['id', 'ownerId'],
    resolve: (ctx, args, load) => listCustomers(ctx, args as CustomersArgs, load),
  },
];

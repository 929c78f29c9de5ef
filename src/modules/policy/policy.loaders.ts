import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import type { Policy } from '../../generated/prisma/client';
import { loaderMany, loaderOne } from '../../shared/loaders';
import type { Page } from '../../shared/pagination';
import { policyPagesByCustomer, type PolicyListFilter } from './policy.query';

export interface PolicyPageArgs {
  filter?: PolicyListFilter | null;
  first: number;
  after?: string | null;
}

const argsKey = (args: PolicyPageArgs) =>
  JSON.stringify([args.first, args.after ?? null, args.filter ?? null], (_key, value) =>
    value && typeof value === 'object' && 'toFixed' in value ? String(value) : value,
  );

export const createPolicyLoaders = (prisma: PrismaClient) => {
  // One DataLoader per distinct (filter, first, after): all customers asking the same page share one statement.
  const pageLoaders = new Map<string, DataLoader<string, Page<Policy>>>();
  return {
    policyById: loaderOne(
      (ids: string[]) => prisma.policy.findMany({ where: { id: { in: ids } } }),
      (p) => p.id,
    ),
    /** All policies of each customer (newest first), for all requested customers in ONE statement (coverage analysis uses it). */
    policiesByCustomerId: loaderMany(
      (customerIds: string[]) =>
        prisma.policy.findMany({
          where: { customerId: { in: customerIds } },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
      (p) => p.customerId,
    ),
    /** Premium history of each policy, oldest change first. */
    premiumChangesByPolicyId: loaderMany(
      (policyIds: string[]) =>
        prisma.policyPremiumChange.findMany({
          where: { policyId: { in: policyIds } },
          orderBy: [{ changedAt: 'asc' }, { id: 'asc' }],
        }),
      (c) => c.policyId,
    ),
    /** Renewal history of each policy, oldest renewal first. */
    renewalsByPolicyId: loaderMany(
      (policyIds: string[]) =>
        prisma.policyRenewal.findMany({
          where: { policyId: { in: policyIds } },
          orderBy: [{ renewedAt: 'asc' }, { id: 'asc' }],
        }),
      (r) => r.policyId,
    ),
    /** Customer.policies(first, after, filter): a page per customer, one statement for all customers of a request. */
    policyPageByCustomerId(args: PolicyPageArgs): DataLoader<string, Page<Policy>> {
      const key = argsKey(args);
      let loader = pageLoaders.get(key);
      if (!loader) {
        loader = new DataLoader<string, Page<Policy>>((customerIds) =>
          policyPagesByCustomer(prisma, customerIds, args.filter, args.first, args.after),
        );
        pageLoaders.set(key, loader);
      }
      return loader;
    },
  };
};

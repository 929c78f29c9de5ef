import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import type { Claim } from '../../generated/prisma/client';
import { loaderMany, loaderOne } from '../../shared/loaders';
import type { Page } from '../../shared/pagination';
import { claimPagesByCustomer } from './claim.query';

export const createClaimLoaders = (prisma: PrismaClient) => {
  const pageLoaders = new Map<string, DataLoader<string, Page<Claim>>>();
  return {
    claimById: loaderOne(
      (ids: string[]) => prisma.claim.findMany({ where: { id: { in: ids } } }),
      (c) => c.id,
    ),
    /** Claims of each policy, newest first. */
    claimsByPolicyId: loaderMany(
      (policyIds: string[]) =>
        prisma.claim.findMany({
          where: { policyId: { in: policyIds } },
          orderBy: [{ filedAt: 'desc' }, { id: 'desc' }],
        }),
      (c) => c.policyId,
    ),
    /** Customer.claims(first, after): one statement for all customers of a request asking the same page. */
    claimPageByCustomerId(first: number, after?: string | null): DataLoader<string, Page<Claim>> {
      const key = JSON.stringify([first, after ?? null]);
      let loader = pageLoaders.get(key);
      if (!loader) {
        loader = new DataLoader<string, Page<Claim>>((customerIds) =>
          claimPagesByCustomer(prisma, customerIds, first, after),
        );
        pageLoaders.set(key, loader);
      }
      return loader;
    },
  };
};

import type { PrismaClient } from '../../db/client';
import { loaderOne } from '../../shared/loaders';

export const createLoyaltyLoaders = (prisma: PrismaClient) => ({
  loyaltyByCustomerId: loaderOne((ids: string[]) => prisma.loyaltyAccount.findMany({ where: { customerId: { in: ids } } }), (a) => a.customerId),
});

import type { PrismaClient } from '../../db/client';
import { loaderOne } from '../../shared/loaders';

export const createCustomerLoaders = (prisma: PrismaClient) => ({
  customerById: loaderOne(
    (ids: string[]) => prisma.customer.findMany({ where: { id: { in: ids } } }),
    (c) => c.id,
  ),
});

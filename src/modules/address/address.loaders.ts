import type { PrismaClient } from '../../db/client';
import { loaderMany, loaderOne } from '../../shared/loaders';

export const createAddressLoaders = (prisma: PrismaClient) => ({
  /** A customer's addresses, default first, then oldest first. */
  addressesByCustomerId: loaderMany(
    (customerIds: string[]) =>
      prisma.address.findMany({
        where: { customerId: { in: customerIds } },
        orderBy: [{ isDefault: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
      }),
    (a) => a.customerId,
  ),
  addressById: loaderOne(
    (ids: string[]) => prisma.address.findMany({ where: { id: { in: ids } } }),
    (a) => a.id,
  ),
});

import type { PrismaClient } from '../../db/client';
import { loaderOne } from '../../shared/loaders';

export const createStaffLoaders = (prisma: PrismaClient) => ({
  staffById: loaderOne(
    (ids: string[]) => prisma.staffUser.findMany({ where: { id: { in: ids } } }),
    (s) => s.id,
  ),
});

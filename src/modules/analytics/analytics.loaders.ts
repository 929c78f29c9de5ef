import DataLoader from 'dataloader';
import type { PrismaClient } from '../../db/client';
import { customerAnalytics, type CustomerAnalyticsFigures } from './analytics.rules';
import { AnalyticsService, inputsFromSnapshot } from './analytics.service';

export const createAnalyticsLoaders = (prisma: PrismaClient) => {
  const service = new AnalyticsService(prisma);
  return {
    /**
     * Stored snapshot figures of many customers in one statement; customers never snapshotted
     * yet are computed live in one more (so a list costs at most two statements).
     */
    analyticsByCustomerId: new DataLoader<string, CustomerAnalyticsFigures | null>(async (ids) => {
      const stored = await prisma.customerAnalytics.findMany({ where: { customerId: { in: [...ids] } } });
      const byId = new Map(stored.map((s) => [s.customerId, customerAnalytics(inputsFromSnapshot(s))]));
      const missing = ids.filter((id) => !byId.has(id));
      if (missing.length > 0) for (const [id, figures] of await service.live(missing)) byId.set(id, figures);
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
};

import type { PrismaClient } from '../../db/client';
import { loaderOne } from '../../shared/loaders';

export const createFeedbackLoaders = (prisma: PrismaClient) => ({
  /** The feedback of an order (there is at most one). */
  feedbackByOrderId: loaderOne(
    (orderIds: string[]) => prisma.feedback.findMany({ where: { orderId: { in: orderIds } } }),
    (f) => f.orderId,
  ),
  feedbackById: loaderOne(
    (ids: string[]) => prisma.feedback.findMany({ where: { id: { in: ids } } }),
    (f) => f.id,
  ),
});

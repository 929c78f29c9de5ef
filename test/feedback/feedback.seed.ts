// Feedback rows inserted straight into the database, for tests about reviewing and listing
// feedback rather than submitting it.
import type { FeedbackStatus } from '../../src/generated/prisma/enums';
import { toGlobalId } from '../../src/graphql/relay';
import type { TestDatabase } from '../helpers/database';

let sequence = 0;

export async function insertFeedback(
  db: TestDatabase,
  customerId: string,
  seed: { status?: FeedbackStatus; rating?: number; comment?: string; createdAt?: Date } = {},
) {
  sequence += 1;
  const order = await db.prisma.order.create({
    data: {
      number: `FB-${process.pid}-${sequence}`,
      customerId,
      total: '20.00',
      currency: 'EUR',
      status: 'DELIVERED',
      placedAt: new Date(Date.now() - 86_400_000),
    },
  });
  const feedback = await db.prisma.feedback.create({
    data: {
      orderId: order.id,
      customerId,
      rating: seed.rating ?? 4,
      comment: seed.comment ?? null,
      status: seed.status ?? 'PENDING',
      createdAt: seed.createdAt,
    },
  });
  return { ...feedback, globalId: toGlobalId('Feedback', feedback.id) };
}

import type { Tx } from '../../db/client';
import type { ContactChannel, NotificationType } from '../../generated/prisma/enums';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace';

export interface OutgoingNotification {
  type: NotificationType;
  /** null for notifications addressed to staff. */
  customerId: string | null;
  channel?: ContactChannel | null;
  payload?: InputJsonValue;
}

/**
 * Queues a notification in the outbox within the caller's transaction; a separate worker
 * delivers it. So a notification exists if and only if the change that caused it committed.
 */
export async function enqueueNotification(tx: Tx, notification: OutgoingNotification): Promise<void> {
  await tx.notification.create({
    data: {
      type: notification.type,
      customerId: notification.customerId,
      channel: notification.channel ?? null,
      payload: notification.payload ?? {},
    },
  });
}

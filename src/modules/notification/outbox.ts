import type { Tx } from '../../db/client';
import type { ContactChannel, NotificationType } from '../../generated/prisma/enums';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace';
import { LEGALLY_REQUIRED_NOTIFICATIONS } from '../privacy/privacy.rules';

export interface OutgoingNotification {
  type: NotificationType;
  /** null for notifications addressed to staff (their payload names the customer as `customerId`). */
  customerId: string | null;
  channel?: ContactChannel | null;
  payload?: InputJsonValue;
}

/**
 * Queues a notification in the outbox within the caller's transaction; a separate worker
 * delivers it. So a notification exists if and only if the change that caused it committed.
 * A customer who withdrew consent to data processing gets only the legally required ones
 * (docs/privacy.md): the same INSERT checks the consent, so no extra round trip.
 */
export async function enqueueNotification(tx: Tx, notification: OutgoingNotification): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO notifications (type, customer_id, channel, payload)
     SELECT $1::"NotificationType", $2::uuid, $3::"ContactChannel", $4::jsonb
     WHERE $2::uuid IS NULL OR $1::"NotificationType"::text = ANY($5::text[])
        OR EXISTS (SELECT 1 FROM customers c WHERE c.id = $2::uuid AND c.data_processing_consent_at IS NOT NULL)`,
    notification.type,
    notification.customerId,
    notification.channel ?? null,
    JSON.stringify(notification.payload ?? {}),
    [...LEGALLY_REQUIRED_NOTIFICATIONS],
  );
}

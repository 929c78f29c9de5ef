import type { Tx } from '../../db/client';
import { Params } from '../../db/table-shape';
import { sqlOf, type SqlTx } from '../../db/transaction';
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
export async function enqueueNotification(tx: Tx | SqlTx, notification: OutgoingNotification): Promise<void> {
  const params = new Params();
  await sqlOf(tx).query(
    notificationInsertSql(notification, (value) => params.add(value)),
    params.values,
  );
}

/**
 * The same notification as an INSERT for a statement that also makes the change (a CTE). `param`
 * adds a value and returns its placeholder.
 */
export function notificationInsertSql(notification: OutgoingNotification, param: (value: unknown) => string): string {
  const type = param(notification.type);
  const customer = param(notification.customerId);
  return `INSERT INTO notifications (type, customer_id, channel, payload)
     SELECT ${type}::"NotificationType", ${customer}::uuid, ${param(notification.channel ?? null)}::"ContactChannel", ${param(JSON.stringify(notification.payload ?? {}))}::jsonb
     WHERE ${customer}::uuid IS NULL OR ${type}::"NotificationType"::text = ANY(${param([...LEGALLY_REQUIRED_NOTIFICATIONS])}::text[])
        OR EXISTS (SELECT 1 FROM customers c WHERE c.id = ${customer}::uuid AND c.data_processing_consent_at IS NOT NULL)`;
}

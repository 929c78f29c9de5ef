import type { Logger } from '../../logger';
import { deliverPendingNotifications, type NotificationDeliveryDeps } from './notification.dispatcher';

/**
 * This instance's own delivery loop (NOTIFICATION_DELIVERY_INTERVAL_MS; 0 = off, the default):
 * a stand-in until a job scheduler calls deliverPendingNotifications. Every instance may run it;
 * the claims keep them from delivering anything twice. Returns a stop function that waits for a
 * run in progress, so the database is not closed under it.
 */
export function startNotificationDelivery(
  deps: Omit<NotificationDeliveryDeps, 'now'>,
  intervalMs: number,
  logger: Logger,
): () => Promise<void> {
  if (!(intervalMs > 0)) return async () => undefined;
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running !== null) return;
    running = deliverPendingNotifications(deps)
      .catch((err: unknown) => logger.error({ err }, 'notification delivery failed'))
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

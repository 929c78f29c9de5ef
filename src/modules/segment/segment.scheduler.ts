import type { Logger } from '../../logger';
import type { EventService } from '../event/event.service';
import type { SegmentService } from './segment.service';

/**
 * Recalculates due segments every `intervalSeconds` (0 = off). Every instance runs the timer; the
 * database keeps them from repeating each other's work (the monthly event partitions are also
 * created ahead here, idempotently): only segments last calculated more than
 * an interval ago are due, and each is taken with FOR UPDATE SKIP LOCKED. Returns a stop function
 * that waits for a run in progress, so the database is not closed under it.
 */
export function startSegmentScheduler(
  services: { segments: SegmentService; events: EventService },
  intervalSeconds: number,
  logger: Logger,
): () => Promise<void> {
  if (!(intervalSeconds > 0)) return async () => undefined;
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    const dueBefore = new Date(Date.now() - intervalSeconds * 1000 * 0.9);
    running = services.events
      .ensurePartitions()
      .then(() => services.segments.recalculateAll(null, new Date(), dueBefore))
      .then((count) => count > 0 && logger.info({ count }, 'segments recalculated'))
      .catch((err: unknown) => logger.error({ err }, 'segment recalculation failed'))
      .finally(() => (running = null));
  }, intervalSeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

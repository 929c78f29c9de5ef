// Requests per staff user per minute, across every instance, without a statement per request:
// each instance counts locally and adds its counts to the shared row of the minute
// (request_rate_windows) in one statement per flush, learning the total of all instances back.
// Between flushes an instance decides on (last known total + its own unflushed count), so the
// limit can be overshot by what other instances served since their last flush (docs/security.md).
import type { PrismaClient } from '../db/client';
import { RateLimitedError } from './rate-limited';

const WINDOW_MS = 60_000;
const FLUSH_MS = 1_000;

interface Counter {
  window: number;
  /** Total of every instance at the last flush. */
  known: number;
  /** Counted here since the last flush. */
  pending: number;
}

export class RequestRateLimiter {
  private readonly counters = new Map<string, Counter>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;
  private lastCleanup = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly perMinute: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Counts one request of `staffId`; throws RateLimitedError when the minute's budget is spent. */
  take(staffId: string, now = Date.now()): void {
    const window = Math.floor(now / WINDOW_MS);
    let counter = this.counters.get(staffId);
    if (!counter || counter.window !== window) {
      counter = { window, known: 0, pending: 0 };
      this.counters.set(staffId, counter);
    }
    if (counter.known + counter.pending >= this.perMinute) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
      throw new RateLimitedError(
        `More than ${this.perMinute} requests in a minute; try again in ${retryAfter} s`,
        retryAfter,
      );
    }
    counter.pending++;
    // A burst learns the other instances' share before the timer would.
    if (counter.pending >= Math.max(10, Math.ceil(this.perMinute / 10))) void this.flush();
  }

  /** Adds every pending count to the shared rows in one statement and reads the totals back. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = [...this.counters.entries()]
      .filter(([, c]) => c.pending > 0)
      .map(([staffId, c]) => ({ staffId, counter: c, count: c.pending }));
    if (batch.length === 0) return;
    for (const item of batch) item.counter.pending -= item.count;
    this.flushing = (async () => {
      try {
        const ids = batch.map((b) => b.staffId);
        const windows = batch.map((b) => new Date(b.counter.window * WINDOW_MS));
        const counts = batch.map((b) => b.count);
        const rows = await this.prisma.$queryRaw<{ staff_id: string; count: number }[]>`
          INSERT INTO request_rate_windows (staff_id, window_start, count)
          SELECT * FROM unnest(${ids}::uuid[], ${windows}::timestamptz[], ${counts}::int[])
          ON CONFLICT (staff_id, window_start) DO UPDATE SET count = request_rate_windows.count + excluded.count
          RETURNING staff_id, count`;
        const totals = new Map(rows.map((r) => [r.staff_id, Number(r.count)]));
        for (const item of batch) item.counter.known = Math.max(item.counter.known, totals.get(item.staffId) ?? 0);
        if (Date.now() - this.lastCleanup > WINDOW_MS) {
          this.lastCleanup = Date.now();
          await this.prisma
            .$executeRaw`DELETE FROM request_rate_windows WHERE window_start < now() - interval '5 minutes'`;
          for (const [id, c] of this.counters)
            if (c.window < Math.floor(Date.now() / WINDOW_MS) - 1) this.counters.delete(id);
        }
      } catch (error) {
        for (const item of batch) item.counter.pending += item.count; // try again next time
        this.onError(error);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }
}

// Who a token's subject is *now*: active or not, which role, which token version. Read per
// request from an in-process cache that every instance drops at once when a staff row changes
// (NOTIFY staff_changed, sent at commit by a trigger on staff_users), so no request pays a query for it
// while deactivation still takes effect immediately everywhere. See docs/security.md.
import type { PrismaClient } from '../db/client';
import type { Subscribe, Subscription } from '../db/notify';
import type { StaffRole } from '../generated/prisma/enums';

export const STAFF_CHANGED_CHANNEL = 'staff_changed';

export interface StaffRecord {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  active: boolean;
  tokenVersion: number;
}

const SELECT = { id: true, email: true, name: true, role: true, active: true, tokenVersion: true } as const;

export class StaffDirectory {
  private readonly byId = new Map<string, { record: StaffRecord | null; at: number }>();
  private readonly idBySubject = new Map<string, string>();
  private subscription: Subscription | null = null;
  // Raised by every invalidation: a read that started before one must not be cached after it.
  private generation = 0;
  private readonly waiters = new Map<string, Set<() => void>>();
  // The last record read per id, dropped only by a notification about it: answers when the
  // database cannot be read (then no change can be committed through it either, and the request
  // fails at its first query anyway), so DB-free work such as input validation still answers.
  private readonly lastRead = new Map<string, StaffRecord>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs: number,
  ) {}

  /** Starts listening; until then (and whenever the listener is down) nothing is served from cache. */
  async start(subscribe: Subscribe): Promise<void> {
    this.subscription = await subscribe(STAFF_CHANGED_CHANNEL, {
      onNotify: (staffId) => {
        this.forget(staffId);
        this.waiters.get(staffId)?.forEach((wake) => wake());
      },
      onGap: () => this.forgetAll(),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
    this.forgetAll();
  }

  /**
   * Resolves when this instance has received the change notification of `staffId` (or after
   * `timeoutMs`). A change answers only then: PostgreSQL signals every listener at the same
   * commit, so by the time our own copy has looped back the other instances have theirs.
   */
  notified(staffId: string, timeoutMs = 1000): { done: Promise<void> } {
    if (!this.cacheable) return { done: Promise.resolve() };
    let wake!: () => void;
    const done = new Promise<void>((resolve) => (wake = resolve));
    const set = this.waiters.get(staffId) ?? new Set();
    this.waiters.set(staffId, set.add(wake));
    const timer = setTimeout(wake, timeoutMs);
    return {
      done: done.then(() => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.waiters.get(staffId) === set) this.waiters.delete(staffId);
      }),
    };
  }

  forget(staffId: string): void {
    this.generation++;
    this.byId.delete(staffId);
    this.lastRead.delete(staffId);
  }

  forgetAll(): void {
    this.generation++;
    this.byId.clear();
    this.idBySubject.clear();
  }

  private get cacheable(): boolean {
    return this.subscription?.live === true;
  }

  /** The staff member with this id, as stored (null when deleted); one primary-key read on a miss. */
  async get(staffId: string): Promise<StaffRecord | null> {
    const cached = this.byId.get(staffId);
    if (cached && this.cacheable && Date.now() - cached.at < this.ttlMs) return cached.record;
    const startedAt = Date.now();
    const generation = this.generation;
    let record: StaffRecord | null;
    try {
      record = await this.prisma.staffUser.findUnique({ where: { id: staffId }, select: SELECT });
    } catch (error) {
      const last = this.lastRead.get(staffId);
      if (last) return last;
      throw error;
    }
    if (!record) this.lastRead.delete(staffId);
    this.remember(record, generation, startedAt);
    return record;
  }

  /** Taken before reading a staff row elsewhere; `prime` ignores the row if a change came in between. */
  mark(): { generation: number; at: number } {
    return { generation: this.generation, at: Date.now() };
  }

  /** Caches a record just read elsewhere (login), so the token's first request costs no query. */
  prime(record: StaffRecord, mark: { generation: number; at: number }): void {
    this.remember(
      {
        id: record.id,
        email: record.email,
        name: record.name,
        role: record.role,
        active: record.active,
        tokenVersion: record.tokenVersion,
      },
      mark.generation,
      mark.at,
    );
  }

  /** The staff member an external identity provider's subject belongs to, if any. */
  async getByExternalSubject(subject: string): Promise<StaffRecord | null> {
    const id = this.idBySubject.get(subject);
    if (id && this.cacheable) {
      const record = await this.get(id);
      if (record) return record;
    }
    const startedAt = Date.now();
    const generation = this.generation;
    const record = await this.prisma.staffUser.findUnique({ where: { externalSubject: subject }, select: SELECT });
    if (record && this.remember(record, generation, startedAt)) this.idBySubject.set(subject, record.id);
    return record;
  }

  private remember(record: StaffRecord | null, generation: number, at: number): boolean {
    if (record && generation === this.generation) this.lastRead.set(record.id, record);
    if (!this.cacheable || generation !== this.generation || !record) return false;
    this.byId.set(record.id, { record, at });
    return true;
  }
}

import type { PrismaClient } from '../../db/client';
import { escapeLike } from '../../db/like';
import type { AuditEntry, Prisma } from '../../generated/prisma/client';
import { DomainError, Validator } from '../../shared/domain-error';
import { decodeCursorAs, encodeCursor, pageOf, pageSize, type Page, type PageRequest } from '../../shared/pagination';
import type { AuditEntryRow } from './audit.type';

/** Filter of auditEntries with ids already decoded to stored keys. */
export interface AuditListFilter {
  entityType?: string | null;
  entityId?: string | null;
  customerId?: string | null;
  actorId?: string | null;
  action?: string | null;
  from?: Date | null;
  to?: Date | null;
}

const MAX_TEXT = 200;
const SEQUENCE = /^\d{1,19}$/;

export const auditCursor = (row: Pick<AuditEntryRow, 'id'>) => encodeCursor([row.id]);

/** The sequence number after which a page starts (newest first: entries with a smaller id). */
export function parseAuditCursor(after: string): bigint {
  const [id] = decodeCursorAs(after, [{ kind: 'text' }]) as [string];
  if (!SEQUENCE.test(id)) throw new DomainError('VALIDATION', 'after is not a cursor of this list', ['after']);
  return BigInt(id);
}

export const auditRow = (e: AuditEntry): AuditEntryRow => ({ ...e, id: e.id.toString() });

/** Reads the audit trail (writes are recordAudit's, inside each change's transaction). */
export class AuditService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Entries matching every condition given, newest first. */
  async list(filter: AuditListFilter | null | undefined, page: PageRequest): Promise<Page<AuditEntryRow>> {
    const first = pageSize(page);
    const f = filter ?? {};
    const v = new Validator();
    for (const key of ['entityType', 'entityId', 'action'] as const)
      v.check((f[key]?.length ?? 0) <= MAX_TEXT, ['filter', key], `${key} is longer than ${MAX_TEXT} characters`);
    v.check(
      !f.action || f.action.indexOf('*') === -1 || f.action.indexOf('*') === f.action.length - 1,
      ['filter', 'action'],
      'action may contain "*" only at its end',
    );
    v.check(!f.from || !f.to || f.from < f.to, ['filter', 'to'], 'to must be after from');
    v.throwIfInvalid();
    const after = page.after ? parseAuditCursor(page.after) : null;
    const where: Prisma.AuditEntryWhereInput = {
      ...(f.entityType ? { entityType: f.entityType } : {}),
      ...(f.entityId ? { entityId: f.entityId } : {}),
      ...(f.customerId ? { customerId: f.customerId } : {}),
      ...(f.actorId ? { actorId: f.actorId } : {}),
      ...(f.action
        ? f.action.endsWith('*')
          ? { action: { startsWith: escapeLike(f.action.slice(0, -1)) } }
          : { action: f.action }
        : {}),
      ...(f.from || f.to ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {}),
    };
    const rows = await this.prisma.auditEntry.findMany({
      where: after === null ? where : { AND: [where, { id: { lt: after } }] },
      orderBy: { id: 'desc' },
      take: first + 1,
    });
    return pageOf(rows.map(auditRow), first, auditCursor, page.after, () => this.prisma.auditEntry.count({ where }));
  }
}

import type { Actor } from '../../auth/actor';
import type { Tx } from '../../db/client';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string | null;
  changedFields?: string[];
  reason?: string | null;
}

/** Writes an audit entry inside the caller's transaction: it exists exactly when the change does. */
export async function recordAudit(tx: Tx, actor: Actor | null, record: AuditRecord): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? null,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId,
      changedFields: record.changedFields ?? [],
      reason: record.reason?.trim() || null,
    },
  });
}

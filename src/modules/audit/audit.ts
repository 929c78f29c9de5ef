import { auditRoleOf, type Actor } from '../../auth/actor';
import type { Tx } from '../../db/client';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string | null;
  changedFields?: string[];
  reason?: string | null;
}

/** The stored audit entry of a change. */
function auditData(actor: Actor | null, record: AuditRecord) {
  return {
    actorId: actor?.id ?? null,
    actorRole: actor ? auditRoleOf(actor) : null,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    changedFields: record.changedFields ?? [],
    reason: record.reason?.trim() || null,
  };
}

/** Writes an audit entry inside the caller's transaction: it exists exactly when the change does. */
export async function recordAudit(tx: Tx, actor: Actor | null, record: AuditRecord): Promise<void> {
  await tx.auditEntry.create({ data: auditData(actor, record) });
}

/**
 * The same entry as an INSERT for a statement that also makes the change (a CTE), so a change and
 * its audit entry cost one round trip. `param` adds a value and returns its placeholder.
 */
export function auditInsertSql(actor: Actor | null, record: AuditRecord, param: (value: unknown) => string): string {
  const d = auditData(actor, record);
  return `INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, changed_fields, reason)
    VALUES (${param(d.actorId)}::uuid, ${param(d.actorRole)}, ${param(d.action)}, ${param(d.entityType)}, ${param(d.entityId)}, ${param(d.changedFields)}::text[], ${param(d.reason)})`;
}

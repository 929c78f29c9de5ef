import { auditRoleOf, type Actor } from '../../auth/actor';
import type { Tx } from '../../db/client';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string | null;
  changedFields?: string[];
  reason?: string | null;
  /**
   * The customer the entry is about, when the caller knows it and the entity cannot tell (a row
   * already deleted). Otherwise it is read from the entity in the INSERT itself (CUSTOMER_OF).
   */
  customerId?: string | null;
}

/**
 * How the customer of an entity is found, by entity type, from the entity id's placeholder. Entities
 * not listed (staff, rewards, segments…) are about no customer.
 */
const CUSTOMER_OF: Partial<Record<string, (id: string) => string>> = {
  Customer: (id) => `${id}::uuid`,
  Address: (id) => `(SELECT customer_id FROM addresses WHERE id = ${id}::uuid)`,
  Order: (id) => `(SELECT customer_id FROM orders WHERE id = ${id}::uuid)`,
  Feedback: (id) => `(SELECT customer_id FROM feedback WHERE id = ${id}::uuid)`,
  Policy: (id) => `(SELECT customer_id FROM policies WHERE id = ${id}::uuid)`,
  LoyaltyAccount: (id) => `(SELECT customer_id FROM loyalty_accounts WHERE id = ${id}::uuid)`,
  Claim: (id) =>
    `(SELECT p.customer_id FROM claims cl JOIN policies p ON p.id = cl.policy_id WHERE cl.id = ${id}::uuid)`,
};

/** Entity types whose entries can be about a customer (the audit trail's filter lists them). */
export const CUSTOMER_ENTITY_TYPES = Object.keys(CUSTOMER_OF);

/** Who made a change: a staff member or API key, or only an id (a change made on behalf of another module's caller). */
export type AuditActor = Actor | { id: string | null; role?: null } | null;

/** The stored audit entry of a change. */
function auditData(actor: AuditActor, record: AuditRecord) {
  return {
    actorId: actor?.id ?? null,
    actorRole: actor?.role ? auditRoleOf(actor) : null,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    changedFields: record.changedFields ?? [],
    reason: record.reason?.trim() || null,
  };
}

/** Writes an audit entry inside the caller's transaction: it exists exactly when the change does. */
export async function recordAudit(tx: Tx, actor: Actor | null, record: AuditRecord): Promise<void> {
  const values: unknown[] = [];
  const sql = auditInsertSql(actor, record, (value) => `$${values.push(value)}`);
  await tx.$executeRawUnsafe(sql, ...values);
}

/**
 * The same entry as an INSERT for a statement that also makes the change (a CTE), so a change and
 * its audit entry cost one round trip. `param` adds a value and returns its placeholder.
 */
export function auditInsertSql(actor: Actor | null, record: AuditRecord, param: (value: unknown) => string): string {
  return `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ${auditValuesSql(actor, record, param)}`;
}

/** The columns of an audit entry, in the order of auditValuesSql's row. */
export const AUDIT_COLUMNS =
  'actor_id, actor_role, action, entity_type, entity_id, changed_fields, reason, customer_id';

/**
 * The entry as one row of `INSERT INTO audit_log (AUDIT_COLUMNS) VALUES …`, for a statement that
 * writes several entries in order (ids follow the rows).
 */
export function auditValuesSql(actor: AuditActor, record: AuditRecord, param: (value: unknown) => string): string {
  const d = auditData(actor, record);
  const entityId = param(d.entityId);
  const lookup = Object.hasOwn(CUSTOMER_OF, d.entityType) ? CUSTOMER_OF[d.entityType] : undefined;
  const customer =
    record.customerId !== undefined
      ? `${param(record.customerId)}::uuid`
      : lookup && d.entityId !== null
        ? lookup(param(d.entityId)) // its own placeholder: one parameter cannot be both text and uuid
        : 'NULL::uuid';
  return `(${param(d.actorId)}::uuid, ${param(d.actorRole)}, ${param(d.action)}, ${param(d.entityType)}, ${entityId}, ${param(d.changedFields)}::text[], ${param(d.reason)}, ${customer})`;
}

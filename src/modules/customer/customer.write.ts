// The customer row statements of the write path that Prisma would split in two: the locked read
// (SELECT … FOR UPDATE returning the row) and the update that writes its audit entry in the same
// statement. Rows come back in Prisma's shape (customer.table.ts).
import type { Actor } from '../../auth/actor';
import type { Tx } from '../../db/client';
import { sqlOf, type SqlTx } from '../../db/transaction';
import { allKeys, decodeRow, Params, selectList, setList } from '../../db/table-shape';
import type { Customer } from '../../generated/prisma/client';
import { auditInsertSql, type AuditRecord } from '../audit/audit';
import { CUSTOMER_TABLE } from './customer.table';

const ROW = selectList(CUSTOMER_TABLE, 't', allKeys(CUSTOMER_TABLE));

/** The customer row, locked for the rest of the transaction, or null when there is none. */
export async function selectCustomerForUpdate(tx: Tx | SqlTx, id: string): Promise<Customer | null> {
  const rows = await sqlOf(tx).query(`SELECT ${ROW} FROM customers t WHERE t.id = $1::uuid FOR UPDATE`, [id]);
  return rows.length ? decodeRow(CUSTOMER_TABLE, rows[0]) : null;
}

/**
 * Applies `changes` (Prisma keys → new values), increments the version and records `audit`, in one
 * statement. The caller holds the row lock and has checked the version.
 */
export async function updateCustomerWithAudit(
  tx: Tx | SqlTx,
  actor: Actor,
  id: string,
  changes: Partial<Customer>,
  audit: AuditRecord,
): Promise<Customer> {
  const params = new Params();
  const target = params.add(id);
  const set = setList(CUSTOMER_TABLE, changes, params);
  const insertAudit = auditInsertSql(actor, audit, (value) => params.add(value));
  const rows = await sqlOf(tx).query(
    `WITH t AS (UPDATE customers SET ${set}, version = version + 1, updated_at = now() WHERE id = ${target}::uuid RETURNING *),
          audit AS (${insertAudit})
     SELECT ${ROW} FROM t`,
    params.values,
  );
  return decodeRow(CUSTOMER_TABLE, rows[0]);
}

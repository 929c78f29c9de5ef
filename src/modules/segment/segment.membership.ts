// Set-based membership maintenance: one statement computes who matches, who joins and who leaves,
// records the history and updates the count. No loop over customers in Node.
import { allowBulkStatements } from '../../db/bulk';
import type { Tx } from '../../db/client';
import { matchingCustomersSql } from './segment.compiler';
import type { Criteria } from './segment.rules';

export interface RecalculationResult {
  memberCount: number;
  joined: number;
  left: number;
}

/**
 * Recalculates one DYNAMIC segment the caller has locked (FOR UPDATE on its row, so concurrent
 * recalculations of it from any instance queue up). Data-modifying CTEs share one snapshot:
 * leavers are deleted from the current members and recorded as LEFT, newcomers inserted and
 * recorded as JOINED, and the segment row gets its count and calculation time. The statement reads
 * every customer, so it runs under the bulk time limit, not the request's (src/db/bulk.ts); callers
 * run it in a transaction with BULK_TRANSACTION.
 */
export async function recalculateMembership(
  tx: Tx,
  segmentId: string,
  criteria: Criteria,
  at: Date,
): Promise<RecalculationResult> {
  const matching = matchingCustomersSql(criteria, at);
  await allowBulkStatements(tx);
  const seg = `$${matching.params.length + 1}::uuid`;
  const sql = `
    WITH matched AS (${matching.sql}),
    leavers AS (
      DELETE FROM segment_memberships sm WHERE sm.segment_id = ${seg}
        AND NOT EXISTS (SELECT 1 FROM matched m WHERE m.id = sm.customer_id)
      RETURNING sm.customer_id),
    joiners AS (
      INSERT INTO segment_memberships (segment_id, customer_id, joined_at)
      SELECT ${seg}, m.id, $1::timestamptz FROM matched m
      ON CONFLICT DO NOTHING
      RETURNING customer_id),
    history AS (
      INSERT INTO segment_membership_changes (segment_id, customer_id, change, at)
      SELECT ${seg}, customer_id, 'LEFT'::"SegmentChangeKind", $1::timestamptz FROM leavers
      UNION ALL
      SELECT ${seg}, customer_id, 'JOINED'::"SegmentChangeKind", $1::timestamptz FROM joiners)
    UPDATE segments SET member_count = (SELECT count(*) FROM matched), last_calculated_at = $1::timestamptz
    WHERE id = ${seg}
    RETURNING member_count::int AS "memberCount", (SELECT count(*) FROM joiners)::int AS joined, (SELECT count(*) FROM leavers)::int AS "left"`;
  const rows = await tx.$queryRawUnsafe<RecalculationResult[]>(sql, ...matching.params, segmentId);
  const row = rows[0];
  return { memberCount: Number(row.memberCount), joined: Number(row.joined), left: Number(row.left) };
}

/** Adds customers to a STATIC segment; returns the ids that exist (whether new or already members). */
export async function addStaticMembers(
  tx: Tx,
  segmentId: string,
  customerIds: string[],
  at: Date,
): Promise<Set<string>> {
  const rows = await tx.$queryRawUnsafe<{ id: string; joined: boolean }[]>(
    `WITH wanted AS (SELECT c.id FROM customers c WHERE c.id = ANY($1::uuid[]) AND c.status <> 'DELETED' AND c.data_processing_consent_at IS NOT NULL),
     joiners AS (
       INSERT INTO segment_memberships (segment_id, customer_id, joined_at) SELECT $2::uuid, id, $3::timestamptz FROM wanted
       ON CONFLICT DO NOTHING RETURNING customer_id),
     history AS (
       INSERT INTO segment_membership_changes (segment_id, customer_id, change, at)
       SELECT $2::uuid, customer_id, 'JOINED'::"SegmentChangeKind", $3::timestamptz FROM joiners)
     SELECT id::text AS id FROM wanted`,
    customerIds,
    segmentId,
    at.toISOString(),
  );
  await refreshCount(tx, segmentId, at);
  return new Set(rows.map((r) => r.id));
}

/** Removes customers from a STATIC segment; returns the ids that were members. */
export async function removeStaticMembers(
  tx: Tx,
  segmentId: string,
  customerIds: string[],
  at: Date,
): Promise<Set<string>> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `WITH leavers AS (
       DELETE FROM segment_memberships WHERE segment_id = $2::uuid AND customer_id = ANY($1::uuid[]) RETURNING customer_id),
     history AS (
       INSERT INTO segment_membership_changes (segment_id, customer_id, change, at)
       SELECT $2::uuid, customer_id, 'LEFT'::"SegmentChangeKind", $3::timestamptz FROM leavers)
     SELECT customer_id::text AS id FROM leavers`,
    customerIds,
    segmentId,
    at.toISOString(),
  );
  await refreshCount(tx, segmentId, at);
  return new Set(rows.map((r) => r.id));
}

async function refreshCount(tx: Tx, segmentId: string, at: Date): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE segments SET member_count = (SELECT count(*) FROM segment_memberships WHERE segment_id = $1::uuid), last_calculated_at = $2::timestamptz WHERE id = $1::uuid`,
    segmentId,
    at.toISOString(),
  );
}

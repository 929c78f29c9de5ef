// The ledger entry row for raw statements (the earn path's writes and reads), in Prisma's shape.
import type { TableShape } from '../../db/table-shape';
import type { LedgerEntry } from '../../generated/prisma/client';

export const LEDGER_ENTRY_TABLE: TableShape<LedgerEntry> = {
  table: 'loyalty_ledger',
  columns: {
    id: ['id', 'value'],
    accountId: ['account_id', 'value'],
    type: ['type', 'value'],
    points: ['points', 'value'],
    remaining: ['remaining', 'value'],
    expiresAt: ['expires_at', 'timestamp'],
    reason: ['reason', 'value'],
    orderId: ['order_id', 'value'],
    idempotencyKey: ['idempotency_key', 'value'],
    balanceAfter: ['balance_after', 'value'],
    actorId: ['actor_id', 'value'],
    createdAt: ['created_at', 'timestamp'],
    asOf: ['as_of', 'timestamp'],
    shortfall: ['shortfall', 'value'],
  },
};

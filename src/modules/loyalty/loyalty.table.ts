// The loyalty tables for raw statements and the planner (the earn path's writes and reads, the
// customer's planned account and ledger page), in Prisma's shapes.
import type { TableShape } from '../../db/table-shape';
import type { LedgerEntry, LoyaltyAccount } from '../../generated/prisma/client';

export const LOYALTY_ACCOUNT_TABLE: TableShape<LoyaltyAccount> = {
  table: 'loyalty_accounts',
  columns: {
    id: ['id', 'value'],
    customerId: ['customer_id', 'value'],
    tier: ['tier', 'value'],
    pointsBalance: ['points_balance', 'value'],
    lifetimePoints: ['lifetime_points', 'value'],
    joinedAt: ['joined_at', 'timestamp'],
    tierReviewedAt: ['tier_reviewed_at', 'timestamp'],
    updatedAt: ['updated_at', 'timestamp'],
  },
};

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

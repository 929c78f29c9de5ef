// Customer.loyalty for the planner: the customer's account as JSON, primed into loyaltyByCustomerId.
import type { LoyaltyAccount } from '../../generated/prisma/client';
import type { Relation } from '../../graphql/plan/planner';
import { decodeJsonRow, jsonRow, type TableShape } from '../../db/table-shape';

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

export const loyaltyRelation: Relation<{ id: string }> = {
  field: 'loyalty',
  parentKeys: ['id'],
  sql: (parent) =>
    `SELECT ${jsonRow(LOYALTY_ACCOUNT_TABLE, 'l')} FROM loyalty_accounts l WHERE l.customer_id = ${parent}.id`,
  prime: (loaders, parent, value) =>
    void loaders.loyaltyByCustomerId.prime(
      parent.id,
      value == null ? null : decodeJsonRow(LOYALTY_ACCOUNT_TABLE, value as unknown[]),
    ),
};

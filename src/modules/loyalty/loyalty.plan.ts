// Customer.loyalty for the planner: the customer's account as JSON, primed into
// loyaltyByCustomerId, with the first page of its ledger (LoyaltyAccount.transactions, newest
// first) and, when selected, the ledger's count, primed into ledgerPage / ledgerCountByAccountId.
// A ledger page after a cursor is left to the loader.
import type { LoyaltyAccount } from '../../generated/prisma/client';
import { decodePage, firstPageSize, pageSql, rowRelation, selects, type Relation } from '../../graphql/plan/planner';
import type { TableShape } from '../../db/table-shape';
import { ledgerPageOf } from './loyalty.loaders';
import { LEDGER_ENTRY_TABLE } from './loyalty.table';

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

export const transactionsRelation: Relation<LoyaltyAccount> = {
  field: 'transactions',
  parentKeys: ['id'],
  plan(parent, selected, params) {
    const first = firstPageSize(selected.args);
    if (first === null) return null;
    const where = `le.account_id = ${parent}.id`;
    const counted = selects(selected, 'totalCount');
    return {
      sql: pageSql(
        LEDGER_ENTRY_TABLE,
        'le',
        { where, order: 'le.created_at DESC, le.id DESC', limit: first + 1, counted },
        params,
      ),
      prime(loaders, account, value) {
        const { rows, count } = decodePage(LEDGER_ENTRY_TABLE, value);
        if (count !== null) loaders.ledgerCountByAccountId.prime(account.id, count);
        loaders.ledgerPage.prime({ accountId: account.id, first, after: null }, ledgerPageOf(rows, first));
      },
    };
  },
};

export const loyaltyRelation: Relation<{ id: string }> = rowRelation({
  field: 'loyalty',
  parentKeys: ['id'],
  shape: LOYALTY_ACCOUNT_TABLE,
  alias: 'l',
  where: (l, parent) => `${l}.customer_id = ${parent}.id`,
  relations: [transactionsRelation],
  prime: (loaders, parent, account) => void loaders.loyaltyByCustomerId.prime(parent.id, account),
});

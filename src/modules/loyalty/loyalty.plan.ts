// Customer.loyalty for the planner: the customer's account as JSON, primed into
// loyaltyByCustomerId, with the first page of its ledger (LoyaltyAccount.transactions, newest
// first) and, when selected, the ledger's count, primed into ledgerPage / ledgerCountByAccountId.
// A ledger page after a cursor is left to the loader.
import type { LedgerEntry, LoyaltyAccount } from '../../generated/prisma/client';
import { pageRelation, rowRelation, type Relation } from '../../graphql/plan/planner';
import type { AnswerShape } from '../../graphql/plan/answer';
import { globalIdSql } from '../../graphql/global-id';
import { ledgerPageOf } from './loyalty.loaders';
import { LEDGER_ENTRY_TABLE, LOYALTY_ACCOUNT_TABLE } from './loyalty.table';

export const transactionsRelation: Relation<LoyaltyAccount> = pageRelation({
  field: 'transactions',
  parentKeys: ['id'],
  type: 'LedgerEntry',
  shape: LEDGER_ENTRY_TABLE,
  alias: 'le',
  where: (le, account) => `${le}.account_id = ${account}.id`,
  order: 'le.created_at DESC, le.id DESC',
  prime(loaders, account, { rows, count }, first) {
    if (count !== null) loaders.ledgerCountByAccountId.prime(account.id, count);
    loaders.ledgerPage.prime({ accountId: account.id, first, after: null }, ledgerPageOf(rows, first));
  },
});

/** Relations of LoyaltyAccount planned (and answered) with it. */
const LOYALTY_ACCOUNT_RELATIONS: readonly Relation<LoyaltyAccount>[] = [transactionsRelation];

export const loyaltyRelation: Relation<{ id: string }> = rowRelation({
  field: 'loyalty',
  parentKeys: ['id'],
  type: 'LoyaltyAccount',
  shape: LOYALTY_ACCOUNT_TABLE,
  alias: 'l',
  where: (l, parent) => `${l}.customer_id = ${parent}.id`,
  relations: LOYALTY_ACCOUNT_RELATIONS,
  prime: (loaders, parent, account) => void loaders.loyaltyByCustomerId.prime(parent.id, account),
});

export const LOYALTY_ACCOUNT_ANSWER: AnswerShape<LoyaltyAccount> = {
  type: 'LoyaltyAccount',
  shape: LOYALTY_ACCOUNT_TABLE,
  computed: { id: (l) => globalIdSql('LoyaltyAccount', `${l}.id`) },
  relations: LOYALTY_ACCOUNT_RELATIONS,
};

export const LEDGER_ENTRY_ANSWER: AnswerShape<LedgerEntry> = {
  type: 'LedgerEntry',
  shape: LEDGER_ENTRY_TABLE,
  computed: { id: (le) => globalIdSql('LedgerEntry', `${le}.id`) },
};

// Customer.policies(first) for the planner: the first page of the customer's policies (newest
// first) and their count, as JSON, primed into policyPageByCustomerId for the unfiltered first
// page. The count comes along always, as in the loader's statement (its page answers totalCount
// without another one). A filtered page or one after a cursor is left to the loader.
import type { Policy } from '../../generated/prisma/client';
import { pageRelation, type Relation } from '../../graphql/plan/planner';
import type { AnswerShape } from '../../graphql/plan/answer';
import { globalIdSql } from '../../graphql/global-id';
import { localDateSql } from '../../shared/dates';
import type { TableShape } from '../../db/table-shape';
import { customerPolicyPage } from './policy.query';

export const POLICY_TABLE: TableShape<Policy> = {
  table: 'policies',
  columns: {
    id: ['id', 'value'],
    number: ['number', 'value'],
    customerId: ['customer_id', 'value'],
    type: ['type', 'value'],
    insurer: ['insurer', 'value'],
    productName: ['product_name', 'value'],
    status: ['status', 'value'],
    premium: ['premium', 'decimal'],
    premiumFrequency: ['premium_frequency', 'value'],
    coverageAmount: ['coverage_amount', 'decimal'],
    deductible: ['deductible', 'decimal'],
    currency: ['currency', 'value'],
    startDate: ['start_date', 'date'],
    endDate: ['end_date', 'date'],
    attributes: ['attributes', 'value'],
    cancelledAt: ['cancelled_at', 'timestamp'],
    cancellationReason: ['cancellation_reason', 'value'],
    createdAt: ['created_at', 'timestamp'],
    updatedAt: ['updated_at', 'timestamp'],
    version: ['version', 'value'],
  },
};

export const policiesRelation: Relation<{ id: string }> = pageRelation({
  field: 'policies',
  parentKeys: ['id'],
  type: 'Policy',
  shape: POLICY_TABLE,
  alias: 'p',
  where: (p, customer) => `${p}.customer_id = ${customer}.id`,
  order: 'p.created_at DESC, p.id DESC',
  alwaysCounted: true,
  planned: (args) => args.filter == null,
  prime: (loaders, customer, { rows, count }, first) =>
    loaders
      .policyPageByCustomerId({ filter: null, first, after: null })
      .prime(customer.id, customerPolicyPage(rows, count!, first, null)),
});

export const POLICY_ANSWER: AnswerShape<Policy> = {
  type: 'Policy',
  shape: POLICY_TABLE,
  computed: {
    id: (p) => globalIdSql('Policy', `${p}.id`),
    policyNumber: (p) => `${p}.number`,
    startDate: (p) => localDateSql(`${p}.start_date`),
    endDate: (p) => localDateSql(`${p}.end_date`),
  },
};

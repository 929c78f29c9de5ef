// Customer.policies(first) for the planner: the first page of the customer's policies (newest
// first) and their count, as JSON, primed into policyPageByCustomerId for the unfiltered first
// page. The count comes along always, as in the loader's statement (its page answers totalCount
// without another one). A filtered page or one after a cursor is left to the loader.
import type { Policy } from '../../generated/prisma/client';
import { decodePage, firstPageSize, pageSql, type Relation } from '../../graphql/plan/planner';
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

export const policiesRelation: Relation<{ id: string }> = {
  field: 'policies',
  parentKeys: ['id'],
  plan(parent, selected, params) {
    const first = firstPageSize(selected.args);
    if (first === null || selected.args.filter != null) return null;
    const where = `p.customer_id = ${parent}.id`;
    return {
      sql: pageSql(
        POLICY_TABLE,
        'p',
        { where, order: 'p.created_at DESC, p.id DESC', limit: first + 1, counted: true },
        params,
      ),
      prime(loaders, customer, value) {
        const { rows, count } = decodePage(POLICY_TABLE, value);
        loaders
          .policyPageByCustomerId({ filter: null, first, after: null })
          .prime(customer.id, customerPolicyPage(rows, count!, first, null));
      },
    };
  },
};

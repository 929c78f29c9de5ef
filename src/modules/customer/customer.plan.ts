// The customers table as the planner (src/graphql/plan/) sees it: columns, which columns each
// GraphQL field of Customer reads, and the relations a customer query may load in its statement.
import type { GraphQLResolveInfo } from 'graphql';
import type { Customer } from '../../generated/prisma/client';
import type { Context } from '../../graphql/context';
import { loadPlanned, type Relation } from '../../graphql/plan/planner';
import { selectionOf } from '../../graphql/plan/selection';
import type { TableShape } from '../../graphql/plan/table';
import { addressesRelation } from '../address/address.plan';
import { loyaltyRelation } from '../loyalty/loyalty.plan';
import { ordersRelation } from '../order/order.plan';

export const CUSTOMER_TABLE: TableShape<Customer> = {
  table: 'customers',
  columns: {
    id: ['id', 'value'],
    number: ['number', 'value'],
    firstName: ['first_name', 'value'],
    lastName: ['last_name', 'value'],
    email: ['email', 'value'],
    phone: ['phone', 'value'],
    birthDate: ['birth_date', 'date'],
    gender: ['gender', 'value'],
    occupation: ['occupation', 'value'],
    annualIncome: ['annual_income', 'decimal'],
    dependants: ['dependants', 'value'],
    debts: ['debts', 'decimal'],
    mortgageBalance: ['mortgage_balance', 'decimal'],
    educationCosts: ['education_costs', 'decimal'],
    type: ['type', 'value'],
    status: ['status', 'value'],
    tags: ['tags', 'value'],
    notes: ['notes', 'value'],
    prefLanguage: ['pref_language', 'value'],
    prefCurrency: ['pref_currency', 'value'],
    prefTimezone: ['pref_timezone', 'value'],
    prefChannel: ['pref_channel', 'value'],
    paperless: ['paperless', 'value'],
    autoRenewal: ['auto_renewal', 'value'],
    dataProcessingConsentAt: ['data_processing_consent_at', 'timestamp'],
    marketingConsent: ['marketing_consent', 'value'],
    marketingConsentAt: ['marketing_consent_at', 'timestamp'],
    lastContactAt: ['last_contact_at', 'timestamp'],
    lastActivityAt: ['last_activity_at', 'timestamp'],
    totalSpent: ['total_spent', 'decimal'],
    orderCount: ['order_count', 'value'],
    latePayments: ['late_payments', 'value'],
    riskScore: ['risk_score', 'value'],
    riskScoreComputedAt: ['risk_score_computed_at', 'timestamp'],
    riskScoreFactors: ['risk_score_factors', 'value'],
    ownerId: ['owner_id', 'value'],
    anonymizedAt: ['anonymized_at', 'timestamp'],
    createdAt: ['created_at', 'timestamp'],
    updatedAt: ['updated_at', 'timestamp'],
    version: ['version', 'value'],
  },
  // Fields not listed here (e.g. coverage) read the whole row.
  fields: {
    id: ['id'],
    customerNumber: ['number'],
    firstName: ['firstName'],
    lastName: ['lastName'],
    email: ['email'],
    phone: ['phone'],
    birthDate: ['birthDate'],
    age: ['birthDate'],
    gender: ['gender'],
    occupation: ['occupation'],
    annualIncome: ['annualIncome'],
    dependants: ['dependants'],
    type: ['type'],
    status: ['status'],
    tags: ['tags'],
    notes: ['notes'],
    preferences: ['prefLanguage', 'prefCurrency', 'prefTimezone', 'prefChannel', 'paperless', 'autoRenewal'],
    consent: ['dataProcessingConsentAt', 'marketingConsent', 'marketingConsentAt'],
    lastContactAt: ['lastContactAt'],
    lastActivityAt: ['lastActivityAt'],
    totalSpent: ['totalSpent'],
    orderCount: ['orderCount'],
    createdAt: ['createdAt'],
    updatedAt: ['updatedAt'],
    version: ['version'],
    owner: ['ownerId'],
    riskScore: ['riskScore', 'riskScoreComputedAt', 'riskScoreFactors'],
    addresses: ['id'],
    defaultAddress: ['id'],
    loyalty: ['id'],
    orders: ['id'],
    policies: ['id'],
    claims: ['id'],
  },
  // ownerId: agent visibility is checked on every row (CustomerService.findVisible).
  always: ['id', 'ownerId'],
};

/** Relations of Customer that a customer query loads in its own statement when selected. */
export const CUSTOMER_RELATIONS: readonly Relation<Customer>[] = [addressesRelation, loyaltyRelation, ordersRelation];

/**
 * Loads customers by id in one statement with what `info` selects below the root field (`path`
 * leads from the root field's value to the Customer, e.g. ['edges', 'node']). Rows come back in
 * the order of `ids`; visibility is the caller's (CustomerService) as for Prisma rows.
 */
export function customerLoader(ctx: Context, info: GraphQLResolveInfo, path: string[] = []): (ids: string[]) => Promise<Customer[]> {
  return async (ids) => {
    const rows = await loadPlanned({
      db: ctx.services.db,
      loaders: ctx.loaders,
      shape: CUSTOMER_TABLE,
      relations: CUSTOMER_RELATIONS,
      selection: selectionOf(info, path),
      where: (t, params) => (ids.length === 1 ? `${t}.id = ${params.add(ids[0])}::uuid` : `${t}.id = ANY(${params.add(ids)}::uuid[])`),
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };
}

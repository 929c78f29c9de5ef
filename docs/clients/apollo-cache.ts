// Apollo Client 4 cache for this API. Copy this file into your app; test/clients/ runs it
// against the real server, and checks it against schema.graphql.
import { InMemoryCache, type TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

/**
 * Every connection field of the schema, merged page by page (`fetchMore` with `after` appends).
 * The key arguments are the field's arguments other than `first`/`after`: a list per filter,
 * sort, type… Lists of different arguments are cached apart; pages of one list are merged.
 */
export const typePolicies: TypePolicies = {
  Query: {
    fields: {
      auditEntries: relayStylePagination(['filter']),
      apiKeys: relayStylePagination(false),
      customers: relayStylePagination(['filter', 'sort']),
      feedback: relayStylePagination(['filter']),
      jobRuns: relayStylePagination(['filter']),
      notifications: relayStylePagination(['filter']),
      policies: relayStylePagination(['filter']),
      renewalCandidates: relayStylePagination(['type', 'withinDays']),
      rewards: relayStylePagination(['activeOnly']),
      segments: relayStylePagination(['status']),
      webhookDeliveries: relayStylePagination(['filter']),
      webhookSubscriptions: relayStylePagination(false),
    },
  },
  Customer: {
    fields: {
      auditTrail: relayStylePagination(false),
      claims: relayStylePagination(false),
      notifications: relayStylePagination(false),
      consentHistory: relayStylePagination(false),
      orders: relayStylePagination(false),
      policies: relayStylePagination(['filter']),
    },
  },
  LoyaltyAccount: {
    fields: {
      transactions: relayStylePagination(false),
    },
  },
  Policy: {
    fields: {
      premiumPayments: relayStylePagination(false),
    },
  },
  Segment: {
    fields: {
      customers: relayStylePagination(false),
      membershipChanges: relayStylePagination(false),
    },
  },
  // Audit entries and consent changes have ids of their own but are no Node: kept in their lists.
  AuditEntry: { keyFields: false },
  ConsentChange: { keyFields: false },
  // An API key is no Node (node(id) does not fetch keys): kept inside its list or payload.
  ApiKey: { keyFields: false },
  // Per-item results of bulk mutations: their `id` echoes the ID sent and is no entity of its
  // own, so they stay inside their payload instead of being normalised.
  CustomerBulkResult: { keyFields: false },
  // A tracked event's `id` is empty when the event was a duplicate: never a cache key.
  CustomerEvent: { keyFields: false },
  // A job run's `id` is its number in job_runs, not a global Node id (runs are no Node).
  JobRun: { keyFields: false },
  PolicyBulkRenewResult: { keyFields: false },
};

/** The types implementing `Node`, so that fragments `... on Node` and `node(id)` results match. */
export const possibleTypes: Record<string, string[]> = {
  Node: ['Address', 'Claim', 'Customer', 'Feedback', 'LedgerEntry', 'LoyaltyAccount', 'Notification', 'Order', 'Policy', 'Reward', 'Segment', 'StaffUser', 'WebhookSubscription'],
};

// Every other object with an `id` (the Node types) is normalised by `__typename:id`, Apollo's
// default: the ids are global (Relay), so a customer is one cache entry wherever it appears.
export const createCache = () => new InMemoryCache({ typePolicies, possibleTypes });

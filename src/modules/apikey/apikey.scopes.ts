// The scopes of API keys and the one mapping from root fields to the scope each requires. A root
// field missing here cannot be called with an API key at all (FORBIDDEN): new queries and
// mutations are closed to keys until someone decides which scope opens them.

/** Scopes as GraphQL enum values; on the wire and in the database as "events:write" etc. */
export const API_KEY_SCOPES = [
  'EVENTS_WRITE',
  'CUSTOMERS_READ',
  'CUSTOMERS_WRITE',
  'ORDERS_READ',
  'ORDERS_WRITE',
  'LOYALTY_READ',
  'LOYALTY_WRITE',
  'POLICIES_READ',
  'FEEDBACK_READ',
  'FEEDBACK_WRITE',
  'ANALYTICS_READ',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** EVENTS_WRITE ↔ "events:write". */
export const scopeWireName = (scope: ApiKeyScope) => scope.toLowerCase().replace('_', ':');
const BY_WIRE_NAME = new Map(API_KEY_SCOPES.map((scope) => [scopeWireName(scope), scope]));
/** The scope of a stored wire name; unknown names (a scope removed since) grant nothing. */
export const scopeOfWireName = (name: string): ApiKeyScope | undefined => BY_WIRE_NAME.get(name);

/** Root field → the scope a key needs to call it. */
export const ROOT_FIELD_SCOPES: Readonly<Record<string, ApiKeyScope>> = {
  // Event ingestion: the path other systems use.
  eventTrack: 'EVENTS_WRITE',
  eventTrackBatch: 'EVENTS_WRITE',
  // Customers and their addresses.
  customer: 'CUSTOMERS_READ',
  customers: 'CUSTOMERS_READ',
  customerCreate: 'CUSTOMERS_WRITE',
  customerUpdate: 'CUSTOMERS_WRITE',
  customerChangeStatus: 'CUSTOMERS_WRITE',
  addressCreate: 'CUSTOMERS_WRITE',
  addressUpdate: 'CUSTOMERS_WRITE',
  addressDelete: 'CUSTOMERS_WRITE',
  addressSetDefault: 'CUSTOMERS_WRITE',
  // Orders.
  order: 'ORDERS_READ',
  orderRecord: 'ORDERS_WRITE',
  orderChangeStatus: 'ORDERS_WRITE',
  // Loyalty.
  rewards: 'LOYALTY_READ',
  loyaltyPointsEarn: 'LOYALTY_WRITE',
  loyaltyPointsRedeem: 'LOYALTY_WRITE',
  loyaltyRewardRedeem: 'LOYALTY_WRITE',
  // Policies and claims (read only).
  policy: 'POLICIES_READ',
  policies: 'POLICIES_READ',
  policyByNumber: 'POLICIES_READ',
  claim: 'POLICIES_READ',
  // Feedback.
  feedback: 'FEEDBACK_READ',
  feedbackSubmit: 'FEEDBACK_WRITE',
  // Analytics and segments.
  analyticsOverview: 'ANALYTICS_READ',
  cohortRetention: 'ANALYTICS_READ',
  segment: 'ANALYTICS_READ',
  segments: 'ANALYTICS_READ',
};

/** Root fields any key may send whatever its scopes (they reveal nothing of the data). */
export const KEY_PUBLIC_ROOT_FIELDS: ReadonlySet<string> = new Set(['__typename']);

import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { AddressResolver, CustomerAddressesResolver } from '../modules/address/address.resolver';
import { AuthResolver } from '../modules/auth/auth.resolver';
import { CustomerFieldsResolver } from '../modules/customer/customer.fields';
import { CustomerResolver } from '../modules/customer/customer.resolver';
import { ClaimResolver, CustomerClaimsResolver, PolicyClaimsResolver } from '../modules/claim/claim.resolver';
import {
  CustomerPoliciesResolver,
  PolicyPremiumChangeResolver,
  PolicyRenewalResolver,
  PolicyResolver,
} from '../modules/policy/policy.resolver';
import { CustomerRiskResolver } from '../modules/risk/risk.resolver';
import { CustomerCoverageResolver } from '../modules/coverage/coverage.resolver';
import { CoverageSettingsResolver } from '../modules/coverage/coverage.settings.resolver';
import {
  PolicyPremiumPaymentResolver,
  PolicyPremiumPaymentsResolver,
} from '../modules/premium-payment/premium-payment.resolver';
import { FeedbackResolver, OrderFeedbackResolver } from '../modules/feedback/feedback.resolver';
import {
  CustomerLoyaltyResolver,
  LedgerEntryResolver,
  LoyaltyAccountResolver,
  LoyaltyMutationResolver,
  LoyaltyTierChangeResolver,
  RewardRedemptionResolver,
  RewardResolver,
} from '../modules/loyalty/loyalty.resolver';
import { NodeResolver } from '../modules/node/node.resolver';
import { CustomerOrdersResolver, OrderResolver } from '../modules/order/order.resolver';
import { StaffUserResolver } from '../modules/staff/staff.resolver';
import { EventResolver } from '../modules/event/event.resolver';
import { AnalyticsOverviewResolver, CustomerAnalyticsResolver } from '../modules/analytics/analytics.resolver';
import {
  CustomerSegmentsResolver,
  SegmentMembershipChangeResolver,
  SegmentResolver,
} from '../modules/segment/segment.resolver';
import { JobResolver, JobRunResolver } from '../modules/job/job.resolver';
import {
  CustomerNotificationsResolver,
  NotificationResolver,
  WebhookDeliveryResolver,
  WebhookSubscriptionResolver,
} from '../modules/notification/notification.resolver';
import {
  ConsentChangeResolver,
  CustomerConsentHistoryResolver,
  PrivacyResolver,
} from '../modules/privacy/privacy.resolver';
import { AuditEntryResolver, CustomerAuditTrailResolver } from '../modules/audit/audit.resolver';
import { ApiKeyResolver } from '../modules/apikey/apikey.resolver';
import { stopWorkOnDisconnect } from './abort';
import { authChecker } from './auth-plugin';
import { useDirectFieldResolvers } from './direct-resolvers';
import { useDefaultResolverForPlainFields } from './simple-fields';
import { applyMaskingPolicy } from './masking';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers: NonEmptyArray<Function> = [
  AuthResolver,
  StaffUserResolver,
  CustomerResolver,
  CustomerFieldsResolver,
  CustomerAddressesResolver,
  AddressResolver,
  PolicyResolver,
  PolicyPremiumChangeResolver,
  PolicyRenewalResolver,
  CustomerPoliciesResolver,
  ClaimResolver,
  PolicyClaimsResolver,
  CustomerClaimsResolver,
  CustomerRiskResolver,
  CustomerCoverageResolver,
  CoverageSettingsResolver,
  PolicyPremiumPaymentsResolver,
  PolicyPremiumPaymentResolver,
  CustomerLoyaltyResolver,
  LoyaltyAccountResolver,
  LedgerEntryResolver,
  LoyaltyTierChangeResolver,
  RewardResolver,
  RewardRedemptionResolver,
  LoyaltyMutationResolver,
  OrderResolver,
  CustomerOrdersResolver,
  FeedbackResolver,
  OrderFeedbackResolver,
  SegmentResolver,
  SegmentMembershipChangeResolver,
  CustomerSegmentsResolver,
  EventResolver,
  CustomerAnalyticsResolver,
  AnalyticsOverviewResolver,
  JobResolver,
  JobRunResolver,
  NotificationResolver,
  CustomerNotificationsResolver,
  WebhookSubscriptionResolver,
  WebhookDeliveryResolver,
  PrivacyResolver,
  CustomerConsentHistoryResolver,
  ConsentChangeResolver,
  AuditEntryResolver,
  CustomerAuditTrailResolver,
  NodeResolver,
  ApiKeyResolver,
];

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema (built once per process; type-graphql metadata is global anyway). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  if (!built) useDefaultResolverForPlainFields();
  built ??= buildSchema({ resolvers, authChecker, validate: false })
    .then((schema) => useDirectFieldResolvers(schema, resolvers))
    .then(applyMaskingPolicy)
    .then(stopWorkOnDisconnect);
  return built;
}

/** The SDL as checked in to schema.graphql: sorted, so diffs show real changes only. */
export async function schemaSDL(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}

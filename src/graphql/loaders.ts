import type { Database } from '../db/client';
import { createAddressLoaders } from '../modules/address/address.loaders';
import { createCustomerLoaders } from '../modules/customer/customer.loaders';
import { createClaimLoaders } from '../modules/claim/claim.loaders';
import { createPolicyLoaders } from '../modules/policy/policy.loaders';
import { createFeedbackLoaders } from '../modules/feedback/feedback.loaders';
import { createOrderLoaders } from '../modules/order/order.loaders';
import { createLoyaltyLoaders } from '../modules/loyalty/loyalty.loaders';
import { createStaffLoaders } from '../modules/staff/staff.loaders';
import { createSegmentLoaders } from '../modules/segment/segment.loaders';
import { createAnalyticsLoaders } from '../modules/analytics/analytics.loaders';
import { createPrivacyLoaders } from '../modules/privacy/privacy.loaders';
import { createAuditLoaders } from '../modules/audit/audit.loaders';

/** Every DataLoader of the API, created fresh for each request. */
export function createLoaders(db: Database) {
  return {
    ...createCustomerLoaders(db.prisma),
    ...createAddressLoaders(db.prisma),
    ...createPolicyLoaders(db.prisma),
    ...createClaimLoaders(db.prisma),
    ...createStaffLoaders(db.prisma),
    ...createLoyaltyLoaders(db.prisma),
    ...createOrderLoaders(db.prisma),
    ...createFeedbackLoaders(db.prisma),
    ...createSegmentLoaders(db.prisma),
    ...createAnalyticsLoaders(db.prisma),
    ...createPrivacyLoaders(db.prisma),
    ...createAuditLoaders(db.prisma),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

import type { AuthComponents } from './auth/setup';
import type { Database } from './db/client';
import { AddressService } from './modules/address/address.service';
import { AuthService } from './modules/auth/auth.service';
import { CustomerService } from './modules/customer/customer.service';
import { LoyaltyService } from './modules/loyalty/loyalty.service';
import { RewardService } from './modules/loyalty/reward.service';
import { ClaimService } from './modules/claim/claim.service';
import { PolicyService } from './modules/policy/policy.service';
import { RiskService } from './modules/risk/risk.service';
import { FeedbackService } from './modules/feedback/feedback.service';
import { OrderService } from './modules/order/order.service';
import { StaffService } from './modules/staff/staff.service';
import { SegmentService } from './modules/segment/segment.service';
import { EventService } from './modules/event/event.service';
import { AnalyticsService } from './modules/analytics/analytics.service';
import { OverviewService } from './modules/analytics/analytics.overview';
import { fromGlobalId } from './graphql/relay';
import { ApiKeyService } from './modules/apikey/apikey.service';

/** The composition root: one instance of each service per process (they hold no request state). */
export function createServices(db: Database, authParts: Pick<AuthComponents, 'keys' | 'throttle' | 'directory'>) {
  return {
    db,
    auth: new AuthService(db.prisma, authParts.keys, authParts.throttle, authParts.directory),
    staff: new StaffService(db.prisma, authParts.directory),
    customers: new CustomerService(db.prisma),
    addresses: new AddressService(db.prisma),
    loyalty: new LoyaltyService(db.prisma),
    rewards: new RewardService(db.prisma),
    policies: new PolicyService(db.prisma),
    claims: new ClaimService(db.prisma),
    risk: new RiskService(db.prisma),
    orders: new OrderService(db.prisma),
    feedback: new FeedbackService(db.prisma),
    segments: new SegmentService(db.prisma, (type, id) => fromGlobalId(id, type)?.id ?? null),
    analytics: new AnalyticsService(db.prisma),
    overview: new OverviewService(db.prisma),
    events: new EventService(db.prisma, (id) => fromGlobalId(id, 'Customer')?.id ?? null),
    apiKeys: new ApiKeyService(db.prisma),
  };
}

export type Services = ReturnType<typeof createServices>;

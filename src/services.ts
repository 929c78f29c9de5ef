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
import { CoverageSettingsService } from './modules/coverage/coverage.settings.service';
import { PremiumPaymentService } from './modules/premium-payment/premium-payment.service';
import { JobRunner, type JobRunnerOptions } from './modules/job/job.runner';
import { JobService } from './modules/job/job.service';
import { NotificationService } from './modules/notification/notification.service';
import {
  notificationDeliveryDeps,
  type NotificationDeliveryDeps,
} from './modules/notification/notification.dispatcher';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { WebhookService } from './modules/notification/webhook.service';
import { PrivacyService } from './modules/privacy/privacy.service';
import { AuditService } from './modules/audit/audit.service';
import { ApiKeyService } from './modules/apikey/apikey.service';

/** The composition root: one instance of each service per process (they hold no request state). */
export function createServices(
  db: Database,
  authParts: Pick<AuthComponents, 'keys' | 'throttle' | 'directory'>,
  jobOptions: JobRunnerOptions & { notificationDelivery?: Omit<NotificationDeliveryDeps, 'now'> } = {},
) {
  const services = {
    db,
    auth: new AuthService(db.prisma, authParts.keys, authParts.throttle, authParts.directory),
    staff: new StaffService(db.prisma, authParts.directory),
    customers: new CustomerService(db.prisma, db.transaction),
    addresses: new AddressService(db.prisma),
    loyalty: new LoyaltyService(db.prisma, db.transaction),
    rewards: new RewardService(db.prisma),
    policies: new PolicyService(db.prisma),
    claims: new ClaimService(db.prisma),
    risk: new RiskService(db.prisma),
    orders: new OrderService(db.prisma),
    feedback: new FeedbackService(db.prisma),
    segments: new SegmentService(db.prisma, (type, id) => fromGlobalId(id, type)?.id ?? null),
    analytics: new AnalyticsService(db.prisma),
    overview: new OverviewService(db.reports),
    events: new EventService(db, (id) => fromGlobalId(id, 'Customer')?.id ?? null),
    coverageSettings: new CoverageSettingsService(db.prisma),
    premiumPayments: new PremiumPaymentService(db.prisma),
    notifications: new NotificationService(db.prisma),
    webhooks: new WebhookService(db.prisma),
    privacy: new PrivacyService(db.prisma),
    audit: new AuditService(db.prisma),
    apiKeys: new ApiKeyService(db.prisma),
  };
  // The scheduled jobs use the services above (src/modules/job/job.registry.ts).
  // Without settings (tests that build services alone): the defaults, which log messages instead of sending them.
  const notificationDelivery =
    jobOptions.notificationDelivery ??
    notificationDeliveryDeps(loadConfig({ NODE_ENV: 'test' }).notifications, db.prisma, createLogger('silent'));
  const jobs = new JobService(
    db.prisma,
    new JobRunner(db.prisma, { prisma: db.prisma, ...services, notificationDelivery }, jobOptions),
  );
  return { ...services, jobs };
}

export type Services = ReturnType<typeof createServices>;

import type { Database, PrismaClient } from '../db/client';
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
import { createCoverageLoaders } from '../modules/coverage/coverage.loaders';
import { createPremiumPaymentLoaders } from '../modules/premium-payment/premium-payment.loaders';
import { createNotificationLoaders } from '../modules/notification/notification.loaders';
import { createPrivacyLoaders } from '../modules/privacy/privacy.loaders';
import { createAuditLoaders } from '../modules/audit/audit.loaders';

const modules = [
  createCustomerLoaders,
  createAddressLoaders,
  createPolicyLoaders,
  createClaimLoaders,
  createStaffLoaders,
  createLoyaltyLoaders,
  createOrderLoaders,
  createFeedbackLoaders,
  createSegmentLoaders,
  createAnalyticsLoaders,
  createCoverageLoaders,
  createPremiumPaymentLoaders,
  createNotificationLoaders,
  createPrivacyLoaders,
  createAuditLoaders,
] as const;

type Union = ReturnType<(typeof modules)[number]>;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every DataLoader of the API. */
export type Loaders = Intersection<Union>;

interface LoaderState {
  prisma: PrismaClient;
  /** A module's loaders, created on its first use in the request. */
  made: (Record<string, unknown> | undefined)[];
}

/**
 * Getters shared by every request's loaders: a module's loaders are created when the request
 * first uses one of them (a request touches one or two modules of ten, and creating ~40
 * DataLoaders per request showed in the profile of the cheapest queries). Built on first use,
 * when the loader names of each module are read from one throw-away instance.
 */
let prototype: object | undefined;
function loadersPrototype(prisma: PrismaClient): object {
  if (prototype) return prototype;
  const proto = {};
  modules.forEach((create, index) => {
    for (const name of Object.keys(create(prisma))) {
      Object.defineProperty(proto, name, {
        enumerable: true,
        get(this: { state: LoaderState }) {
          const { state } = this;
          let made = state.made[index];
          if (!made) {
            made = create(state.prisma) as Record<string, unknown>;
            state.made[index] = made;
          }
          return made[name];
        },
      });
    }
  });
  prototype = proto;
  return proto;
}

/** Every DataLoader of the API, new for each request (created lazily, per module, on first use). */
export function createLoaders(db: Database): Loaders {
  const loaders = Object.create(loadersPrototype(db.prisma)) as { state: LoaderState };
  loaders.state = { prisma: db.prisma, made: [] };
  return loaders as unknown as Loaders;
}

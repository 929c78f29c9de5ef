// One fixture factory per Node type, for the tests that walk every Node type of the schema
// (test/auth/node-visibility.test.ts, test/auth/mutation-guards.test.ts). A Node type added to the
// schema without a factory here makes those tests fail, so no type is skipped silently.
import { randomUUID } from 'node:crypto';
import { toGlobalId, type NodeType } from '../../src/graphql/relay';
import { insertFeedback } from '../feedback/feedback.seed';
import { insertPolicy } from '../policy/policy.documents';
import { insertCustomer } from './factories';
import type { TestServer } from './server';

/** Who may see a node: staff who may see its customer (agents: their own), every staff member, or ADMIN only. */
export type NodeScope = 'customer' | 'everyone' | 'admin';

export interface NodeFixture {
  scope: NodeScope;
  /** Creates one object of the type belonging to a customer owned by `ownerId`; returns its global ID. */
  create(server: TestServer, ownerId: string): Promise<string>;
}

const customerOf = (server: TestServer, ownerId: string) => insertCustomer(server.db, { ownerId });
const accountOf = (server: TestServer, customerId: string) =>
  server.db.prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId } });

export const NODE_FIXTURES: Partial<Record<NodeType, NodeFixture>> = {
  Customer: { scope: 'customer', create: async (server, ownerId) => (await customerOf(server, ownerId)).globalId },
  Address: {
    scope: 'customer',
    create: async (server, ownerId) => {
      const customer = await customerOf(server, ownerId);
      return toGlobalId(
        'Address',
        (await server.db.prisma.address.findFirstOrThrow({ where: { customerId: customer.id } })).id,
      );
    },
  },
  LoyaltyAccount: {
    scope: 'customer',
    create: async (server, ownerId) =>
      toGlobalId('LoyaltyAccount', (await accountOf(server, (await customerOf(server, ownerId)).id)).id),
  },
  LedgerEntry: {
    scope: 'customer',
    create: async (server, ownerId) => {
      const account = await accountOf(server, (await customerOf(server, ownerId)).id);
      const expiresAt = new Date(Date.now() + 300 * 86_400_000);
      const entry = await server.db.prisma.ledgerEntry.create({
        data: {
          accountId: account.id,
          type: 'EARN',
          points: 10,
          remaining: 10,
          expiresAt,
          balanceAfter: 10,
          reason: 'Fixture',
        },
      });
      await server.db.prisma.loyaltyAccount.update({
        where: { id: account.id },
        data: { pointsBalance: 10, lifetimePoints: 10 },
      });
      return toGlobalId('LedgerEntry', entry.id);
    },
  },
  Order: {
    scope: 'customer',
    create: async (server, ownerId) => {
      const customer = await customerOf(server, ownerId);
      const order = await server.db.prisma.order.create({
        data: {
          number: `NODE-${randomUUID()}`,
          customerId: customer.id,
          total: '10.00',
          currency: 'EUR',
          placedAt: new Date(),
        },
      });
      return toGlobalId('Order', order.id);
    },
  },
  Feedback: {
    scope: 'customer',
    create: async (server, ownerId) =>
      (await insertFeedback(server.db, (await customerOf(server, ownerId)).id)).globalId,
  },
  Policy: {
    scope: 'customer',
    create: async (server, ownerId) => (await insertPolicy(server.db, (await customerOf(server, ownerId)).id)).globalId,
  },
  Claim: {
    scope: 'customer',
    create: async (server, ownerId) => {
      const policy = await insertPolicy(server.db, (await customerOf(server, ownerId)).id);
      return toGlobalId(
        'Claim',
        (
          await server.db.prisma.claim.create({
            data: { policyId: policy.id, amount: '100.00', description: 'Fixture' },
          })
        ).id,
      );
    },
  },
  // The staff directory, the reward catalogue and segments are not customer data: every staff member reads them.
  StaffUser: { scope: 'everyone', create: async (server) => toGlobalId('StaffUser', server.staffIds.manager) },
  Reward: {
    scope: 'everyone',
    create: async (server) =>
      toGlobalId(
        'Reward',
        (await server.db.prisma.reward.create({ data: { name: `Fixture ${randomUUID()}`, pointsCost: 100 } })).id,
      ),
  },
  Notification: {
    scope: 'customer',
    create: async (server, ownerId) => {
      const customer = await customerOf(server, ownerId);
      const n = await server.db.prisma.notification.create({
        data: { type: 'WELCOME', customerId: customer.id, payload: { customerNumber: customer.number } },
      });
      return toGlobalId('Notification', n.id);
    },
  },
  // Webhook configuration: ADMIN only.
  WebhookSubscription: {
    scope: 'admin',
    create: async (server) =>
      toGlobalId(
        'WebhookSubscription',
        (
          await server.db.prisma.webhookSubscription.create({
            data: { url: 'https://hooks.example.com/fixture', eventTypes: ['WELCOME'], secret: 'whsec_fixture' },
          })
        ).id,
      ),
  },
  Segment: {
    scope: 'everyone',
    create: async (server) =>
      toGlobalId(
        'Segment',
        (await server.db.prisma.segment.create({ data: { name: `Fixture ${randomUUID()}`, criteria: { all: [] } } }))
          .id,
      ),
  },
};

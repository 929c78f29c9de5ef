import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ownerScope } from '../../auth/actor';
import { actorOf, type Context } from '../../graphql/context';
import { fromGlobalId, Node, type NodeType } from '../../graphql/relay';
import { DomainError } from '../../shared/domain-error';

export const MAX_NODES = 100;

/** Marks a row with its GraphQL type so the Node interface can resolve it. */
export const NODE_TYPE = Symbol.for('nodeType');

/**
 * How to fetch each node type (through the request's loaders) and, for customer data, whose
 * customer it belongs to: agents see a node only when they own that customer.
 */
interface NodeFinder {
  load(ctx: Context, id: string): Promise<object | null>;
  /** The owning customer's id; absent for types anyone may read (staff, rewards). */
  customerOf?(ctx: Context, row: never): Promise<string | null | undefined>;
}

const finder = <R extends object>(f: {
  load(ctx: Context, id: string): Promise<R | null>;
  customerOf?(ctx: Context, row: R): Promise<string | null | undefined>;
}) => f as NodeFinder;

const FINDERS: Partial<Record<NodeType, NodeFinder>> = {
  Customer: finder({ load: (ctx, id) => ctx.loaders.customerById.load(id), customerOf: async (_, c) => c.id }),
  Address: finder({ load: (ctx, id) => ctx.loaders.addressById.load(id), customerOf: async (_, a) => a.customerId }),
  Policy: finder({ load: (ctx, id) => ctx.loaders.policyById.load(id), customerOf: async (_, p) => p.customerId }),
  Claim: finder({
    load: (ctx, id) => ctx.loaders.claimById.load(id),
    customerOf: async (ctx, c) => (await ctx.loaders.policyById.load(c.policyId))?.customerId,
  }),
  LoyaltyAccount: finder({
    load: (ctx, id) => ctx.loaders.loyaltyById.load(id),
    customerOf: async (_, a) => a.customerId,
  }),
  LedgerEntry: finder({
    load: (ctx, id) => ctx.loaders.ledgerEntryById.load(id),
    customerOf: async (ctx, e) => (await ctx.loaders.loyaltyById.load(e.accountId))?.customerId,
  }),
  Order: finder({ load: (ctx, id) => ctx.loaders.orderById.load(id), customerOf: async (_, o) => o.customerId }),
  Feedback: finder({ load: (ctx, id) => ctx.loaders.feedbackById.load(id), customerOf: async (_, f) => f.customerId }),
  StaffUser: finder({ load: (ctx, id) => ctx.loaders.staffById.load(id) }),
  Reward: finder({ load: (ctx, id) => ctx.loaders.rewardById.load(id) }),
  // Segments are readable by every role; their members are filtered by visibility.
  Segment: finder({ load: (ctx, id) => ctx.loaders.segmentById.load(id) }),
  // A customer's notification follows its customer; a staff notification (no customer) is for
  // everyone but agents, who see their own customers' notifications only.
  Notification: finder({
    load: async (ctx, id) => {
      const n = await ctx.loaders.notificationById.load(id);
      const scope = ownerScope(actorOf(ctx));
      if (!n || !scope) return n;
      const customer = n.customerId ? await ctx.loaders.customerById.load(n.customerId) : null;
      return customer?.ownerId === scope ? n : null;
    },
  }),
  // Webhook configuration is ADMIN's alone.
  WebhookSubscription: finder({
    load: async (ctx, id) => (actorOf(ctx).role === 'ADMIN' ? ctx.loaders.webhookSubscriptionById.load(id) : null),
  }),
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: 'Refetches any object by its global ID; null when unknown or not visible to you.',
  })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return this.load(id, ctx);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: `Refetches up to ${MAX_NODES} objects by global ID, in the order given; more is an error.`,
  })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Context) {
    if (ids.length > MAX_NODES)
      throw new DomainError('LIMIT_EXCEEDED', `At most ${MAX_NODES} ids at once (got ${ids.length})`, ['ids']);
    return Promise.all(ids.map((id) => this.load(id, ctx)));
  }

  private async load(globalId: string, ctx: Context): Promise<object | null> {
    const decoded = fromGlobalId(globalId);
    const find = decoded && Object.hasOwn(FINDERS, decoded.type) ? FINDERS[decoded.type] : undefined;
    if (!decoded || !find) return null;
    const row = await find.load(ctx, decoded.id);
    if (!row) return null;
    if (find.customerOf) {
      const customerId = await find.customerOf(ctx, row as never);
      const customer = customerId ? await ctx.loaders.customerById.load(customerId) : null;
      const scope = ownerScope(actorOf(ctx));
      if (!customer || (scope && customer.ownerId !== scope)) return null;
    }
    return Object.assign(row, { [NODE_TYPE]: decoded.type });
  }
}

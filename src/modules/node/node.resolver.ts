import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ownerScope } from '../../auth/actor';
import { actorOf, type Context } from '../../graphql/context';
import { fromGlobalId, Node, type NodeType } from '../../graphql/relay';

/** Marks a row with its GraphQL type so the Node interface can resolve it. */
export const NODE_TYPE = Symbol.for('nodeType');
const tag = <T extends object>(row: T | null, type: NodeType) => (row ? Object.assign(row, { [NODE_TYPE]: type }) : null);

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Refetches any object by its global ID; null when unknown or not visible to you.' })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return this.load(id, ctx);
  }

  @Query(() => [Node], { nullable: 'items', description: 'Refetches up to 100 objects by global ID, in the order given.' })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Context) {
    return Promise.all(ids.slice(0, 100).map((id) => this.load(id, ctx)));
  }

  private async load(globalId: string, ctx: Context): Promise<object | null> {
    const decoded = fromGlobalId(globalId);
    if (!decoded) return null;
    const scope = ownerScope(actorOf(ctx));
    const visible = async (customerId: string) => {
      const customer = await ctx.loaders.customerById.load(customerId);
      return Boolean(customer) && (!scope || customer!.ownerId === scope);
    };
    switch (decoded.type) {
      case 'Customer':
        return (await visible(decoded.id)) ? tag(await ctx.loaders.customerById.load(decoded.id), 'Customer') : null;
      case 'Address': {
        const address = await ctx.loaders.addressById.load(decoded.id);
        return address && (await visible(address.customerId)) ? tag(address, 'Address') : null;
      }
      case 'Policy': {
        const policy = await ctx.loaders.policyById.load(decoded.id);
        return policy && (await visible(policy.customerId)) ? tag(policy, 'Policy') : null;
      }
      case 'Claim': {
        const claim = await ctx.loaders.claimById.load(decoded.id);
        const policy = claim && (await ctx.loaders.policyById.load(claim.policyId));
        return claim && policy && (await visible(policy.customerId)) ? tag(claim, 'Claim') : null;
      }
      case 'StaffUser':
        return tag(await ctx.loaders.staffById.load(decoded.id), 'StaffUser');
      case 'LoyaltyAccount': {
        const account = await ctx.loaders.loyaltyById.load(decoded.id);
        return account && (await visible(account.customerId)) ? tag(account, 'LoyaltyAccount') : null;
      }
      case 'LedgerEntry': {
        const entry = await ctx.loaders.ledgerEntryById.load(decoded.id);
        const account = entry && (await ctx.loaders.loyaltyById.load(entry.accountId));
        return entry && account && (await visible(account.customerId)) ? tag(entry, 'LedgerEntry') : null;
      }
      case 'Reward':
        return tag(await ctx.loaders.rewardById.load(decoded.id), 'Reward');
      case 'Order': {
        const order = await ctx.loaders.orderById.load(decoded.id);
        return order && (await visible(order.customerId)) ? tag(order, 'Order') : null;
      }
      case 'Feedback': {
        const feedback = await ctx.loaders.feedbackById.load(decoded.id);
        return feedback && (await visible(feedback.customerId)) ? tag(feedback, 'Feedback') : null;
      }
      default:
        return null;
    }
  }
}

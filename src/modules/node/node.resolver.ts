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
      case 'StaffUser':
        return tag(await ctx.loaders.staffById.load(decoded.id), 'StaffUser');
      default:
        return null;
    }
  }
}

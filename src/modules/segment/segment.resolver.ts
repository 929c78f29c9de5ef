import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ownerScope, SUPERVISOR_ROLES } from '../../auth/actor';
import type { Customer as CustomerRow, Segment as SegmentRow } from '../../generated/prisma/client';
import { SegmentStatus } from '../../generated/prisma/enums';
import { actorOf, type Context } from '../../graphql/context';
import { payload } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, decodeId, fromGlobalId, toConnection, toGlobalId } from '../../graphql/relay';
import { pageSize } from '../../shared/pagination';
import { Customer } from '../customer/customer.type';
import { SegmentCreateInput, SegmentCriteriaInput, SegmentUpdateInput } from './segment.input';
import { parseSegmentCursor, type ChangeRef, type SegmentPageKey } from './segment.loaders';
import {
  SegmentDeletePayload,
  SegmentMembersPayload,
  SegmentPayload,
  SegmentRecalculateAllPayload,
  SegmentRecalculatePayload,
} from './segment.payload';
import { Segment, SegmentMembershipChange, SegmentPreview } from './segment.type';

export const SegmentConnection = connectionOf(Segment, 'Segment');
const SegmentMemberConnection = connectionOf(Customer, 'SegmentMember');
const SegmentMembershipChangeConnection = connectionOf(SegmentMembershipChange, 'SegmentMembershipChange');

const pageKey = (ctx: Context, segmentId: string, page: ConnectionArgs, kind: 'member' | 'change'): SegmentPageKey => ({
  segmentId,
  ownerId: ownerScope(actorOf(ctx)) ?? null,
  first: pageSize(page),
  after: page.after ? parseSegmentCursor(page.after, kind) : null,
});
const decodeIds = (ids: string[]) => ids.map((id) => fromGlobalId(id, 'Customer')?.id ?? null);

@Resolver(() => Segment)
export class SegmentResolver {
  @FieldResolver(() => ID)
  id(@Root() s: SegmentRow): string {
    return toGlobalId('Segment', s.id);
  }

  @FieldResolver(() => SegmentMemberConnection, {
    description: 'Current members (stored membership) you may see, by customer ID.',
  })
  async customers(@Root() s: SegmentRow, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: Context) {
    const members = await ctx.loaders.segmentMembersPage.load(pageKey(ctx, s.id, page, 'member'));
    const customers = await ctx.loaders.customerById.loadMany(members.items.map((m) => m.node.customerId));
    return toConnection({ ...members, items: members.items.map((m, i) => ({ node: customers[i], cursor: m.cursor })) });
  }

  @FieldResolver(() => SegmentMembershipChangeConnection, {
    description: 'Joins and leaves of customers you may see, newest first.',
  })
  async membershipChanges(
    @Root() s: SegmentRow,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await ctx.loaders.segmentChangesPage.load(pageKey(ctx, s.id, page, 'change')));
  }

  @Query(() => Segment, { nullable: true, description: 'A segment by global ID; null when unknown.' })
  segment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const decoded = fromGlobalId(id, 'Segment');
    return decoded ? ctx.loaders.segmentById.load(decoded.id) : null;
  }

  @Query(() => SegmentConnection, { description: 'Segments by name.' })
  async segments(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('status', () => SegmentStatus, { nullable: true, description: 'Only segments in this status.' })
    status: SegmentStatus | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await ctx.services.segments.list({ ...page, status }));
  }

  @Query(() => SegmentPreview, {
    description:
      'The customers (visible to you) a rule tree matches now: the count and the first ones, without saving. Invalid criteria are a BAD_USER_INPUT error naming the part.',
  })
  async segmentPreview(
    @Arg('criteria', () => SegmentCriteriaInput) criteria: SegmentCriteriaInput,
    @Arg('first', () => Int, { nullable: true, description: 'How many customers to return, 1 to 100 (default 20).' })
    first: number | null,
    @Ctx() ctx: Context,
  ): Promise<SegmentPreview> {
    return ctx.services.segments.preview(actorOf(ctx), criteria, pageSize({ first }));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => SegmentPayload, {
    description: 'Creates a segment (MANAGER/ADMIN); a DYNAMIC one is calculated at once.',
  })
  segmentCreate(
    @Arg('input', () => SegmentCreateInput) input: SegmentCreateInput,
    @Ctx() ctx: Context,
  ): Promise<SegmentPayload> {
    return payload(async () => ({ segment: await ctx.services.segments.create(actorOf(ctx), input) }));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => SegmentPayload, {
    description:
      'Renames, describes, re-targets or pauses a segment (MANAGER/ADMIN); new criteria recalculate it at once.',
  })
  segmentUpdate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => SegmentUpdateInput) input: SegmentUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<SegmentPayload> {
    return payload(async () => ({
      segment: await ctx.services.segments.update(actorOf(ctx), decodeId(id, 'Segment', ['id']), input),
    }));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => SegmentPayload, {
    description: 'Archives a segment: it keeps its members and history but is no longer recalculated.',
  })
  segmentArchive(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SegmentPayload> {
    return payload(async () => ({
      segment: await ctx.services.segments.archive(actorOf(ctx), decodeId(id, 'Segment', ['id'])),
    }));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => SegmentDeletePayload, {
    description: 'Deletes a segment with its membership and history; refused while another segment refers to it.',
  })
  segmentDelete(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SegmentDeletePayload> {
    return payload(async () => {
      const deleted = await ctx.services.segments.delete(actorOf(ctx), decodeId(id, 'Segment', ['id']));
      return { deletedSegmentId: toGlobalId('Segment', deleted.id) };
    });
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => SegmentRecalculatePayload, {
    description: 'Recalculates a DYNAMIC segment now, recording who joined and who left.',
  })
  segmentRecalculate(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<SegmentRecalculatePayload> {
    return payload(async () => {
      const { segment, result } = await ctx.services.segments.recalculate(
        actorOf(ctx),
        decodeId(id, 'Segment', ['id']),
      );
      return { segment, recalculation: result };
    });
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => SegmentRecalculateAllPayload, {
    description: 'Recalculates every ACTIVE DYNAMIC segment, referenced segments first.',
  })
  segmentRecalculateAll(@Ctx() ctx: Context): Promise<SegmentRecalculateAllPayload> {
    return payload(async () => ({ recalculated: await ctx.services.segments.recalculateAll(actorOf(ctx)) }));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => SegmentMembersPayload, {
    description:
      'Adds 1 to 1,000 customers to a STATIC segment; per-customer results (already a member counts as success).',
  })
  segmentMembersAdd(
    @Arg('id', () => ID) id: string,
    @Arg('customerIds', () => [ID]) customerIds: string[],
    @Ctx() ctx: Context,
  ): Promise<SegmentMembersPayload> {
    return this.members(ctx, id, customerIds, 'add');
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => SegmentMembersPayload, {
    description: 'Removes 1 to 1,000 customers from a STATIC segment; per-customer results.',
  })
  segmentMembersRemove(
    @Arg('id', () => ID) id: string,
    @Arg('customerIds', () => [ID]) customerIds: string[],
    @Ctx() ctx: Context,
  ): Promise<SegmentMembersPayload> {
    return this.members(ctx, id, customerIds, 'remove');
  }

  private members(
    ctx: Context,
    id: string,
    customerIds: string[],
    how: 'add' | 'remove',
  ): Promise<SegmentMembersPayload> {
    return payload(async () => {
      const segmentId = decodeId(id, 'Segment', ['id']);
      const service = ctx.services.segments;
      const results = await (how === 'add' ? service.addMembers : service.removeMembers).call(
        service,
        actorOf(ctx),
        segmentId,
        decodeIds(customerIds),
      );
      return {
        segment: await ctx.services.segments.get(segmentId),
        results: results.map((r, i) => ({
          customerId: customerIds[i],
          success: r.ok,
          customer: r.ok ? ctx.loaders.customerById.load(r.customerId) : null,
          userErrors: r.issue ? [r.issue] : [],
        })),
      };
    });
  }
}

@Resolver(() => SegmentMembershipChange)
export class SegmentMembershipChangeResolver {
  @FieldResolver(() => Customer, { description: 'The customer who joined or left.' })
  customer(@Root() c: ChangeRef, @Ctx() ctx: Context) {
    return ctx.loaders.customerById.load(c.customerId);
  }
}

/** Customer.segments from the stored membership, batched for a whole list. */
@Resolver(() => Customer)
export class CustomerSegmentsResolver {
  @FieldResolver(() => [Segment], {
    description: 'Segments the customer is a member of now (archived ones left out), by name.',
  })
  segments(@Root() c: CustomerRow, @Ctx() ctx: Context) {
    return ctx.loaders.segmentsByCustomerId.load(c.id);
  }
}

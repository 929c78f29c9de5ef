import { Arg, Authorized, Ctx, Field, FieldResolver, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { WRITER_ROLES } from '../../auth/actor';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload, UserError } from '../../graphql/payload';
import { Customer } from '../customer/customer.type';
import { EventTrackInput } from './event.input';
import type { TrackedEvent, TrackResult } from './event.service';
import { CustomerEvent } from './event.type';

@ObjectType({ description: 'Result of eventTrack.' })
class EventTrackPayload extends Payload {
  @Field(() => CustomerEvent, { nullable: true }) event?: unknown;
  @Field(() => Boolean, {
    nullable: true,
    description: 'True when an event with this eventId was already tracked (nothing stored again).',
  })
  duplicate?: boolean | null;
}

@ObjectType({ description: 'Outcome of one event of a batch.' })
class EventTrackResult {
  @Field(() => Int, { description: 'Position in the batch, from 0.' }) index!: number;
  @Field(() => Boolean, { description: 'Stored now, or already stored before (duplicate).' }) success!: boolean;
  @Field(() => Boolean) duplicate!: boolean;
  @Field(() => CustomerEvent, { nullable: true }) event?: unknown;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ description: 'Per-event results of eventTrackBatch; a bad event never loses the good ones.' })
class EventTrackBatchPayload extends Payload {
  @Field(() => [EventTrackResult], { nullable: true }) results?: EventTrackResult[];
  @Field(() => Int, { nullable: true, description: 'Events stored now.' }) stored?: number;
  @Field(() => Int, { nullable: true, description: 'Events already stored before (same eventId).' })
  duplicates?: number;
  @Field(() => Int, { nullable: true }) failed?: number;
}

const toEvent = (e: TrackedEvent) => ({ ...e, properties: e.data });

@Resolver(() => CustomerEvent)
export class EventResolver {
  @FieldResolver(() => Customer, { description: 'Who did it.' })
  customer(@Root() e: TrackedEvent, @Ctx() ctx: Context) {
    return ctx.loaders.customerById.load(e.customerId);
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => EventTrackPayload, {
    description: "Tracks one customer event (agents: their customers) and moves the customer's last activity forward.",
  })
  eventTrack(
    @Arg('input', () => EventTrackInput) input: EventTrackInput,
    @Ctx() ctx: Context,
  ): Promise<EventTrackPayload> {
    return payload(async () => {
      const result = await ctx.services.events.track(actorOf(ctx), input);
      return { event: result.event && toEvent(result.event), duplicate: result.duplicate };
    });
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => EventTrackBatchPayload, {
    description: 'Tracks 1 to 1,000 events in one set-based write, with a result per event.',
  })
  eventTrackBatch(
    @Arg('events', () => [EventTrackInput]) events: EventTrackInput[],
    @Ctx() ctx: Context,
  ): Promise<EventTrackBatchPayload> {
    return payload(async () => {
      const results: TrackResult[] = await ctx.services.events.trackBatch(actorOf(ctx), events);
      return {
        results: results.map((r, index) => ({
          index,
          success: r.issues.length === 0,
          duplicate: r.duplicate,
          event: r.event && toEvent(r.event),
          userErrors: r.issues,
        })),
        stored: results.filter((r) => r.issues.length === 0 && !r.duplicate).length,
        duplicates: results.filter((r) => r.duplicate).length,
        failed: results.filter((r) => r.issues.length > 0).length,
      };
    });
  }
}

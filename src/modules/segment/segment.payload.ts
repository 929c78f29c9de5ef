import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Payload, UserError } from '../../graphql/payload';
import { Customer } from '../customer/customer.type';
import { Segment, SegmentRecalculation } from './segment.type';

@ObjectType({ description: 'Result of a mutation on one segment.' })
export class SegmentPayload extends Payload {
  @Field(() => Segment, { nullable: true }) segment?: unknown;
}

@ObjectType({ description: 'Result of segmentDelete.' })
export class SegmentDeletePayload extends Payload {
  @Field(() => ID, { nullable: true, description: 'Global ID of the deleted segment.' }) deletedSegmentId?:
    | string
    | null;
}

@ObjectType({ description: 'Result of segmentRecalculate.' })
export class SegmentRecalculatePayload extends Payload {
  @Field(() => Segment, { nullable: true }) segment?: unknown;
  @Field(() => SegmentRecalculation, { nullable: true, description: 'Who joined and left.' })
  recalculation?: SegmentRecalculation | null;
}

@ObjectType({ description: 'Result of segmentRecalculateAll.' })
export class SegmentRecalculateAllPayload extends Payload {
  @Field(() => Int, {
    nullable: true,
    description: 'Segments recalculated (ones another instance was recalculating are skipped).',
  })
  recalculated?: number | null;
}

@ObjectType({ description: 'Outcome for one customer of a bulk membership change.' })
export class SegmentMemberResult {
  @Field(() => ID, { description: 'The ID as it was sent.' }) customerId!: string;
  @Field(() => Boolean) success!: boolean;
  @Field(() => Customer, { nullable: true }) customer?: unknown;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({
  description:
    'Per-customer results of segmentMembersAdd / segmentMembersRemove; one failure does not undo the others.',
})
export class SegmentMembersPayload extends Payload {
  @Field(() => Segment, { nullable: true }) segment?: unknown;
  @Field(() => [SegmentMemberResult], { nullable: true }) results?: SegmentMemberResult[];
}

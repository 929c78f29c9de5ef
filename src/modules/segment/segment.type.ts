import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SegmentChangeKind, SegmentKind, SegmentStatus } from '../../generated/prisma/enums';
import { Node } from '../../graphql/relay';
import { DateTimeScalar, JSONScalar } from '../../graphql/scalars';
import { Customer } from '../customer/customer.type';

registerEnumType(SegmentKind, {
  name: 'SegmentKind',
  description: 'DYNAMIC: members follow the criteria; STATIC: members are kept by hand.',
});
registerEnumType(SegmentStatus, {
  name: 'SegmentStatus',
  description:
    'ACTIVE segments are recalculated on schedule; INACTIVE ones keep their members unchanged; ARCHIVED ones are kept with their history only.',
});
registerEnumType(SegmentChangeKind, {
  name: 'SegmentChangeKind',
  description: 'Whether a customer joined or left a segment.',
});

@ObjectType({
  implements: Node,
  description:
    'A named audience of customers: DYNAMIC (a rule tree evaluated in the database) or STATIC (a hand-kept list).',
})
export class Segment extends Node {
  @Field(() => String, { description: 'Unique name.' }) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => SegmentKind) kind!: SegmentKind;
  @Field(() => SegmentStatus) status!: SegmentStatus;
  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'The rule tree as stored (the grammar of SegmentCriteriaInput, segment ids as database ids); null for STATIC segments.',
  })
  criteria!: unknown;
  @Field(() => String, {
    nullable: true,
    description: 'NEW, REGULAR, VIP, AT_RISK or CHURNED for the built-in lifecycle segments; null otherwise.',
  })
  lifecycleStage!: string | null;
  @Field(() => Int, { description: 'Members at the last calculation (all customers, whoever asks).' })
  memberCount!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When membership was last calculated.' })
  lastCalculatedAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType({ description: 'A customer joining or leaving a segment, and when.' })
export class SegmentMembershipChange {
  @Field(() => SegmentChangeKind) change!: SegmentChangeKind;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => Customer) customer!: unknown;
}

@ObjectType({ description: 'Outcome of one recalculation.' })
export class SegmentRecalculation {
  @Field(() => Int, { description: 'Members after the recalculation.' }) memberCount!: number;
  @Field(() => Int, { description: 'Customers who joined.' }) joined!: number;
  @Field(() => Int, { description: 'Customers who left.' }) left!: number;
}

@ObjectType({ description: 'What a rule tree matches right now, computed without saving anything.' })
export class SegmentPreview {
  @Field(() => Int, { description: 'Matching customers visible to you.' }) count!: number;
  @Field(() => [Customer], { description: 'The first matching customers (by id).' }) customers!: unknown[];
}

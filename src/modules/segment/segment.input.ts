import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { SegmentKind, SegmentStatus } from '../../generated/prisma/enums';
import { JSONScalar } from '../../graphql/scalars';
import { SEGMENT_FIELD_NAMES, SEGMENT_OPERATORS } from './segment.rules';

export const SegmentFieldEnum = Object.fromEntries(SEGMENT_FIELD_NAMES.map((f) => [f, f]));
registerEnumType(SegmentFieldEnum, {
  name: 'SegmentField',
  description:
    'What a condition tests. Customer: STATUS, TYPE, GENDER, AGE, TAGS, OWNER (staff ID), CREATED_AT, LAST_ACTIVITY_AT. Default address: COUNTRY, REGION, CITY, DISTANCE_KM (from `point`). Loyalty: LOYALTY_TIER, POINTS_BALANCE, LIFETIME_POINTS, QUALIFYING_POINTS. Spend: TOTAL_SPENT, ORDER_COUNT, AVERAGE_ORDER_VALUE, LAST_ORDER_AT. Policies: ACTIVE_POLICY_TYPE (has an ACTIVE policy of the type), POLICY_COUNT and TOTAL_COVER (over ACTIVE policies). EVENT_COUNT (events described by `event`), SEGMENT (membership of `segmentId`).',
});
export const SegmentOperatorEnum = Object.fromEntries(SEGMENT_OPERATORS.map((o) => [o, o]));
registerEnumType(SegmentOperatorEnum, {
  name: 'SegmentOperator',
  description:
    'EQ, NE, IN, NOT_IN (value: list), GT, GTE, LT, LTE, BETWEEN (value: [low, high]), CONTAINS, STARTS_WITH (text, case-insensitive; TAGS CONTAINS: has the tag), IS_EMPTY (value: true/false), WITHIN_LAST_DAYS / NOT_WITHIN_LAST_DAYS (dates; value: days).',
});

@InputType({
  description:
    'The events an EVENT_COUNT condition counts: of a type, in the last D days, optionally with a property equal to a value.',
})
export class SegmentEventInput {
  @Field(() => String, { description: 'Event type, e.g. "page_view".' }) type!: string;
  @Field(() => Int, { description: 'Only events of the last D days count.' }) withinLastDays!: number;
  @Field(() => String, { nullable: true, description: 'A top-level key of the event properties…' }) propertyKey?:
    | string
    | null;
  @Field(() => JSONScalar, { nullable: true, description: '…that must equal this text, number or boolean.' })
  propertyValue?: unknown;
}

@InputType({ description: 'A point to measure DISTANCE_KM from.' })
export class SegmentPointInput {
  @Field(() => Float) latitude!: number;
  @Field(() => Float) longitude!: number;
}

@InputType({
  description: 'One test: field, operator and value (plus event, point or segmentId where the field needs it).',
})
export class SegmentConditionInput {
  @Field(() => SegmentFieldEnum) field!: string;
  @Field(() => SegmentOperatorEnum) operator!: string;
  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'A scalar, a list (IN, NOT_IN, BETWEEN), days (WITHIN_LAST_DAYS) or true/false (IS_EMPTY); dates as ISO 8601, money as strings.',
  })
  value?: unknown;
  @Field(() => SegmentEventInput, { nullable: true, description: 'For EVENT_COUNT.' }) event?: SegmentEventInput | null;
  @Field(() => SegmentPointInput, { nullable: true, description: 'For DISTANCE_KM.' }) point?: SegmentPointInput | null;
  @Field(() => ID, { nullable: true, description: 'For SEGMENT: EQ = member of it, NE = not a member.' }) segmentId?:
    | string
    | null;
}

@InputType({
  description: 'A node of a rule tree: set exactly one of and, or, not, condition. At most 5 levels and 50 conditions.',
})
export class SegmentCriteriaInput {
  @Field(() => [SegmentCriteriaInput], { nullable: true, description: 'All must match.' }) and?:
    | SegmentCriteriaInput[]
    | null;
  @Field(() => [SegmentCriteriaInput], { nullable: true, description: 'At least one must match.' }) or?:
    | SegmentCriteriaInput[]
    | null;
  @Field(() => SegmentCriteriaInput, { nullable: true, description: 'Must not match.' })
  not?: SegmentCriteriaInput | null;
  @Field(() => SegmentConditionInput, { nullable: true }) condition?: SegmentConditionInput | null;
}

@InputType({ description: 'A new segment.' })
export class SegmentCreateInput {
  @Field(() => String, { description: 'Unique, 1–100 characters.' }) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => SegmentKind, { defaultValue: 'DYNAMIC' }) kind!: SegmentKind;
  @Field(() => SegmentCriteriaInput, { nullable: true, description: 'Required for DYNAMIC, absent for STATIC.' })
  criteria?: SegmentCriteriaInput | null;
}

@InputType({
  description: 'Changes to a segment; absent fields stay as they are. New criteria recalculate membership at once.',
})
export class SegmentUpdateInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => SegmentCriteriaInput, { nullable: true }) criteria?: SegmentCriteriaInput | null;
  @Field(() => SegmentStatus, { nullable: true, description: 'ACTIVE or INACTIVE (archive with segmentArchive).' })
  status?: SegmentStatus | null;
}

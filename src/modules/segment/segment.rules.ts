// The segment rule tree: its grammar, the field table and the validator (pure, no database).
// Grammar (docs/segments.md):
//   Criteria  := { and: Criteria[] } | { or: Criteria[] } | { not: Criteria } | { condition: Condition }
//   Condition := { field, operator, value?, event?, point?, segmentId? }
// The validator walks the untrusted tree ITERATIVELY with an explicit stack, bounded in depth and
// size, and returns the normalised tree that is stored and compiled.
import type { Issue } from '../../shared/domain-error';

export const MAX_DEPTH = 5;
export const MAX_CONDITIONS = 50;
export const MAX_LIST_VALUES = 100;
export const MAX_DAYS = 36_500;

export const SEGMENT_OPERATORS = [
  'EQ',
  'NE',
  'IN',
  'NOT_IN',
  'GT',
  'GTE',
  'LT',
  'LTE',
  'BETWEEN',
  'CONTAINS',
  'STARTS_WITH',
  'IS_EMPTY',
  'WITHIN_LAST_DAYS',
  'NOT_WITHIN_LAST_DAYS',
] as const;
export type SegmentOperator = (typeof SEGMENT_OPERATORS)[number];

export type FieldKind =
  | 'enum'
  | 'text'
  | 'number'
  | 'decimal'
  | 'date'
  | 'tags'
  | 'staff'
  | 'distance'
  | 'policyType'
  | 'event'
  | 'segment';

const OPERATORS_BY_KIND: Record<FieldKind, readonly SegmentOperator[]> = {
  enum: ['EQ', 'NE', 'IN', 'NOT_IN'],
  text: ['EQ', 'NE', 'IN', 'NOT_IN', 'CONTAINS', 'STARTS_WITH', 'IS_EMPTY'],
  number: ['EQ', 'NE', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN', 'IS_EMPTY'],
  decimal: ['EQ', 'NE', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN', 'IS_EMPTY'],
  date: ['GT', 'GTE', 'LT', 'LTE', 'BETWEEN', 'IS_EMPTY', 'WITHIN_LAST_DAYS', 'NOT_WITHIN_LAST_DAYS'],
  tags: ['CONTAINS', 'IN', 'NOT_IN', 'IS_EMPTY'],
  staff: ['EQ', 'NE', 'IN', 'NOT_IN', 'IS_EMPTY'],
  distance: ['LT', 'LTE', 'GT', 'GTE', 'BETWEEN'],
  policyType: ['EQ', 'NE', 'IN', 'NOT_IN'],
  event: ['EQ', 'NE', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN'],
  segment: ['EQ', 'NE'],
};

/** Every field a condition may name, its kind and (for enums) its allowed values. */
export const SEGMENT_FIELDS = {
  STATUS: { kind: 'enum', values: ['ACTIVE', 'INACTIVE', 'SUSPENDED'] },
  TYPE: { kind: 'enum', values: ['INDIVIDUAL', 'BUSINESS'] },
  GENDER: { kind: 'enum', values: ['FEMALE', 'MALE', 'OTHER', 'UNDISCLOSED'] },
  AGE: { kind: 'number' },
  TAGS: { kind: 'tags' },
  OWNER: { kind: 'staff' },
  CREATED_AT: { kind: 'date' },
  LAST_ACTIVITY_AT: { kind: 'date' },
  COUNTRY: { kind: 'text' },
  REGION: { kind: 'text' },
  CITY: { kind: 'text' },
  DISTANCE_KM: { kind: 'distance' },
  LOYALTY_TIER: { kind: 'enum', values: ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'] },
  POINTS_BALANCE: { kind: 'number' },
  LIFETIME_POINTS: { kind: 'number' },
  QUALIFYING_POINTS: { kind: 'number' },
  TOTAL_SPENT: { kind: 'decimal' },
  ORDER_COUNT: { kind: 'number' },
  AVERAGE_ORDER_VALUE: { kind: 'decimal' },
  LAST_ORDER_AT: { kind: 'date' },
  ACTIVE_POLICY_TYPE: { kind: 'policyType', values: ['AUTO', 'HOME', 'LIFE', 'HEALTH', 'ACCIDENT', 'TRAVEL', 'OTHER'] },
  POLICY_COUNT: { kind: 'number' },
  TOTAL_COVER: { kind: 'decimal' },
  EVENT_COUNT: { kind: 'event' },
  SEGMENT: { kind: 'segment' },
} as const satisfies Record<string, { kind: FieldKind; values?: readonly string[] }>;
export type SegmentField = keyof typeof SEGMENT_FIELDS;
export const SEGMENT_FIELD_NAMES = Object.keys(SEGMENT_FIELDS) as SegmentField[];

export type Scalar = string | number | boolean;
/** A validated condition: `value` is typed by the field kind and operator. */
export interface Condition {
  field: SegmentField;
  operator: SegmentOperator;
  /** Scalar, [low, high] for BETWEEN, a list for IN/NOT_IN, days for the relative operators, true/false for IS_EMPTY, absent for SEGMENT. */
  value?: Scalar | Scalar[];
  event?: { type: string; withinLastDays: number; property?: { key: string; value: unknown } };
  point?: { latitude: number; longitude: number };
  segmentId?: string;
}
export type Criteria = { and: Criteria[] } | { or: Criteria[] } | { not: Criteria } | { condition: Condition };

/** The shape the GraphQL input arrives in (every key optional, values still untrusted). */
export interface CriteriaInput {
  and?: CriteriaInput[] | null;
  or?: CriteriaInput[] | null;
  not?: CriteriaInput | null;
  condition?: ConditionInput | null;
}
export interface ConditionInput {
  field: string;
  operator: string;
  value?: unknown;
  event?: { type: string; withinLastDays: number; propertyKey?: string | null; propertyValue?: unknown } | null;
  point?: { latitude: number; longitude: number } | null;
  /** A global Segment ID (decoded through `decode`). */
  segmentId?: string | null;
}

/** Turns a global ID of the type into a database id, or null when it is not one. */
export type IdDecoder = (type: 'Segment' | 'StaffUser', globalId: string) => string | null;

export interface ValidationResult {
  criteria: Criteria | null;
  issues: Issue[];
  /** Segment ids the tree refers to (for existence and cycle checks in the database). */
  segmentRefs: { id: string; field: string[] }[];
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isDateText = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v));
const isDecimalText = (v: unknown) => (typeof v === 'string' && /^-?\d{1,16}(\.\d{1,6})?$/.test(v)) || isNumber(v);
const isDays = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_DAYS;

/** Whether one scalar fits the field (enum value, number, date…); null when it does, else the message. */
function scalarProblem(field: SegmentField, v: unknown): string | null {
  const def = SEGMENT_FIELDS[field];
  switch (def.kind) {
    case 'enum':
    case 'policyType':
      return typeof v === 'string' && (def.values as readonly string[]).includes(v)
        ? null
        : `must be one of ${def.values.join(', ')}`;
    case 'text':
    case 'tags':
      return typeof v === 'string' && v.length > 0 && v.length <= 200
        ? null
        : 'must be a non-empty text of at most 200 characters';
    case 'staff':
      return typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v) ? null : 'must be the ID of a staff user';
    case 'number':
    case 'event':
    case 'distance':
      return isNumber(v) && Math.abs(v) <= 1e12 ? null : 'must be a number';
    case 'decimal':
      return isDecimalText(v) ? null : 'must be a decimal number (e.g. "100.00")';
    case 'date':
      return isDateText(v) ? null : 'must be an ISO 8601 date or date-time';
    case 'segment':
      return 'takes no value';
  }
}

/** Validates one condition; pushes issues with paths under `path`. Returns the normalised condition. */
function validateCondition(
  input: ConditionInput,
  path: string[],
  issues: Issue[],
  refs: ValidationResult['segmentRefs'],
  decode: IdDecoder,
): Condition | null {
  const before = issues.length;
  const bad = (sub: string[], message: string) =>
    issues.push({ code: 'VALIDATION', field: [...path, ...sub], message });
  const field = input.field as SegmentField;
  const def = SEGMENT_FIELDS[field];
  if (!def) return (bad(['field'], 'is not a segment field'), null);
  const operator = input.operator as SegmentOperator;
  if (!OPERATORS_BY_KIND[def.kind].includes(operator)) {
    bad(['operator'], `${operator} does not apply to ${field}; use one of ${OPERATORS_BY_KIND[def.kind].join(', ')}`);
    return null;
  }
  const condition: Condition = { field, operator };
  let v = input.value;
  if (def.kind === 'staff') {
    // Staff are named by global ID on the wire; an unknown one simply matches nobody.
    const toId = (x: unknown) => (typeof x === 'string' ? (decode('StaffUser', x) ?? '') : x);
    v = Array.isArray(v) ? v.map(toId) : operator === 'IS_EMPTY' ? v : toId(v);
  }
  if (def.kind === 'segment') {
    if (v != null) bad(['value'], 'SEGMENT conditions take no value: EQ means member of segmentId, NE not a member');
    const id = input.segmentId ? decode('Segment', input.segmentId) : null;
    if (!input.segmentId) bad(['segmentId'], 'names no segment');
    else if (!id) issues.push({ code: 'NOT_FOUND', field: [...path, 'segmentId'], message: 'Segment not found' });
    else refs.push({ id, field: [...path, 'segmentId'] }), (condition.segmentId = id);
  } else if (operator === 'IS_EMPTY') {
    if (typeof v !== 'boolean') bad(['value'], 'IS_EMPTY takes true (is empty) or false (is not empty)');
    else condition.value = v;
  } else if (operator === 'WITHIN_LAST_DAYS' || operator === 'NOT_WITHIN_LAST_DAYS') {
    if (!isDays(v)) bad(['value'], `must be a whole number of days, 0 to ${MAX_DAYS}`);
    else condition.value = v as number;
  } else if (operator === 'IN' || operator === 'NOT_IN' || operator === 'BETWEEN') {
    const wanted = operator === 'BETWEEN' ? 2 : null;
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LIST_VALUES || (wanted && v.length !== wanted)) {
      bad(
        ['value'],
        wanted ? 'BETWEEN takes a list of two values [low, high]' : `takes a list of 1 to ${MAX_LIST_VALUES} values`,
      );
    } else {
      v.forEach((item, i) => {
        const problem = scalarProblem(field, item);
        if (problem) bad(['value', String(i)], problem);
      });
      if (
        wanted &&
        issues.length === before &&
        (def.kind === 'date' ? Date.parse(v[0] as string) > Date.parse(v[1] as string) : Number(v[0]) > Number(v[1]))
      ) {
        bad(['value'], 'BETWEEN needs low <= high');
      }
      condition.value = v as Scalar[];
    }
  } else {
    const problem = scalarProblem(field, v);
    if (problem) bad(['value'], problem);
    else condition.value = v as Scalar;
  }
  if (def.kind === 'event') {
    const e = input.event;
    if (!e) bad(['event'], 'EVENT_COUNT needs event { type, withinLastDays }');
    else {
      if (typeof e.type !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(e.type))
        bad(['event', 'type'], 'must be 1–64 letters, digits or _ . : -');
      if (!isDays(e.withinLastDays) || e.withinLastDays < 1)
        bad(['event', 'withinLastDays'], `must be 1 to ${MAX_DAYS} days`);
      const hasKey = e.propertyKey != null;
      if (hasKey !== (e.propertyValue !== undefined && e.propertyValue !== null))
        bad(['event', 'propertyKey'], 'propertyKey and propertyValue go together');
      else if (hasKey && (typeof e.propertyKey !== 'string' || e.propertyKey.length === 0 || e.propertyKey.length > 64))
        bad(['event', 'propertyKey'], 'must be 1–64 characters');
      else if (hasKey && !['string', 'number', 'boolean'].includes(typeof e.propertyValue))
        bad(['event', 'propertyValue'], 'must be a text, number or boolean');
      condition.event = {
        type: e.type,
        withinLastDays: e.withinLastDays,
        ...(hasKey ? { property: { key: e.propertyKey as string, value: e.propertyValue } } : {}),
      };
    }
  } else if (input.event) bad(['event'], 'only EVENT_COUNT conditions take an event');
  if (def.kind === 'distance') {
    const p = input.point;
    if (!p) bad(['point'], 'DISTANCE_KM needs the point to measure from');
    else condition.point = { latitude: p.latitude, longitude: p.longitude };
  } else if (input.point) bad(['point'], 'only DISTANCE_KM conditions take a point');
  if (def.kind !== 'segment' && input.segmentId !== undefined && input.segmentId !== null)
    bad(['segmentId'], 'only SEGMENT conditions take a segmentId');
  return issues.length === before ? condition : null;
}

/**
 * Validates an untrusted rule tree without recursion: an explicit stack of (node, path, depth),
 * stopping at MAX_DEPTH levels and MAX_CONDITIONS conditions. Each node must set exactly one of
 * and / or / not / condition. The normalised tree is assembled through parent slots.
 */
export function validateCriteria(input: CriteriaInput, rootPath: string[], decode: IdDecoder): ValidationResult {
  const issues: Issue[] = [];
  const segmentRefs: ValidationResult['segmentRefs'] = [];
  const root: { value: Criteria | null } = { value: null };
  type Slot = (c: Criteria) => void;
  const stack: { node: CriteriaInput; path: string[]; depth: number; put: Slot }[] = [
    { node: input, path: rootPath, depth: 1, put: (c) => (root.value = c) },
  ];
  let conditions = 0;
  let nodes = 0;
  while (stack.length > 0) {
    const { node, path, depth, put } = stack.pop()!;
    nodes += 1;
    if (nodes > MAX_CONDITIONS * 4) {
      issues.push({
        code: 'VALIDATION',
        field: rootPath,
        message: `the rule tree is too large (at most ${MAX_CONDITIONS} conditions)`,
      });
      break;
    }
    const set = (['and', 'or', 'not', 'condition'] as const).filter((k) => node[k] != null);
    if (set.length !== 1) {
      issues.push({ code: 'VALIDATION', field: path, message: 'set exactly one of and, or, not, condition' });
      continue;
    }
    const key = set[0];
    if (key !== 'condition' && depth >= MAX_DEPTH) {
      issues.push({
        code: 'VALIDATION',
        field: [...path, key],
        message: `the rule tree is nested too deeply (at most ${MAX_DEPTH} levels)`,
      });
      continue;
    }
    if (key === 'condition') {
      conditions += 1;
      if (conditions > MAX_CONDITIONS) {
        issues.push({
          code: 'VALIDATION',
          field: [...path, 'condition'],
          message: `at most ${MAX_CONDITIONS} conditions`,
        });
        break;
      }
      const condition = validateCondition(node.condition!, [...path, 'condition'], issues, segmentRefs, decode);
      if (condition) put({ condition });
    } else if (key === 'not') {
      stack.push({ node: node.not!, path: [...path, 'not'], depth: depth + 1, put: (c) => put({ not: c }) });
    } else {
      const children = node[key]!;
      if (children.length === 0) {
        issues.push({ code: 'VALIDATION', field: [...path, key], message: `${key} needs at least one rule` });
        continue;
      }
      const items: Criteria[] = new Array(children.length);
      put(key === 'and' ? { and: items } : { or: items });
      children.forEach((child, i) =>
        stack.push({ node: child, path: [...path, key, String(i)], depth: depth + 1, put: (c) => (items[i] = c) }),
      );
    }
  }
  return { criteria: issues.length === 0 ? root.value : null, issues, segmentRefs };
}

/** Segment ids a stored (already valid) tree refers to, walked iteratively. */
export function referencedSegments(criteria: Criteria | null): string[] {
  const ids: string[] = [];
  const stack: Criteria[] = criteria ? [criteria] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ('and' in node) stack.push(...node.and);
    else if ('or' in node) stack.push(...node.or);
    else if ('not' in node) stack.push(node.not);
    else if (node.condition.segmentId) ids.push(node.condition.segmentId);
  }
  return ids;
}

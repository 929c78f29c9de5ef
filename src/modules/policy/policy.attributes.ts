// Type-specific policy attributes, validated by data: one shape per policy type, described by
// the small spec language below and checked by one walker. Changing what an AUTO policy must
// carry means changing POLICY_ATTRIBUTES, not code. Unknown keys are refused by name.
import type { PolicyType } from '../../generated/prisma/enums';
import { Validator, type DomainError, type Issue } from '../../shared/domain-error';
import { jsonDepth } from '../../shared/json-bounds';

/** `personal`: identifies a person (masked to null for analysts, like a customer's birth date or street lines). */
export type AttributeSpec = { required?: boolean; personal?: boolean } & (
  | { kind: 'string'; max: number; pattern?: RegExp; patternHint?: string }
  | { kind: 'int'; min: number; max: number | (() => number) }
  | { kind: 'number'; min: number; max: number; exclusiveMin?: boolean }
  | { kind: 'date'; notInFuture?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'object'; fields: Record<string, AttributeSpec> }
  | { kind: 'array'; min: number; max: number; of: AttributeSpec }
);

/** A cross-field rule of one type, e.g. a trip ending after it starts. */
export interface AttributeCheck {
  field: string[];
  message: string;
  holds(attributes: Record<string, unknown>): boolean;
}

export interface TypeAttributes {
  /** null: free-form (any JSON object within the size limit). */
  fields: Record<string, AttributeSpec> | null;
  checks?: AttributeCheck[];
  description: string;
}

/** Serialised size limit of any policy's attributes, and a tighter one for free-form (OTHER). */
export const MAX_ATTRIBUTES_BYTES = 16_384;
export const MAX_FREE_FORM_BYTES = 4_096;
export const MAX_FREE_FORM_DEPTH = 5;

const thisYearPlus = (years: number) => () => new Date().getUTCFullYear() + years;

const VEHICLE: AttributeSpec = {
  kind: 'object',
  required: true,
  fields: {
    make: { kind: 'string', required: true, max: 60 },
    model: { kind: 'string', required: true, max: 60 },
    year: { kind: 'int', required: true, min: 1886, max: thisYearPlus(1) },
    vin: {
      kind: 'string',
      personal: true,
      max: 17,
      pattern: /^[A-HJ-NPR-Z0-9]{17}$/,
      patternHint: '17 characters, digits and capital letters except I, O and Q',
    },
    plate: { kind: 'string', personal: true, max: 15 },
  },
};

export const PROPERTY_TYPES = [
  'HOUSE',
  'APARTMENT',
  'CONDOMINIUM',
  'TOWNHOUSE',
  'MOBILE_HOME',
  'COMMERCIAL',
  'OTHER',
] as const;

const PROPERTY: AttributeSpec = {
  kind: 'object',
  required: true,
  fields: {
    address: { kind: 'string', required: true, personal: true, max: 300 },
    type: { kind: 'enum', required: true, values: PROPERTY_TYPES },
    yearBuilt: { kind: 'int', min: 1000, max: thisYearPlus(5) },
    area: { kind: 'number', min: 0, exclusiveMin: true, max: 1_000_000 }, // square metres
  },
};

export const RELATIONSHIPS = ['SELF', 'SPOUSE', 'PARTNER', 'CHILD', 'PARENT', 'SIBLING', 'OTHER'] as const;

const INSURED_PERSONS: AttributeSpec = {
  kind: 'array',
  required: true,
  min: 1,
  max: 20,
  of: {
    kind: 'object',
    fields: {
      name: { kind: 'string', required: true, personal: true, max: 200 },
      birthDate: { kind: 'date', required: true, personal: true, notInFuture: true },
      relationship: { kind: 'enum', values: RELATIONSHIPS },
    },
  },
};

const persons = (description: string): TypeAttributes => ({ fields: { insuredPersons: INSURED_PERSONS }, description });

/** What each policy type carries in `attributes`. */
export const POLICY_ATTRIBUTES: Record<PolicyType, TypeAttributes> = {
  AUTO: { fields: { vehicle: VEHICLE }, description: 'vehicle {make, model, year, vin?, plate?}' },
  HOME: { fields: { property: PROPERTY }, description: 'property {address, type, yearBuilt?, area?}' },
  LIFE: persons('insuredPersons [{name, birthDate, relationship?}]'),
  HEALTH: persons('insuredPersons [{name, birthDate, relationship?}]'),
  ACCIDENT: persons('insuredPersons [{name, birthDate, relationship?}]'),
  TRAVEL: {
    fields: {
      insuredPersons: INSURED_PERSONS,
      destination: { kind: 'string', max: 200 },
      tripStartDate: { kind: 'date' },
      tripEndDate: { kind: 'date' },
    },
    checks: [
      {
        field: ['tripEndDate'],
        message: 'tripEndDate must not be before tripStartDate',
        holds: (a) =>
          typeof a.tripStartDate !== 'string' || typeof a.tripEndDate !== 'string' || a.tripEndDate >= a.tripStartDate,
      },
    ],
    description: 'insuredPersons [{name, birthDate, relationship?}], destination?, tripStartDate?, tripEndDate?',
  },
  OTHER: { fields: null, description: `any JSON object up to ${MAX_FREE_FORM_BYTES} bytes` },
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string): boolean {
  if (!LOCAL_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** v.check that also says whether the condition held, so a walker can stop descending. */
function ensure(v: Validator, condition: boolean, field: string[], message: string, code?: Issue['code']): boolean {
  v.check(condition, field, message, code);
  return condition;
}

/** The issues a Validator holds (empty when valid). */
function collect(v: Validator): Issue[] {
  try {
    v.throwIfInvalid();
    return [];
  } catch (error) {
    return (error as DomainError).issues;
  }
}

/** Checks one value against its spec; `path` is relative to `attributes` (prefixed for the field path). */
function walk(
  v: Validator,
  spec: AttributeSpec,
  value: unknown,
  path: string[],
  prefix: string[],
  type: PolicyType,
): void {
  const field = [...prefix, ...path];
  const name = path.join('.') || 'attributes';
  if (value === undefined || value === null) {
    v.check(!spec.required, field, `${name} is required for ${type} policies`);
    return;
  }
  switch (spec.kind) {
    case 'string':
      if (!ensure(v, typeof value === 'string', field, `${name} must be a string`)) return;
      v.check((value as string).trim().length > 0 || !spec.required, field, `${name} must not be empty`);
      v.check((value as string).length <= spec.max, field, `${name} is longer than ${spec.max} characters`);
      if (spec.pattern)
        v.check(
          spec.pattern.test(value as string),
          field,
          `${name} is not valid (${spec.patternHint ?? spec.pattern.source})`,
        );
      return;
    case 'int': {
      const max = typeof spec.max === 'function' ? spec.max() : spec.max;
      v.check(
        Number.isInteger(value) && (value as number) >= spec.min && (value as number) <= max,
        field,
        `${name} must be a whole number from ${spec.min} to ${max}`,
      );
      return;
    }
    case 'number': {
      const n = value as number;
      const ok =
        typeof value === 'number' &&
        Number.isFinite(n) &&
        (spec.exclusiveMin ? n > spec.min : n >= spec.min) &&
        n <= spec.max;
      v.check(
        ok,
        field,
        `${name} must be a number ${spec.exclusiveMin ? 'above' : 'from'} ${spec.min}${spec.exclusiveMin ? ' and at most' : ' to'} ${spec.max}`,
      );
      return;
    }
    case 'date':
      if (!ensure(v, typeof value === 'string' && validDate(value), field, `${name} must be a date written YYYY-MM-DD`))
        return;
      if (spec.notInFuture)
        v.check(new Date(`${value as string}T00:00:00Z`).getTime() <= Date.now(), field, `${name} is in the future`);
      return;
    case 'enum':
      v.check(
        typeof value === 'string' && spec.values.includes(value),
        field,
        `${name} must be one of ${spec.values.join(', ')}`,
      );
      return;
    case 'array':
      if (!ensure(v, Array.isArray(value), field, `${name} must be a list`)) return;
      v.check(
        (value as unknown[]).length >= spec.min && (value as unknown[]).length <= spec.max,
        field,
        `${name} must have ${spec.min} to ${spec.max} entries`,
      );
      (value as unknown[])
        .slice(0, spec.max)
        .forEach((item, i) => walk(v, spec.of, item, [...path, String(i)], prefix, type));
      return;
    case 'object': {
      if (!ensure(v, isPlainObject(value), field, `${name} must be an object`)) return;
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        if (!(key in spec.fields))
          v.check(
            false,
            [...field, key],
            `Unknown attribute "${[...path, key].join('.')}" for ${type} policies (expected ${Object.keys(spec.fields).join(', ')})`,
          );
      }
      for (const [key, child] of Object.entries(spec.fields)) walk(v, child, object[key], [...path, key], prefix, type);
      return;
    }
  }
}

/**
 * Validates a policy's `attributes` for its type, adding every problem to `v` with its field path
 * under `prefix` (e.g. ['input', 'attributes', 'vehicle', 'year']).
 */
export function validateAttributes(
  v: Validator,
  type: PolicyType,
  attributes: unknown,
  prefix: string[] = ['input', 'attributes'],
): void {
  const rules = POLICY_ATTRIBUTES[type];
  if (!ensure(v, isPlainObject(attributes), prefix, `attributes must be a JSON object (${type}: ${rules.description})`))
    return;
  const size = Buffer.byteLength(JSON.stringify(attributes));
  if (
    !ensure(
      v,
      size <= MAX_ATTRIBUTES_BYTES,
      prefix,
      `attributes are larger than ${MAX_ATTRIBUTES_BYTES} bytes`,
      'LIMIT_EXCEEDED',
    )
  )
    return;
  if (rules.fields === null) {
    v.check(
      size <= MAX_FREE_FORM_BYTES,
      prefix,
      `Free-form attributes of ${type} policies are limited to ${MAX_FREE_FORM_BYTES} bytes`,
      'LIMIT_EXCEEDED',
    );
    v.check(
      jsonDepth(attributes, MAX_FREE_FORM_DEPTH) <= MAX_FREE_FORM_DEPTH,
      prefix,
      `Free-form attributes nest at most ${MAX_FREE_FORM_DEPTH} levels deep`,
    );
    return;
  }
  const shape = new Validator();
  walk(shape, { kind: 'object', fields: rules.fields }, attributes, [], prefix, type);
  const problems = collect(shape);
  problems.forEach((issue) => v.check(false, issue.field ?? prefix, issue.message, issue.code));
  if (problems.length > 0) return; // cross-field checks only make sense on well-formed values
  for (const check of rules.checks ?? [])
    v.check(check.holds(attributes as Record<string, unknown>), [...prefix, ...check.field], check.message);
}

function mask(spec: AttributeSpec, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (spec.personal) return null;
  if (spec.kind === 'object' && isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, spec.fields[key] ? mask(spec.fields[key], child) : child]),
    );
  }
  if (spec.kind === 'array' && Array.isArray(value)) return value.map((item) => mask(spec.of, item));
  return value;
}

/**
 * Attributes as an analyst may see them: personal values (names, birth dates, addresses, VIN,
 * plates) become null; free-form attributes (OTHER), whose content is unknown, are withheld ({}).
 */
export function maskAttributes(type: PolicyType, attributes: unknown): unknown {
  const rules = POLICY_ATTRIBUTES[type];
  if (rules.fields === null || !isPlainObject(attributes)) return {};
  return mask({ kind: 'object', fields: rules.fields }, attributes);
}

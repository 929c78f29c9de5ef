// Compiles a validated rule tree to ONE parameterised SQL statement. Values only ever travel as
// bind parameters ($n); the SQL text is assembled from the whitelisted expressions below, the
// operator templates and placeholders. Pure: table-tested without a database.
import {
  MAX_DEPTH,
  SEGMENT_FIELDS,
  type Condition,
  type Criteria,
  type Scalar,
  type SegmentField,
} from './segment.rules';
import { escapeLike } from '../../db/like';

// The one LIKE escaping of the project (src/db/like.ts), re-exported for the compiler's tests.
export { escapeLike };

/** Column expressions over `customers c`, `loyalty_accounts la` and the default address `da`. */
const FIELD_SQL: Record<
  Exclude<SegmentField, 'ACTIVE_POLICY_TYPE' | 'EVENT_COUNT' | 'SEGMENT' | 'DISTANCE_KM'>,
  string
> = {
  STATUS: 'c.status::text',
  TYPE: 'c.type::text',
  GENDER: 'c.gender::text',
  AGE: 'extract(year FROM age($1::timestamptz, c.birth_date::timestamptz))',
  TAGS: 'c.tags',
  OWNER: 'c.owner_id',
  CREATED_AT: 'c.created_at',
  LAST_ACTIVITY_AT: 'c.last_activity_at',
  COUNTRY: 'da.country::text',
  REGION: 'da.region',
  CITY: 'da.city',
  LOYALTY_TIER: 'la.tier::text',
  POINTS_BALANCE: 'la.points_balance',
  LIFETIME_POINTS: 'la.lifetime_points',
  // Points earned in the 12 months before the evaluation time, except refunded orders' (the tier rule, loyalty.ledger.ts notClawedBack).
  QUALIFYING_POINTS:
    "(SELECT coalesce(sum(l.points), 0) FROM loyalty_ledger l WHERE l.account_id = la.id AND l.type = 'EARN' AND l.created_at <= $1::timestamptz AND l.expires_at > $1::timestamptz" +
    " AND NOT EXISTS (SELECT 1 FROM loyalty_ledger r WHERE r.account_id = l.account_id AND r.type = 'CLAWBACK' AND r.order_id = l.order_id AND r.created_at <= $1::timestamptz))",
  TOTAL_SPENT: 'c.total_spent',
  ORDER_COUNT: 'c.order_count',
  AVERAGE_ORDER_VALUE: '(c.total_spent / nullif(c.order_count, 0))',
  LAST_ORDER_AT:
    "(SELECT max(o.placed_at) FROM orders o WHERE o.customer_id = c.id AND o.status NOT IN ('CANCELLED', 'REFUNDED'))",
  POLICY_COUNT: "(SELECT count(*) FROM policies p WHERE p.customer_id = c.id AND p.status = 'ACTIVE')",
  TOTAL_COVER:
    "(SELECT coalesce(sum(p.coverage_amount), 0) FROM policies p WHERE p.customer_id = c.id AND p.status = 'ACTIVE')",
};

const CAST: Record<string, string> = {
  enum: 'text',
  policyType: 'text',
  text: 'text',
  tags: 'text',
  staff: 'uuid',
  number: 'numeric',
  event: 'numeric',
  distance: 'numeric',
  decimal: 'numeric',
  date: 'timestamptz',
};

/** The FROM clause every segment statement shares (one row per customer). */
export const SEGMENT_FROM =
  'customers c LEFT JOIN loyalty_accounts la ON la.customer_id = c.id LEFT JOIN addresses da ON da.customer_id = c.id AND da.is_default';

/** Escapes LIKE metacharacters (%, _ and the escape character \) so a value matches literally. */

export interface CompiledCriteria {
  /** A boolean SQL expression over SEGMENT_FROM; $1 is the evaluation time. */
  where: string;
  /** Bind parameters from $1 on: [evaluation time, …values]. */
  params: unknown[];
}

class Params {
  readonly values: unknown[];
  constructor(at: Date) {
    this.values = [at.toISOString()];
  }
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

const asText = (v: Scalar) => String(v);

function comparison(expr: string, c: Condition, cast: string, p: Params): string {
  const text = cast === 'text' && SEGMENT_FIELDS[c.field].kind === 'text';
  const e = text ? `lower(${expr})` : expr;
  const one = (v: Scalar) => p.add(text ? asText(v).toLowerCase() : asText(v), cast);
  const list = (vs: Scalar[]) =>
    p.add(
      vs.map((v) => (text ? asText(v).toLowerCase() : asText(v))),
      `${cast}[]`,
    );
  const v = c.value;
  switch (c.operator) {
    case 'EQ':
      return `${e} = ${one(v as Scalar)}`;
    case 'NE':
      return `${e} IS DISTINCT FROM ${one(v as Scalar)}`;
    case 'IN':
      return `${e} = ANY(${list(v as Scalar[])})`;
    case 'NOT_IN':
      return `NOT coalesce(${e} = ANY(${list(v as Scalar[])}), false)`;
    case 'GT':
      return `${e} > ${one(v as Scalar)}`;
    case 'GTE':
      return `${e} >= ${one(v as Scalar)}`;
    case 'LT':
      return `${e} < ${one(v as Scalar)}`;
    case 'LTE':
      return `${e} <= ${one(v as Scalar)}`;
    case 'BETWEEN':
      return `${e} BETWEEN ${one((v as Scalar[])[0])} AND ${one((v as Scalar[])[1])}`;
    case 'CONTAINS':
      return `${expr} ILIKE ${p.add(`%${escapeLike(asText(v as Scalar))}%`, 'text')} ESCAPE '\\'`;
    case 'STARTS_WITH':
      return `${expr} ILIKE ${p.add(`${escapeLike(asText(v as Scalar))}%`, 'text')} ESCAPE '\\'`;
    case 'IS_EMPTY': {
      const empty = text ? `coalesce(${expr}, '') = ''` : `${expr} IS NULL`;
      return v ? empty : `NOT (${empty})`;
    }
    case 'WITHIN_LAST_DAYS':
      return `${expr} >= $1::timestamptz - make_interval(days => ${p.add(asText(v as Scalar), 'int')})`;
    case 'NOT_WITHIN_LAST_DAYS':
      return `(${expr} IS NULL OR ${expr} < $1::timestamptz - make_interval(days => ${p.add(asText(v as Scalar), 'int')}))`;
  }
}

function compileCondition(c: Condition, p: Params): string {
  const kind = SEGMENT_FIELDS[c.field].kind;
  switch (kind) {
    case 'tags': {
      if (c.operator === 'IS_EMPTY') return c.value ? 'cardinality(c.tags) = 0' : 'cardinality(c.tags) > 0';
      if (c.operator === 'CONTAINS') return `c.tags @> ARRAY[${p.add(asText(c.value as Scalar), 'text')}]`;
      const overlap = `c.tags && ${p.add((c.value as Scalar[]).map(asText), 'text[]')}`;
      return c.operator === 'IN' ? overlap : `NOT (${overlap})`;
    }
    case 'policyType': {
      const many = c.operator === 'IN' || c.operator === 'NOT_IN';
      const type = many
        ? `p.type::text = ANY(${p.add((c.value as Scalar[]).map(asText), 'text[]')})`
        : `p.type::text = ${p.add(asText(c.value as Scalar), 'text')}`;
      const exists = `EXISTS (SELECT 1 FROM policies p WHERE p.customer_id = c.id AND p.status = 'ACTIVE' AND ${type})`;
      return c.operator === 'EQ' || c.operator === 'IN' ? exists : `NOT ${exists}`;
    }
    case 'segment': {
      const exists = `EXISTS (SELECT 1 FROM segment_memberships sm WHERE sm.segment_id = ${p.add(c.segmentId, 'uuid')} AND sm.customer_id = c.id)`;
      return c.operator === 'EQ' ? exists : `NOT ${exists}`;
    }
    case 'distance': {
      const lat = p.add(String(c.point!.latitude), 'float8');
      const lon = p.add(String(c.point!.longitude), 'float8');
      const km = `(6371 * 2 * asin(sqrt(power(sin(radians(da.latitude - ${lat}) / 2), 2) + cos(radians(${lat})) * cos(radians(da.latitude)) * power(sin(radians(da.longitude - ${lon}) / 2), 2))))`;
      return comparison(km, c, 'numeric', p);
    }
    case 'event': {
      const e = c.event!;
      const filter = [
        `e.type = ${p.add(e.type, 'text')}`,
        `e.occurred_at >= $1::timestamptz - make_interval(days => ${p.add(String(e.withinLastDays), 'int')})`,
        ...(e.property
          ? [
              `e.data @> jsonb_build_object(${p.add(e.property.key, 'text')}, ${p.add(JSON.stringify(e.property.value), 'jsonb')})`,
            ]
          : []),
      ]
        .filter(Boolean)
        .join(' AND ');
      const n = Number(c.value);
      // "At least N (N >= 1) times" is a semi-join on one grouped scan of the recent events, which
      // PostgreSQL hashes; every other count compares a per-customer count (0 when none).
      if ((c.operator === 'GTE' && n >= 1) || (c.operator === 'GT' && n >= 0)) {
        return `c.id IN (SELECT e.customer_id FROM customer_events e WHERE ${filter} GROUP BY e.customer_id HAVING count(*) ${c.operator === 'GTE' ? '>=' : '>'} ${p.add(String(n), 'int')})`;
      }
      if ((c.operator === 'EQ' && n === 0) || (c.operator === 'LT' && n === 1) || (c.operator === 'LTE' && n === 0)) {
        return `NOT EXISTS (SELECT 1 FROM customer_events e WHERE e.customer_id = c.id AND ${filter})`;
      }
      return comparison(
        `(SELECT count(*) FROM customer_events e WHERE e.customer_id = c.id AND ${filter})`,
        c,
        'numeric',
        p,
      );
    }
    default:
      return comparison(FIELD_SQL[c.field as keyof typeof FIELD_SQL], c, CAST[kind], p);
  }
}

/**
 * The predicate of a validated tree. Every condition is wrapped in coalesce(…, false) so that a
 * missing value (no address, no birth date) is simply "does not match" and NOT is a true
 * complement. The depth was bounded by the validator; it is checked again here.
 */
export function compileCriteria(criteria: Criteria, at: Date): CompiledCriteria {
  const p = new Params(at);
  const walk = (node: Criteria, depth: number): string => {
    if (depth > MAX_DEPTH) throw new Error('segment criteria deeper than allowed');
    if ('and' in node) return `(${node.and.map((n) => walk(n, depth + 1)).join(' AND ')})`;
    if ('or' in node) return `(${node.or.map((n) => walk(n, depth + 1)).join(' OR ')})`;
    if ('not' in node) return `(NOT ${walk(node.not, depth + 1)})`;
    return `coalesce(${compileCondition(node.condition, p)}, false)`;
  };
  return { where: walk(criteria, 1), params: p.values };
}

/**
 * SELECT of the ids of the matching customers (optionally only one owner's) that are not deleted
 * and have not withdrawn consent to data processing (docs/privacy.md).
 */
export function matchingCustomersSql(
  criteria: Criteria,
  at: Date,
  ownerId?: string,
): { sql: string; params: unknown[] } {
  const compiled = compileCriteria(criteria, at);
  const params = [...compiled.params];
  const owner = ownerId ? ` AND c.owner_id = $${params.push(ownerId)}::uuid` : '';
  // "$1 IS NOT NULL" types the evaluation-time parameter even when no condition uses it.
  return {
    sql: `SELECT c.id FROM ${SEGMENT_FROM} WHERE $1::timestamptz IS NOT NULL AND c.status <> 'DELETED' AND c.data_processing_consent_at IS NOT NULL${owner} AND ${compiled.where}`,
    params,
  };
}

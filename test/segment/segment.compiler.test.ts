import { compileCriteria, escapeLike, matchingCustomersSql } from '../../src/modules/segment/segment.compiler';
import {
  validateCriteria,
  type Condition,
  type Criteria,
  type CriteriaInput,
} from '../../src/modules/segment/segment.rules';

const AT = new Date('2026-11-25T12:00:00.000Z');
const cond = (c: Condition): Criteria => ({ condition: c });
const decode = (_type: string, id: string) => (id.startsWith('gid:') ? id.slice(4) : null);
const SEG = '11111111-2222-3333-4444-555555555555';

describe('compileCriteria: each condition becomes a whitelisted expression with bound values', () => {
  it.each<[string, Condition, string, unknown[]]>([
    ['enum EQ', { field: 'STATUS', operator: 'EQ', value: 'ACTIVE' }, 'c.status::text = $2::text', ['ACTIVE']],
    [
      'enum NOT_IN keeps NULLs',
      { field: 'LOYALTY_TIER', operator: 'NOT_IN', value: ['GOLD'] },
      'NOT coalesce(la.tier::text = ANY($2::text[]), false)',
      [['GOLD']],
    ],
    [
      'text is case-insensitive',
      { field: 'CITY', operator: 'IN', value: ['Paris', 'LYON'] },
      'lower(da.city) = ANY($2::text[])',
      [['paris', 'lyon']],
    ],
    [
      'LIKE metacharacters escaped',
      { field: 'CITY', operator: 'CONTAINS', value: '50%_a\\b' },
      "da.city ILIKE $2::text ESCAPE '\\'",
      ['%50\\%\\_a\\\\b%'],
    ],
    [
      'STARTS_WITH',
      { field: 'REGION', operator: 'STARTS_WITH', value: 'Ile' },
      "da.region ILIKE $2::text ESCAPE '\\'",
      ['Ile%'],
    ],
    [
      'decimal BETWEEN',
      { field: 'TOTAL_SPENT', operator: 'BETWEEN', value: ['10', '20.5'] },
      'c.total_spent BETWEEN $2::numeric AND $3::numeric',
      ['10', '20.5'],
    ],
    [
      'relative date',
      { field: 'LAST_ACTIVITY_AT', operator: 'WITHIN_LAST_DAYS', value: 30 },
      'c.last_activity_at >= $1::timestamptz - make_interval(days => $2::int)',
      ['30'],
    ],
    [
      'not within includes never',
      { field: 'LAST_ORDER_AT', operator: 'NOT_WITHIN_LAST_DAYS', value: 90 },
      '(SELECT max(o.placed_at)',
      ['90'],
    ],
    ['IS_EMPTY on text', { field: 'REGION', operator: 'IS_EMPTY', value: true }, "coalesce(da.region, '') = ''", []],
    ['tags CONTAINS', { field: 'TAGS', operator: 'CONTAINS', value: 'vip' }, 'c.tags @> ARRAY[$2::text]', ['vip']],
    [
      'tags NOT_IN',
      { field: 'TAGS', operator: 'NOT_IN', value: ['a', 'b'] },
      'NOT (c.tags && $2::text[])',
      [['a', 'b']],
    ],
    [
      'active policy of a type',
      { field: 'ACTIVE_POLICY_TYPE', operator: 'EQ', value: 'LIFE' },
      "EXISTS (SELECT 1 FROM policies p WHERE p.customer_id = c.id AND p.status = 'ACTIVE' AND p.type::text = $2::text)",
      ['LIFE'],
    ],
    [
      'no active policy of a type',
      { field: 'ACTIVE_POLICY_TYPE', operator: 'NOT_IN', value: ['HEALTH'] },
      'NOT EXISTS (SELECT 1 FROM policies p',
      [['HEALTH']],
    ],
    [
      'segment membership',
      { field: 'SEGMENT', operator: 'NE', segmentId: SEG },
      'NOT EXISTS (SELECT 1 FROM segment_memberships sm WHERE sm.segment_id = $2::uuid',
      [SEG],
    ],
    [
      'did EVENT at least N times',
      { field: 'EVENT_COUNT', operator: 'GTE', value: 3, event: { type: 'login', withinLastDays: 7 } },
      'c.id IN (SELECT e.customer_id FROM customer_events e WHERE e.type = $2::text AND e.occurred_at >= $1::timestamptz - make_interval(days => $3::int) GROUP BY e.customer_id HAVING count(*) >= $4::int)',
      ['login', '7', '3'],
    ],
    [
      'did not do EVENT',
      { field: 'EVENT_COUNT', operator: 'EQ', value: 0, event: { type: 'login', withinLastDays: 30 } },
      'NOT EXISTS (SELECT 1 FROM customer_events e WHERE e.customer_id = c.id AND e.type = $2::text',
      ['login', '30'],
    ],
    [
      'event property equals',
      {
        field: 'EVENT_COUNT',
        operator: 'GTE',
        value: 1,
        event: { type: 'view', withinLastDays: 1, property: { key: 'sku', value: 'A-1' } },
      },
      'e.data @> jsonb_build_object($4::text, $5::jsonb)',
      ['view', '1', 'sku', '"A-1"', '1'],
    ],
    [
      'distance from a point',
      { field: 'DISTANCE_KM', operator: 'LTE', value: 25, point: { latitude: 48.85, longitude: 2.35 } },
      '6371 * 2 * asin(',
      ['48.85', '2.35', '25'],
    ],
  ])('%s', (_name, condition, sql, params) => {
    const compiled = compileCriteria(cond(condition), AT);
    expect(compiled.where).toContain(sql);
    expect(compiled.where.startsWith('coalesce(')).toBe(true);
    expect(compiled.params).toEqual([AT.toISOString(), ...params]);
  });

  it('never puts a value into the SQL text', () => {
    const evil = "x'); DROP TABLE customers; --";
    const compiled = compileCriteria(
      {
        or: [
          cond({ field: 'CITY', operator: 'EQ', value: evil }),
          cond({ field: 'TAGS', operator: 'CONTAINS', value: evil }),
        ],
      },
      AT,
    );
    expect(compiled.where).not.toContain('DROP');
    expect(compiled.params).toContain(evil);
  });

  it('compiles the example of docs/segments.md', () => {
    const tree: Criteria = {
      and: [
        cond({ field: 'LOYALTY_TIER', operator: 'IN', value: ['GOLD', 'PLATINUM'] }),
        { not: cond({ field: 'ACTIVE_POLICY_TYPE', operator: 'EQ', value: 'LIFE' }) },
        cond({ field: 'EVENT_COUNT', operator: 'GTE', value: 2, event: { type: 'quote_view', withinLastDays: 30 } }),
      ],
    };
    const { sql, params } = matchingCustomersSql(tree, AT);
    expect(sql).toBe(
      "SELECT c.id FROM customers c LEFT JOIN loyalty_accounts la ON la.customer_id = c.id LEFT JOIN addresses da ON da.customer_id = c.id AND da.is_default WHERE $1::timestamptz IS NOT NULL AND c.status <> 'DELETED' AND c.data_processing_consent_at IS NOT NULL AND " +
        "(coalesce(la.tier::text = ANY($2::text[]), false) AND (NOT coalesce(EXISTS (SELECT 1 FROM policies p WHERE p.customer_id = c.id AND p.status = 'ACTIVE' AND p.type::text = $3::text), false)) AND " +
        'coalesce(c.id IN (SELECT e.customer_id FROM customer_events e WHERE e.type = $4::text AND e.occurred_at >= $1::timestamptz - make_interval(days => $5::int) GROUP BY e.customer_id HAVING count(*) >= $6::int), false))',
    );
    expect(params).toEqual([AT.toISOString(), ['GOLD', 'PLATINUM'], 'LIFE', 'quote_view', '30', '2']);
  });

  it('escapes %, _ and \\ for LIKE', () => {
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
  });
});

describe('validateCriteria', () => {
  const paths = (input: CriteriaInput) =>
    validateCriteria(input, ['input', 'criteria'], decode).issues.map((i) => `${i.code} ${i.field!.join('.')}`);

  it.each<[string, CriteriaInput, string[]]>([
    [
      'a good tree',
      {
        and: [
          { condition: { field: 'AGE', operator: 'GTE', value: 18 } },
          { or: [{ condition: { field: 'COUNTRY', operator: 'EQ', value: 'FR' } }] },
        ],
      },
      [],
    ],
    [
      'two keys in one node',
      {
        and: [
          {
            condition: { field: 'AGE', operator: 'GT', value: 1 },
            not: { condition: { field: 'AGE', operator: 'GT', value: 1 } },
          },
        ],
      },
      ['VALIDATION input.criteria.and.0'],
    ],
    ['an empty group', { or: [] }, ['VALIDATION input.criteria.or']],
    [
      'unknown field',
      { condition: { field: 'PASSWORD', operator: 'EQ', value: 'x' } },
      ['VALIDATION input.criteria.condition.field'],
    ],
    [
      'operator not for the field',
      { condition: { field: 'TAGS', operator: 'GT', value: 'x' } },
      ['VALIDATION input.criteria.condition.operator'],
    ],
    [
      'bad enum value',
      { condition: { field: 'GENDER', operator: 'IN', value: ['FEMALE', 'ROBOT'] } },
      ['VALIDATION input.criteria.condition.value.1'],
    ],
    [
      'BETWEEN reversed',
      { condition: { field: 'AGE', operator: 'BETWEEN', value: [40, 30] } },
      ['VALIDATION input.criteria.condition.value'],
    ],
    [
      'bad date',
      { condition: { field: 'CREATED_AT', operator: 'GT', value: '2026-13-45' } },
      ['VALIDATION input.criteria.condition.value'],
    ],
    [
      'days out of range',
      { condition: { field: 'CREATED_AT', operator: 'WITHIN_LAST_DAYS', value: -1 } },
      ['VALIDATION input.criteria.condition.value'],
    ],
    [
      'IS_EMPTY needs a boolean',
      { condition: { field: 'REGION', operator: 'IS_EMPTY', value: 'yes' } },
      ['VALIDATION input.criteria.condition.value'],
    ],
    [
      'event without type',
      { condition: { field: 'EVENT_COUNT', operator: 'GTE', value: 1, event: { type: '', withinLastDays: 3 } } },
      ['VALIDATION input.criteria.condition.event.type'],
    ],
    [
      'property key without value',
      {
        condition: {
          field: 'EVENT_COUNT',
          operator: 'GTE',
          value: 1,
          event: { type: 'a', withinLastDays: 3, propertyKey: 'k' },
        },
      },
      ['VALIDATION input.criteria.condition.event.propertyKey'],
    ],
    [
      'distance without point',
      { condition: { field: 'DISTANCE_KM', operator: 'LT', value: 5 } },
      ['VALIDATION input.criteria.condition.point'],
    ],
    [
      'segment id of another type',
      { condition: { field: 'SEGMENT', operator: 'EQ', segmentId: 'nope' } },
      ['NOT_FOUND input.criteria.condition.segmentId'],
    ],
    [
      'value on a segment condition',
      { condition: { field: 'SEGMENT', operator: 'EQ', segmentId: `gid:${SEG}`, value: 1 } },
      ['VALIDATION input.criteria.condition.value'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(paths(input)).toEqual(expected);
  });

  it('stops at depth 5 and at 50 conditions without recursing', () => {
    let deep: CriteriaInput = { condition: { field: 'AGE', operator: 'GT', value: 1 } };
    for (let i = 0; i < 100_000; i++) deep = { not: deep }; // recursion would overflow the stack
    expect(paths(deep)).toEqual(['VALIDATION input.criteria.not.not.not.not.not']);
    const wide: CriteriaInput = {
      and: Array.from({ length: 10_000 }, () => ({ condition: { field: 'AGE', operator: 'GT', value: 1 } })),
    };
    expect(paths(wide)).toHaveLength(1);
  });

  it('returns the normalised tree with decoded segment ids and the references to check', () => {
    const result = validateCriteria(
      { or: [{ condition: { field: 'SEGMENT', operator: 'EQ', segmentId: `gid:${SEG}` } }] },
      ['criteria'],
      decode,
    );
    expect(result.criteria).toEqual({ or: [{ condition: { field: 'SEGMENT', operator: 'EQ', segmentId: SEG } }] });
    expect(result.segmentRefs).toEqual([{ id: SEG, field: ['criteria', 'or', '0', 'condition', 'segmentId'] }]);
  });
});

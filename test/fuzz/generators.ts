// Request generators of the fuzz suite (fast-check arbitraries). Each yields one HTTP request:
// a raw body or a GraphQL payload, and who sends it. They aim at classes of failure, not at
// known examples: garbage bodies, garbage variables for real operations, forged cursors and
// IDs, dates at and beyond the edges, LIKE metacharacters, and documents that are deep, long,
// wide or heavily aliased.
import fc from 'fast-check';
import { NODE_TYPES } from '../../src/graphql/relay';
import { OPERATIONS, type Operation } from './operations';

export type Sender = 'admin' | 'manager' | 'agent' | 'analyst' | 'anonymous' | 'forged';

export interface FuzzRequest {
  /** Which generator made it (for the summary). */
  kind: string;
  who: Sender;
  /** A string is sent as it is; anything else as JSON. */
  body: unknown;
  contentType?: string;
}

const sender = fc.constantFrom<Sender>('admin', 'manager', 'agent', 'analyst', 'anonymous', 'forged');
const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** Strings that have broken parsers, casts and LIKE patterns before, mixed with random ones. */
const nastyString = fc.oneof(
  fc.constantFrom('', ' ', '%', '_', '\\', '%%', '\\%', 'a\\', "'", '"', '\0', 'a\0b', '💥', '\u202e', '\ud800', 'null', 'undefined', 'NaN', '-1', '1e309', '0x10', '__proto__', 'constructor', 'toString', '[object Object]', '{}', '[]', '\n', '\r\n', '\t'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 201, max: 150_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1, max: 5_000 }).map((n) => '%_\\'.repeat(n)),
);

const uuid = fc.uuid({ version: [1, 2, 3, 4, 5] });
const year = fc.oneof(fc.integer({ min: 0, max: 10_050 }), fc.constantFrom(0, 1, 1899, 1900, 1969, 1970, 9999, 10_000, 275_760));
const isoYear = (y: number) => (y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : `${y < 0 ? '-' : '+'}${String(Math.abs(y)).padStart(6, '0')}`);

/** DateTime-ish strings: valid, at the edges, out of range, malformed. */
export const dateTimeString = fc.oneof(
  fc.tuple(year, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 })).map(([y, m, d, h]) => `${isoYear(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('0000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '1899-12-31T23:59:59Z', '9999-12-31T23:59:59Z', '10000-01-01T00:00:00Z', '2024-02-30T00:00:00Z', '1', 'yesterday', '2024-01-01', '2024-01-01T00:00:00+99:00'),
  nastyString,
);

/** LocalDate-ish strings. */
export const localDateString = fc.oneof(
  fc.tuple(year, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${isoYear(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('0000-01-01', '0001-01-01', '1899-12-31', '9999-12-31', '2024-02-29', '2023-02-29'),
  nastyString,
);

/** Values a cursor key could hold, honest or not. */
const cursorKey = fc.oneof(
  uuid,
  dateTimeString,
  localDateString,
  fc.constantFrom('00000000-0000-0000-0000-000000000000', '------------------------------------', '1', 1, -1, 0, 1.5, 2 ** 31, 2 ** 53, null, true, [], {}, '9'.repeat(40), '1e999'),
  fc.integer(),
  fc.double(),
  nastyString,
);

/** A forged cursor: base64url of JSON (usually an array of keys), or garbage. */
export const forgedCursor = fc.oneof(
  { weight: 6, arbitrary: fc.array(cursorKey, { maxLength: 5 }).map((keys) => base64url(JSON.stringify(keys))) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => base64url(JSON.stringify(value))) },
  { weight: 1, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 50 }).map((n) => base64url('['.repeat(n * 100))) },
);

/** A forged global ID: a known or hostile type name with a good or bad id part. */
export const forgedId = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.oneof(fc.constantFrom(...NODE_TYPES), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', ''), fc.string({ maxLength: 12 })), fc.oneof(uuid, nastyString)).map(([type, id]) => base64url(`${type}:${id}`)) },
  { weight: 1, arbitrary: nastyString },
);

/** Anything JSON can hold, sometimes deep, wide or long. */
export const garbageJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 20_000 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown) },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 20_000 }).map((n) => JSON.parse('{"a":'.repeat(n) + '1' + '}'.repeat(n)) as unknown) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 60_000 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
);

/** What the fuzz found in the database before it started: real IDs and cursors to mix in. */
export interface Known {
  customerIds: string[];
  cursors: string[];
}

/** A variable value for an argument: plausible for its kind most of the time, garbage otherwise. */
function variableValue(kind: Operation['variables'][string], known: Known): fc.Arbitrary<unknown> {
  const id = fc.oneof(forgedId, fc.constantFrom(...known.customerIds));
  const plausible: Record<typeof kind, fc.Arbitrary<unknown>> = {
    id,
    ids: fc.array(id, { maxLength: 150 }),
    cursor: fc.oneof(forgedCursor, fc.constantFrom(...known.cursors)),
    first: fc.oneof(fc.integer({ min: -5, max: 105 }), fc.constantFrom(2 ** 31, -(2 ** 31), 1.5)),
    text: nastyString,
    dateTime: dateTimeString,
    localDate: localDateString,
    decimal: fc.oneof(fc.constantFrom('0', '-1', '1e5', '99999999999999999999', '0.0000001', '1.5', 'NaN'), fc.double().map(String), nastyString),
    json: garbageJson,
    int: fc.oneof(fc.integer(), fc.constantFrom(2 ** 31, 2 ** 53, -1, 0, 1e308)),
    enumList: fc.array(fc.constantFrom('ACTIVE', 'INACTIVE', 'NOPE', '', 'active'), { maxLength: 4 }),
    any: garbageJson,
  };
  return fc.oneof({ weight: 4, arbitrary: plausible[kind] }, { weight: 1, arbitrary: garbageJson });
}

/** A real operation of the schema, with variables that are plausible, forged or garbage. */
export const realOperation = (known: Known): fc.Arbitrary<FuzzRequest> =>
  fc.constantFrom(...OPERATIONS).chain((operation) =>
    fc.record({
      kind: fc.constant(`operation ${operation.name}`),
      who: sender,
      body: fc
        .record(Object.fromEntries(Object.entries(operation.variables).map(([name, kind]) => [name, fc.option(variableValue(kind, known), { nil: undefined })])))
        .map((variables) => ({ query: operation.query, variables })),
    }),
  );

/** Bodies that are not GraphQL requests at all, or only nearly. */
export const garbageBody: fc.Arbitrary<FuzzRequest> = fc.record({
  kind: fc.constant('garbage body'),
  who: sender,
  body: fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    garbageJson,
    fc.record({ query: garbageJson }),
    fc.record({ query: fc.constantFrom('{ me { id } }', 'query { customers { totalCount } }', '{'), variables: garbageJson, operationName: fc.option(garbageJson), extensions: fc.option(garbageJson) }),
    fc.string({ maxLength: 300 }).map((query) => ({ query })),
  ),
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/graphql', 'multipart/form-data'),
});

const repeat = (n: number, make: (i: number) => string, separator = ' ') => Array.from({ length: n }, (_, i) => make(i)).join(separator);

/** Documents that are deep, long, wide, heavily aliased or chained through fragments. */
export const hostileDocument: fc.Arbitrary<FuzzRequest> = fc
  .oneof(
    // Nested selections (and nesting of list/object literals in arguments).
    fc.integer({ min: 1, max: 20_000 }).map((n) => `{ ${'customers(first: 1) { edges { node { '.repeat(Math.min(n, 3_000))} id ${'} } }'.repeat(Math.min(n, 3_000))} }`),
    fc.integer({ min: 1, max: 20_000 }).map((n) => `{ nodes(ids: ${'['.repeat(n)}"x"${']'.repeat(n)}) { id } }`),
    fc.integer({ min: 1, max: 20_000 }).map((n) => `mutation { policyCreate(customerId: "x", input: { attributes: ${'{a: '.repeat(n)}1${'}'.repeat(n)} }) { userErrors { code } } }`),
    // A chain of fragments, and a fan-out where each level spreads the next one many times.
    fc.integer({ min: 1, max: 12_000 }).map((n) => `query { ...F0 } ${repeat(n, (i) => `fragment F${i} on Query { ${i < n - 1 ? `...F${i + 1}` : '__typename'} }`)}`),
    fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 12 })).map(([levels, width]) => `query { ...A0 } ${repeat(levels, (i) => `fragment A${i} on Query { ${i < levels - 1 ? repeat(width, (j) => `a${j}: __typename ...A${i + 1}`) : 'me { id }'} }`)}`),
    // Many aliases of expensive fields, of login, many root fields.
    fc.integer({ min: 2, max: 3_000 }).map((n) => `{ ${repeat(n, (i) => `a${i}: customers(first: 1, filter: { search: "${'%'.repeat(1 + (i % 3))}zz" }) { totalCount }`)} }`),
    fc.integer({ min: 2, max: 3_000 }).map((n) => `mutation { ${repeat(n, (i) => `l${i}: login(input: { email: "nobody${i}@example.com", password: "guess-${i}" }) { token }`)} }`),
    fc.integer({ min: 2, max: 400 }).map((n) => `{ ${repeat(n, (i) => `m${i}: me { id }`)} }`),
    fc.integer({ min: 2, max: 6_000 }).map((n) => `{ ${repeat(n, () => '__typename')} }`),
    fc.integer({ min: 1, max: 6 }).map((n) => `{ customers(first: 100) { edges { node { ${'orders(first: 100) { edges { node { customer { '.repeat(n)} id ${'} } } }'.repeat(n)} } } } }`),
    // Long tokens and many tokens.
    fc.integer({ min: 1, max: 200_000 }).map((n) => `{ customers(first: 1, filter: { search: "${'y'.repeat(n)}" }) { totalCount } }`),
    fc.integer({ min: 1, max: 60_000 }).map((n) => `{ me { id ${repeat(n, () => '#\n', '')} } }`),
    fc.integer({ min: 1, max: 60_000 }).map((n) => `query(${repeat(Math.min(n, 5_000), (i) => `$v${i}: Int`, ', ')}) { me { id } }`),
  )
  .chain((query) => fc.record({ kind: fc.constant('hostile document'), who: sender, body: fc.constant({ query }) }));

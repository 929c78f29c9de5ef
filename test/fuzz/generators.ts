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
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '%',
      '_',
      '\\',
      '%%',
      '\\%',
      'a\\',
      "'",
      '"',
      '\0',
      'a\0b',
      '💥',
      '\u202e',
      '\ud800',
      'null',
      'undefined',
      'NaN',
      '-1',
      '1e309',
      '0x10',
      '__proto__',
      'constructor',
      'toString',
      '[object Object]',
      '{}',
      '[]',
      '\n',
      '\r\n',
      '\t',
    ),
  },
  // LIKE metacharacters around ordinary text.
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', 'a', 'Zürich'),
        fc.constantFrom('%', '_', '\\', '\\%', '%\\'),
        fc.constantFrom('', 'b', '\\'),
      )
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 150_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => '%_\\'.repeat(n)) },
);

/** Text built to hit LIKE/ILIKE patterns: wildcards and a (trailing) escape character. */
const likeText = fc.oneof(
  fc.constantFrom('\\', '%\\', '_\\', '%%\\', 'a%\\', '%', '_', '%_%', '\\%', '\\_'),
  fc
    .tuple(fc.constantFrom('', '%', '_', 'a'), fc.constantFrom('%', '_', '\\'), fc.constantFrom('', '\\', '%'))
    .map((parts) => parts.join('')),
);

const uuid = fc.uuid({ version: [1, 2, 3, 4, 5] });
const year = fc.oneof(
  fc.integer({ min: 0, max: 10_050 }),
  fc.constantFrom(0, 1, 1899, 1900, 1969, 1970, 9999, 10_000, 275_760),
);
const isoYear = (y: number) =>
  y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : `${y < 0 ? '-' : '+'}${String(Math.abs(y)).padStart(6, '0')}`;

/** DateTime-ish strings: valid, at the edges, out of range, malformed. */
export const dateTimeString = fc.oneof(
  fc
    .tuple(year, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }))
    .map(
      ([y, m, d, h]) =>
        `${isoYear(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`,
    ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '1899-12-31T23:59:59Z',
    '9999-12-31T23:59:59Z',
    '10000-01-01T00:00:00Z',
    '2024-02-30T00:00:00Z',
    '1',
    'yesterday',
    '2024-01-01',
    '2024-01-01T00:00:00+99:00',
  ),
  nastyString,
);

/** LocalDate-ish strings. */
export const localDateString = fc.oneof(
  fc
    .tuple(year, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${isoYear(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('0000-01-01', '0001-01-01', '1899-12-31', '9999-12-31', '2024-02-29', '2023-02-29'),
  nastyString,
);

/** Values a cursor key could hold, honest or not. */
const cursorKey = fc.oneof(
  uuid,
  dateTimeString,
  localDateString,
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    '------------------------------------',
    '1',
    1,
    -1,
    0,
    1.5,
    2 ** 31,
    2 ** 53,
    null,
    true,
    [],
    {},
    '9'.repeat(40),
    '1e999',
  ),
  fc.integer(),
  fc.double(),
  nastyString,
);

/** A forged cursor: base64url of JSON (usually an array of keys), or garbage. */
export const forgedCursor = fc.oneof(
  { weight: 6, arbitrary: fc.array(cursorKey, { maxLength: 5 }).map((keys) => base64url(JSON.stringify(keys))) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => base64url(JSON.stringify(value))) },
  { weight: 1, arbitrary: nastyString },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 50 }).map((n) => base64url('['.repeat(n * 100) + ']'.repeat(n * 100))),
  },
);

/** A forged global ID: a known or hostile type name with a good or bad id part. */
export const forgedId = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.constantFrom(...NODE_TYPES),
          fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', ''),
          fc.string({ maxLength: 12 }),
        ),
        fc.oneof(uuid, nastyString),
      )
      .map(([type, id]) => base64url(`${type}:${id}`)),
  },
  { weight: 1, arbitrary: nastyString },
);

/**
 * JSON text spliced into a body as it is: values nested thousands deep cannot be built as
 * objects and serialised (JSON.stringify recurses), so they travel as text.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A body as JSON text, with every RawJson spliced in. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof RawJson ? `\u0001${raws.push(v.text) - 1}\u0001` : v,
  );
  return text.replace(/"\\u0001(\d+)\\u0001"/g, (_, i: string) => raws[Number(i)]);
}

/** Anything JSON can hold, sometimes deep, wide or long. */
export const garbageJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 20_000 }).map((n) => new RawJson('['.repeat(n) + ']'.repeat(n))) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 30, max: 20_000 }).map((n) => new RawJson(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)),
  },
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
    optionalId: id,
    ids: fc.array(id, { maxLength: 150 }),
    cursor: fc.oneof(forgedCursor, fc.constantFrom(...known.cursors)),
    first: fc.oneof(fc.integer({ min: -5, max: 105 }), fc.constantFrom(2 ** 31, -(2 ** 31), 1.5)),
    text: fc.oneof({ weight: 3, arbitrary: likeText }, { weight: 2, arbitrary: nastyString }),
    dateTime: dateTimeString,
    localDate: localDateString,
    decimal: fc.oneof(
      fc.constantFrom('0', '-1', '1e5', '99999999999999999999', '0.0000001', '1.5', 'NaN'),
      fc.double().map(String),
      nastyString,
    ),
    json: garbageJson,
    int: fc.oneof(fc.integer(), fc.constantFrom(2 ** 31, 2 ** 53, -1, 0, 1e308)),
    enumList: fc.array(fc.constantFrom('ACTIVE', 'INACTIVE', 'NOPE', '', 'active'), { maxLength: 4 }),
    sortField: fc.constantFrom('CREATED_AT', 'NAME', 'EMAIL', 'LAST_ACTIVITY', 'TOTAL_SPENT', 'NOPE', ''),
    any: garbageJson,
  };
  return fc.oneof({ weight: 4, arbitrary: plausible[kind] }, { weight: 1, arbitrary: garbageJson });
}

const isRequired = (operation: Operation, name: string) => new RegExp(`\\$${name}:\\s*[^,)$]*!`).test(operation.query);

/** A valid value of the kind (or none): the rest of a request whose one variable is hostile. */
function validValue(kind: Operation['variables'][string], known: Known): fc.Arbitrary<unknown> {
  const valid: Record<typeof kind, fc.Arbitrary<unknown>> = {
    id: fc.constantFrom(...known.customerIds),
    optionalId: fc.constant(undefined),
    ids: fc.array(fc.constantFrom(...known.customerIds), { minLength: 1, maxLength: 3 }),
    cursor: fc.constant(undefined), // a cursor is valid only for its own list and sort order
    first: fc.integer({ min: 1, max: 100 }),
    text: fc.constantFrom('smith', 'Fuzz', 'a', 'Zürich', 'x@example.com'),
    dateTime: fc
      .date({ min: new Date('1990-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    localDate: fc.constantFrom('2030-01-01', '2031-06-30', '1980-02-29'),
    decimal: fc.constantFrom('10.00', '0', '1234.5'),
    json: fc.constantFrom({}, { note: 'x' }),
    int: fc.integer({ min: 0, max: 100 }),
    enumList: fc.constantFrom(['ACTIVE'], undefined),
    sortField: fc.constantFrom('CREATED_AT', 'NAME', 'EMAIL', 'LAST_ACTIVITY', 'TOTAL_SPENT'),
    any: fc.constant(undefined),
  };
  return valid[kind];
}

/**
 * A real operation of the schema: either every variable plausible, forged or garbage, or (so that
 * the request gets past variable coercion and into the resolvers and SQL) all valid but one.
 */
export const realOperation = (known: Known): fc.Arbitrary<FuzzRequest> =>
  fc.constantFrom(...OPERATIONS).chain((operation) => {
    const entries = Object.entries(operation.variables);
    const allHostile = fc.record(
      Object.fromEntries(
        entries.map(([name, kind]) => [name, fc.option(variableValue(kind, known), { nil: undefined })]),
      ),
    );
    const oneHostile = fc
      .constantFrom(...entries.map(([name]) => name))
      .chain((target) =>
        fc.record(
          Object.fromEntries(
            entries.map(([name, kind]) => [
              name,
              name === target ? variableValue(kind, known) : validValue(kind, known),
            ]),
          ),
        ),
      );
    return fc.record({
      kind: fc.constant(`operation ${operation.name}`),
      who: sender,
      body: fc
        .oneof({ weight: 1, arbitrary: allHostile }, { weight: 3, arbitrary: oneHostile })
        .map((variables) => ({ query: operation.query, variables })),
    });
  });

/** Bodies that are not GraphQL requests at all, or only nearly. */
export const garbageBody: fc.Arbitrary<FuzzRequest> = fc.record({
  kind: fc.constant('garbage body'),
  who: sender,
  body: fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    garbageJson,
    fc.record({ query: garbageJson }),
    fc.record({
      query: fc.constantFrom('{ me { id } }', 'query { customers { totalCount } }', '{'),
      variables: garbageJson,
      operationName: fc.option(garbageJson),
      extensions: fc.option(garbageJson),
    }),
    fc.string({ maxLength: 300 }).map((query) => ({ query })),
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/graphql',
    'multipart/form-data',
  ),
});

const repeat = (n: number, make: (i: number) => string, separator = ' ') =>
  Array.from({ length: n }, (_, i) => make(i)).join(separator);

/** Documents that are deep, long, wide, heavily aliased or chained through fragments. */
export const hostileDocument: fc.Arbitrary<FuzzRequest> = fc
  .oneof(
    // Nested selections (and nesting of list/object literals in arguments).
    fc
      .integer({ min: 1, max: 20_000 })
      .map(
        (n) =>
          `{ ${'customers(first: 1) { edges { node { '.repeat(Math.min(n, 3_000))} id ${'} } }'.repeat(Math.min(n, 3_000))} }`,
      ),
    fc.integer({ min: 1, max: 20_000 }).map((n) => `{ nodes(ids: ${'['.repeat(n)}"x"${']'.repeat(n)}) { id } }`),
    fc
      .integer({ min: 1, max: 20_000 })
      .map(
        (n) =>
          `mutation { policyCreate(customerId: "x", input: { attributes: ${'{a: '.repeat(n)}1${'}'.repeat(n)} }) { userErrors { code } } }`,
      ),
    // A chain of fragments, and a fan-out where each level spreads the next one many times.
    fc
      .integer({ min: 1, max: 12_000 })
      .map(
        (n) =>
          `query { ...F0 } ${repeat(n, (i) => `fragment F${i} on Query { ${i < n - 1 ? `...F${i + 1}` : '__typename'} }`)}`,
      ),
    fc
      .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 12 }))
      .map(
        ([levels, width]) =>
          `query { ...A0 } ${repeat(levels, (i) => `fragment A${i} on Query { ${i < levels - 1 ? repeat(width, (j) => `a${j}: __typename ...A${i + 1}`) : 'me { id }'} }`)}`,
      ),
    // Many aliases of expensive fields, of login, many root fields.
    fc
      .integer({ min: 2, max: 3_000 })
      .map(
        (n) =>
          `{ ${repeat(n, (i) => `a${i}: customers(first: 1, filter: { search: "${'%'.repeat(1 + (i % 3))}zz" }) { totalCount }`)} }`,
      ),
    fc
      .integer({ min: 2, max: 3_000 })
      .map(
        (n) =>
          `mutation { ${repeat(n, (i) => `l${i}: login(input: { email: "nobody${i}@example.com", password: "guess-${i}" }) { token }`)} }`,
      ),
    fc.integer({ min: 2, max: 400 }).map((n) => `{ ${repeat(n, (i) => `m${i}: me { id }`)} }`),
    fc.integer({ min: 2, max: 6_000 }).map((n) => `{ ${repeat(n, () => '__typename')} }`),
    fc
      .integer({ min: 1, max: 6 })
      .map(
        (n) =>
          `{ customers(first: 100) { edges { node { ${'orders(first: 100) { edges { node { customer { '.repeat(n)} id ${'} } } }'.repeat(n)} } } } }`,
      ),
    // Long tokens and many tokens.
    fc
      .integer({ min: 1, max: 200_000 })
      .map((n) => `{ customers(first: 1, filter: { search: "${'y'.repeat(n)}" }) { totalCount } }`),
    fc.integer({ min: 1, max: 60_000 }).map((n) => `{ me { id ${repeat(n, () => '#\n', '')} } }`),
    fc
      .integer({ min: 1, max: 60_000 })
      .map((n) => `query(${repeat(Math.min(n, 5_000), (i) => `$v${i}: Int`, ', ')}) { me { id } }`),
  )
  .chain((query) => fc.record({ kind: fc.constant('hostile document'), who: sender, body: fc.constant({ query }) }));

/**
 * Coverage by construction: for every variable of every operation, `perVariable` requests in
 * which that variable alone is hostile and the rest valid, so each argument's validation is
 * reached on every run, whatever the seed (which only picks the hostile values and senders).
 */
export function sweepRequests(known: Known, perVariable: number, seed: number): FuzzRequest[] {
  const requests: FuzzRequest[] = [];
  let offset = 0;
  for (const operation of OPERATIONS) {
    const entries = Object.entries(operation.variables);
    for (const [target, targetKind] of entries) {
      // The others valid when required, absent when optional: a narrowing filter could spare the hostile value its evaluation.
      const other = (name: string, kind: Operation['variables'][string]) =>
        isRequired(operation, name) ? validValue(kind, known) : fc.constant(undefined);
      const arbitrary = fc.record({
        who: sender,
        variables: fc.record(
          Object.fromEntries(
            entries.map(([name, kind]) => [
              name,
              name === target ? variableValue(targetKind, known) : other(name, kind),
            ]),
          ),
        ),
      });
      for (const { who, variables } of fc.sample(arbitrary, { seed: seed + ++offset, numRuns: perVariable })) {
        requests.push({
          kind: `operation ${operation.name} ($${target})`,
          who,
          body: { query: operation.query, variables },
        });
      }
    }
  }
  return requests;
}

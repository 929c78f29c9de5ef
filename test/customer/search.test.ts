import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import type { CustomerFilter, CustomerSortField, SearchCustomersQuery, SortDirection } from '../generated/graphql';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type GraphQLResponse, type TestServer } from '../helpers/server';

const SearchCustomers = graphql(`
  query SearchCustomers($first: Int, $after: String, $filter: CustomerFilter, $sort: CustomerSort) {
    customers(first: $first, after: $after, filter: $filter, sort: $sort) {
      totalCount
      edges { cursor node { id } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

// ── The data set: 23 customers whose attributes cycle with different periods, so every filter
// selects a proper subset and every sort has ties (broken by id) and, for LAST_ACTIVITY, nulls.
const N = 23;
const DAY = 86_400_000;
const BASE = Date.UTC(2024, 0, 1);
const LAST = ['Adams', 'Baker', 'Clark', 'Davis', 'Evans'];
const FIRST = ['Anna', 'Ben', 'Cara', 'Dan'];
const SPECIAL_NAMES: Record<number, [string, string]> = {
  3: ['Zelda', 'Quinn'],
  8: ['Zelda', 'Moss'],
  13: ['Yara', 'Quinn'],
};
const PLACES = [
  ['Berlin', 'DE'],
  ['Paris', 'FR'],
  ['Springfield', 'US'],
] as const;
const STATUSES = ['ACTIVE', 'ACTIVE', 'INACTIVE', 'ACTIVE', 'SUSPENDED'] as const;
const GENDERS = ['FEMALE', 'MALE', 'OTHER', 'UNDISCLOSED'] as const;
const TIERS = ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'] as const;

function birthDateForAge(age: number): Date {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear() - age, now.getUTCMonth(), now.getUTCDate()));
  date.setUTCDate(date.getUTCDate() - 180); // half a year before the birthday: the age is exactly `age`
  return date;
}

const specs = Array.from({ length: N }, (_, i) => {
  const [firstName, lastName] = SPECIAL_NAMES[i] ?? [FIRST[i % 4], LAST[i % 5]];
  return {
    i,
    firstName,
    lastName,
    email: i === 8 ? 'special.mail@corp.test' : `m${String.fromCharCode(97 + ((i * 7) % 23))}x@example.com`,
    phone: i === 5 ? '+4930901820' : `+4477009${String(i).padStart(2, '0')}88`,
    status: STATUSES[i % 5],
    type: i % 3 === 0 ? ('BUSINESS' as const) : ('INDIVIDUAL' as const),
    gender: GENDERS[i % 4],
    tags: [...(i % 2 === 0 ? ['vip'] : []), ...(i % 3 === 0 ? ['newsletter'] : []), ...(i % 5 === 0 ? ['b2b'] : [])],
    age: i % 6 === 5 ? null : 18 + i * 3,
    owner: (['agent', 'otherAgent', null] as const)[i % 3],
    tier: TIERS[Math.floor(i / 3) % 4],
    createdAt: BASE + Math.floor(((i * 5) % 23) / 2) * DAY,
    lastActivityAt: i % 4 === 1 ? null : BASE + ((i * 3) % 7) * DAY + 10 * 3_600_000,
    cents: ((i * 11) % 9) * 10025,
    cities: i === 4 ? [PLACES[i % 3][0], 'Berlin'] : [PLACES[i % 3][0]],
    countries: i === 4 ? [PLACES[i % 3][1], 'DE'] : [PLACES[i % 3][1]],
  };
});
type Spec = (typeof specs)[number] & { id: string; globalId: string };

let server: TestServer;
let rows: Spec[];

beforeAll(async () => {
  server = await startTestServer();
  rows = [];
  for (const s of specs) {
    const c = await insertCustomer(server.db, {
      firstName: s.firstName,
      lastName: s.lastName,
      email: s.email,
      ownerId: s.owner ? server.staffIds[s.owner] : null,
      tags: s.tags,
      status: s.status,
      city: s.cities[0],
      country: s.countries[0],
      birthDate: s.age === null ? undefined : birthDateForAge(s.age),
      totalSpent: (s.cents / 100).toFixed(2),
      lastActivityAt: s.lastActivityAt === null ? null : new Date(s.lastActivityAt),
      createdAt: new Date(s.createdAt),
    });
    await server.db.prisma.customer.update({
      where: { id: c.id },
      data: { phone: s.phone, gender: s.gender, type: s.type, ...(s.i === 10 ? { number: 123 } : {}) },
    });
    await server.db.prisma.loyaltyAccount.update({ where: { customerId: c.id }, data: { tier: s.tier } });
    if (s.cities.length > 1)
      await server.db.prisma.address.create({
        data: { customerId: c.id, line1: '9 Second St', city: s.cities[1], country: s.countries[1] },
      });
    rows.push({ ...s, id: c.id, globalId: c.globalId });
  }
});
afterAll(() => server.close());

const byEmail = (a: Spec, b: Spec) => (a.email < b.email ? -1 : 1);

async function fetchAll(filter: CustomerFilter) {
  const res = await server.gql(SearchCustomers, { first: 100, filter, sort: { field: 'EMAIL', direction: 'ASC' } });
  expect(res.errors).toBeUndefined();
  return res.data!.customers;
}

describe('filters', () => {
  const cases: [string, () => CustomerFilter, (s: Spec) => boolean][] = [
    ['search: part of a last name', () => ({ search: 'ADA' }), (s) => s.lastName === 'Adams'],
    ['search: first name', () => ({ search: 'zelda' }), (s) => [3, 8].includes(s.i)],
    ['search: every word must match', () => ({ search: ' ZELDA   quinn ' }), (s) => s.i === 3],
    ['search: words in any order', () => ({ search: 'quin zel' }), (s) => s.i === 3],
    ['search: last name shared by two', () => ({ search: 'Quinn' }), (s) => [3, 13].includes(s.i)],
    ['search: e-mail', () => ({ search: 'Special.MAIL@corp' }), (s) => s.i === 8],
    ['search: phone digits with punctuation', () => ({ search: '3090-1820' }), (s) => s.i === 5],
    ['search: customer number C-000123', () => ({ search: 'C-000123' }), (s) => s.i === 10],
    ['search: customer number 123', () => ({ search: '123' }), (s) => s.i === 10],
    ['status', () => ({ status: ['INACTIVE', 'SUSPENDED'] }), (s) => s.status !== 'ACTIVE'],
    ['type', () => ({ type: ['BUSINESS'] }), (s) => s.type === 'BUSINESS'],
    [
      'tags (has all)',
      () => ({ tags: ['vip', 'newsletter'] }),
      (s) => s.tags.includes('vip') && s.tags.includes('newsletter'),
    ],
    ['gender', () => ({ gender: ['FEMALE', 'OTHER'] }), (s) => s.gender === 'FEMALE' || s.gender === 'OTHER'],
    ['ageMin and ageMax', () => ({ ageMin: 30, ageMax: 60 }), (s) => s.age !== null && s.age >= 30 && s.age <= 60],
    ['ageMin only', () => ({ ageMin: 45 }), (s) => s.age !== null && s.age >= 45],
    ['ageMax only', () => ({ ageMax: 27 }), (s) => s.age !== null && s.age <= 27],
    [
      'ownerId (global id)',
      () => ({ ownerId: toGlobalId('StaffUser', server.staffIds.otherAgent) }),
      (s) => s.owner === 'otherAgent',
    ],
    ['tier', () => ({ tier: ['GOLD', 'PLATINUM'] }), (s) => s.tier === 'GOLD' || s.tier === 'PLATINUM'],
    [
      'createdFrom / createdTo',
      () => ({
        createdFrom: new Date(BASE + 3.5 * DAY).toISOString(),
        createdTo: new Date(BASE + 8.5 * DAY).toISOString(),
      }),
      (s) => s.createdAt > BASE + 3.5 * DAY && s.createdAt < BASE + 8.5 * DAY,
    ],
    [
      'lastActivityFrom / lastActivityTo',
      () => ({
        lastActivityFrom: new Date(BASE + 2 * DAY).toISOString(),
        lastActivityTo: new Date(BASE + 5 * DAY).toISOString(),
      }),
      (s) => s.lastActivityAt !== null && s.lastActivityAt > BASE + 2 * DAY && s.lastActivityAt < BASE + 5 * DAY,
    ],
    [
      'totalSpentMin / totalSpentMax (inclusive Decimal strings)',
      () => ({ totalSpentMin: '200.50', totalSpentMax: '601.50' }),
      (s) => s.cents >= 20050 && s.cents <= 60150,
    ],
    ['city (case-insensitive, any address)', () => ({ city: 'bERLIN' }), (s) => s.cities.includes('Berlin')],
    ['country', () => ({ country: 'FR' }), (s) => s.countries.includes('FR')],
    [
      'several filters together',
      () => ({ status: ['ACTIVE'], tags: ['vip'], country: 'DE' }),
      (s) => s.status === 'ACTIVE' && s.tags.includes('vip') && s.countries.includes('DE'),
    ],
  ];

  it.each(cases)('%s', async (_name, filter, predicate) => {
    const expected = rows.filter(predicate).sort(byEmail);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(N);
    const page = await fetchAll(filter());
    expect(page.edges.map((e) => e.node.id)).toEqual(expected.map((s) => s.globalId));
    expect(page.totalCount).toBe(expected.length);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });
});

type Field = CustomerSortField;
const SORT_KEYS: Record<Field, (s: Spec) => (string | number | null)[]> = {
  CREATED_AT: (s) => [s.createdAt],
  NAME: (s) => [s.lastName, s.firstName],
  EMAIL: (s) => [s.email],
  LAST_ACTIVITY: (s) => [s.lastActivityAt],
  TOTAL_SPENT: (s) => [s.cents],
};

/** The order the API must return: the sort keys, then the id, in the direction; NULLs always last. */
function expectedOrder(field: Field, direction: SortDirection, subset = rows): string[] {
  const compare = (a: Spec, b: Spec) => {
    const ka = [...SORT_KEYS[field](a), a.id];
    const kb = [...SORT_KEYS[field](b), b.id];
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] === kb[i]) continue;
      if (ka[i] === null) return 1;
      if (kb[i] === null) return -1;
      const c = ka[i]! < kb[i]! ? -1 : 1;
      return direction === 'ASC' ? c : -c;
    }
    return 0;
  };
  return [...subset].sort(compare).map((s) => s.globalId);
}

/** Follows `after` from the first to the last page of 7, checking each page on the way. */
async function walk(
  sort: { field: Field; direction: SortDirection } | null,
  expectedTotal: number,
  filter?: CustomerFilter,
) {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pageNo = 0; pageNo < 10; pageNo++) {
    const res: GraphQLResponse<SearchCustomersQuery> = await server.gql(SearchCustomers, {
      first: 7,
      after,
      sort,
      filter,
    });
    expect(res.errors).toBeUndefined();
    const page = res.data!.customers;
    expect(page.totalCount).toBe(expectedTotal);
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]?.cursor ?? null);
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) {
      expect(ids.length).toBe(expectedTotal);
      return ids;
    }
    expect(page.edges).toHaveLength(7);
    after = page.pageInfo.endCursor;
  }
  throw new Error('more pages than there are customers');
}

describe('sorting with cursor pagination (pages of 7)', () => {
  const combos = (['CREATED_AT', 'NAME', 'EMAIL', 'LAST_ACTIVITY', 'TOTAL_SPENT'] as const).flatMap((field) =>
    (['ASC', 'DESC'] as const).map((direction) => [field, direction] as const),
  );

  it('the data set has ties and nulls in the sort keys (so the id tie-break is exercised)', () => {
    for (const field of ['CREATED_AT', 'NAME', 'LAST_ACTIVITY', 'TOTAL_SPENT'] as const) {
      expect(new Set(rows.map((s) => JSON.stringify(SORT_KEYS[field](s)))).size).toBeLessThan(N);
    }
    expect(rows.filter((s) => s.lastActivityAt === null).length).toBeGreaterThan(1);
  });

  it.each(combos)(
    '%s %s: all pages together are the full order, without duplicates or gaps',
    async (field, direction) => {
      const ids = await walk({ field, direction }, N);
      expect(new Set(ids).size).toBe(N);
      expect(ids).toEqual(expectedOrder(field, direction));
    },
  );

  it('LAST_ACTIVITY puts customers without activity last in both directions', async () => {
    const nulls = new Set(rows.filter((s) => s.lastActivityAt === null).map((s) => s.globalId));
    for (const direction of ['ASC', 'DESC'] as const) {
      const ids = await walk({ field: 'LAST_ACTIVITY', direction }, N);
      expect(new Set(ids.slice(N - nulls.size))).toEqual(nulls);
    }
  });

  it('without a sort, newest first', async () => {
    expect(await walk(null, N)).toEqual(expectedOrder('CREATED_AT', 'DESC'));
  });

  it('with a filter, totalCount is the filtered count on every page', async () => {
    const subset = rows.filter((s) => s.status !== 'SUSPENDED');
    expect(subset.length).toBeGreaterThan(14);
    const ids = await walk({ field: 'NAME', direction: 'DESC' }, subset.length, { status: ['ACTIVE', 'INACTIVE'] });
    expect(ids).toEqual(expectedOrder('NAME', 'DESC', subset));
  });
});

// The operations the benchmark sends (the scenarios of the performance issue), and how each one
// picks its inputs from the seeded data.

export const S1_BY_ID = `query S1($id: ID!) { customer(id: $id) { id customerNumber firstName lastName email status } }`;

export const S2_NESTED_LIST = `query S2 {
  customers(first: 50) {
    edges { node {
      id customerNumber firstName lastName email
      addresses { city country }
      loyalty { tier pointsBalance }
      orders(first: 3) { edges { node { id number total placedAt status } } }
    } }
  }
}`;

export const S3_DETAIL = `query S3($id: ID!) {
  customer(id: $id) {
    id customerNumber firstName lastName email phone status type tags totalSpent orderCount createdAt version
    addresses { id label line1 line2 city region postalCode country isDefault }
    loyalty {
      tier pointsBalance lifetimePoints
      transactions(first: 20) { edges { node { id type points balanceAfter reason createdAt } } }
    }
    orders(first: 40) { totalCount edges { node { id number total currency status placedAt } } }
    policies(first: 20) { edges { node { id policyNumber type status insurer productName premium premiumFrequency coverageAmount startDate endDate } } }
  }
}`;

export const S4_UPDATE = `mutation S4($id: ID!, $input: CustomerUpdateInput!) {
  customerUpdate(id: $id, input: $input) { customer { id version occupation } userErrors { code field message } }
}`;

export const S5_FILTERED = `query S5 {
  customers(first: 50, filter: { status: [ACTIVE], country: "US" }, sort: { field: TOTAL_SPENT, direction: DESC }) {
    totalCount
    edges { node { id customerNumber firstName lastName email totalSpent } }
  }
}`;

/** S5 with the estimate in place of the exact count (the 1,000,000-customer mode's answer to its count). */
export const S5_FILTERED_ESTIMATE = S5_FILTERED.replace('query S5 {', 'query S5e {').replace(
  'totalCount\n',
  'totalCountEstimate\n',
);
// A replace that found nothing would measure S5 again under another name.
if (!S5_FILTERED_ESTIMATE.includes('totalCountEstimate')) throw new Error('S5e: S5 no longer selects totalCount');

export const EARN = `mutation Earn($customerId: ID!, $input: LoyaltyPointsInput!) {
  loyaltyPointsEarn(customerId: $customerId, input: $input) { entry { id } account { tier pointsBalance } replayed userErrors { code field message } }
}`;

export interface BenchData {
  /** Global IDs of all customers. */
  ids: string[];
  /** Global IDs of customers with 40 orders and 20 policies (the detail page). */
  heavyIds: string[];
  /** Customers not yet updated by this benchmark, with their version (each is updated once). */
  updatable: { id: string; version: number }[];
  /** Unique per benchmark run (idempotency keys). */
  run: string;
}

export interface Scenario {
  name: string;
  /** The request body for call number n. */
  body: (n: number) => { query: string; variables?: Record<string, unknown> };
  /** Statements per operation the issue sets as the bound. */
  maxStatements?: number;
  /** Server CPU ms per request the issue sets as the target. */
  cpuTargetMs?: number;
}

const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];

export function scenarios(data: BenchData): Scenario[] {
  let updates = 0;
  return [
    {
      name: 'S1 by id',
      cpuTargetMs: 0.3,
      maxStatements: 1,
      body: () => ({ query: S1_BY_ID, variables: { id: pick(data.ids) } }),
    },
    { name: 'S2 nested list', cpuTargetMs: 1.7, maxStatements: 2, body: () => ({ query: S2_NESTED_LIST }) },
    {
      name: 'S3 detail',
      cpuTargetMs: 1.3,
      maxStatements: 3,
      body: () => ({ query: S3_DETAIL, variables: { id: pick(data.heavyIds) } }),
    },
    {
      name: 'S4 customerUpdate',
      cpuTargetMs: 0.5,
      maxStatements: 4,
      body: (n) => {
        const target = data.updatable[updates++ % data.updatable.length];
        target.version++; // the update succeeds and bumps it (a wrap-around sends the new version)
        return {
          query: S4_UPDATE,
          variables: { id: target.id, input: { version: target.version - 1, occupation: `Bench ${data.run} ${n}` } },
        };
      },
    },
    { name: 'S5 filtered+count', cpuTargetMs: 3, body: () => ({ query: S5_FILTERED }) },
    { name: 'S5e filtered+estimate', body: () => ({ query: S5_FILTERED_ESTIMATE }) },
    {
      name: 'loyalty earn',
      body: (n) => ({
        query: EARN,
        variables: {
          customerId: pick(data.ids),
          input: { idempotencyKey: `bench-${data.run}-${n}`, points: 10 + (n % 90), reason: 'Benchmark purchase' },
        },
      }),
    },
  ];
}

// Real operations of the schema, each with the kind of every variable so the fuzz can send
// plausible, forged or garbage values. Together they reach every connection's `after` cursor,
// every ID argument kind, the date filters, the text filters that become LIKE patterns, JSON
// inputs (policy attributes) and the public `login`.

export type VariableKind =
  | 'id'
  | 'optionalId'
  | 'ids'
  | 'cursor'
  | 'first'
  | 'text'
  | 'dateTime'
  | 'localDate'
  | 'decimal'
  | 'json'
  | 'int'
  | 'enumList'
  | 'sortField'
  | 'any';

export interface Operation {
  name: string;
  query: string;
  variables: Record<string, VariableKind>;
}

const page = { first: 'first', after: 'cursor' } as const;

export const OPERATIONS: Operation[] = [
  {
    name: 'customers',
    query: `query Customers($first: Int, $after: String, $sortField: CustomerSortField!, $direction: SortDirection, $search: String, $city: String, $createdFrom: DateTime, $createdTo: DateTime, $activeFrom: DateTime, $spentMin: Decimal, $ownerId: String, $segmentId: String, $tags: [String!], $ageMin: NonNegativeInt, $ageMax: NonNegativeInt, $status: [CustomerStatus!]) {
      customers(first: $first, after: $after, sort: { field: $sortField, direction: $direction }, filter: { search: $search, city: $city, createdFrom: $createdFrom, createdTo: $createdTo, lastActivityFrom: $activeFrom, totalSpentMin: $spentMin, ownerId: $ownerId, segmentId: $segmentId, tags: $tags, ageMin: $ageMin, ageMax: $ageMax, status: $status }) {
        totalCount edges { cursor node { id email lastName } } pageInfo { endCursor hasNextPage }
      }
    }`,
    variables: {
      ...page,
      sortField: 'sortField',
      direction: 'any',
      search: 'text',
      city: 'text',
      createdFrom: 'dateTime',
      createdTo: 'dateTime',
      activeFrom: 'dateTime',
      spentMin: 'decimal',
      ownerId: 'optionalId',
      segmentId: 'optionalId',
      tags: 'any',
      ageMin: 'int',
      ageMax: 'int',
      status: 'enumList',
    },
  },
  {
    name: 'customers sorted',
    query: `query CustomersSorted($after: String, $field: CustomerSortField!) { customers(first: 3, after: $after, sort: { field: $field }) { edges { cursor } } }`,
    variables: { after: 'cursor', field: 'sortField' },
  },
  {
    name: 'nested connections',
    query: `query Nested($first: Int, $after: String) {
      customers(first: 2) { edges { node {
        orders(first: $first, after: $after) { totalCount edges { cursor } }
        policies(first: $first, after: $after) { totalCount edges { cursor } }
        claims(first: $first, after: $after) { totalCount edges { cursor } }
        loyalty { transactions(first: $first, after: $after) { totalCount edges { cursor } } }
      } } }
    }`,
    variables: page,
  },
  {
    name: 'feedback',
    query: `query Feedback($first: Int, $after: String, $from: DateTime, $to: DateTime, $customerId: ID, $ratingMin: Int) { feedback(first: $first, after: $after, filter: { from: $from, to: $to, customerId: $customerId, ratingMin: $ratingMin }) { totalCount edges { cursor } } }`,
    variables: { ...page, from: 'dateTime', to: 'dateTime', customerId: 'optionalId', ratingMin: 'int' },
  },
  {
    name: 'policies',
    query: `query Policies($first: Int, $after: String, $insurer: String, $customerId: ID, $premiumMin: Decimal, $expiring: Int) { policies(first: $first, after: $after, filter: { insurer: $insurer, customerId: $customerId, premiumMin: $premiumMin, expiringWithinDays: $expiring }) { totalCount edges { cursor } } }`,
    variables: { ...page, insurer: 'text', customerId: 'optionalId', premiumMin: 'decimal', expiring: 'int' },
  },
  {
    name: 'renewal candidates',
    query: `query Renewals($first: Int, $after: String, $within: Int!) { renewalCandidates(first: $first, after: $after, withinDays: $within) { totalCount edges { cursor } } }`,
    variables: { ...page, within: 'int' },
  },
  {
    name: 'rewards',
    query: `query Rewards($first: Int, $after: String) { rewards(first: $first, after: $after, activeOnly: false) { totalCount edges { cursor } } }`,
    variables: page,
  },
  {
    name: 'lookups by id',
    query: `query Lookups($id: ID!, $number: String!) { node(id: $id) { id } customer(id: $id) { id } order(id: $id) { id } policy(id: $id) { id } claim(id: $id) { id } policyByNumber(number: $number) { id } }`,
    variables: { id: 'id', number: 'text' },
  },
  { name: 'nodes', query: `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }`, variables: { ids: 'ids' } },
  {
    name: 'login',
    query: `mutation Login($email: EmailAddress!, $password: String!) { login(input: { email: $email, password: $password }) { token userErrors { code } } }`,
    variables: { email: 'text', password: 'text' },
  },
  {
    name: 'customer create',
    query: `mutation Create($first: String!, $last: String!, $email: EmailAddress!, $birth: LocalDate, $notes: String, $tags: [String!], $income: Decimal, $city: String!, $country: CountryCode!) {
      customerCreate(input: { firstName: $first, lastName: $last, email: $email, birthDate: $birth, notes: $notes, tags: $tags, annualIncome: $income, consent: { dataProcessing: true }, addresses: [{ city: $city, country: $country, line1: "1 Fuzz Street" }] }) { customer { id } userErrors { code field } }
    }`,
    variables: {
      first: 'text',
      last: 'text',
      email: 'text',
      birth: 'localDate',
      notes: 'text',
      tags: 'any',
      income: 'decimal',
      city: 'text',
      country: 'text',
    },
  },
  {
    name: 'customer update',
    query: `mutation Update($id: ID!, $lastContactAt: DateTime, $ownerId: String, $version: Int!) { customerUpdate(id: $id, input: { lastContactAt: $lastContactAt, ownerId: $ownerId, version: $version }) { customer { id } userErrors { code field } } }`,
    variables: { id: 'id', lastContactAt: 'dateTime', ownerId: 'optionalId', version: 'int' },
  },
  {
    name: 'policy create',
    query: `mutation PolicyCreate($customerId: ID!, $attributes: JSON, $start: LocalDate!, $end: LocalDate!, $premium: Decimal!, $insurer: String!) {
      policyCreate(customerId: $customerId, input: { type: OTHER, insurer: $insurer, productName: "Fuzz", startDate: $start, endDate: $end, premium: $premium, premiumFrequency: MONTHLY, coverageAmount: "1000.00", attributes: $attributes }) { policy { id } userErrors { code field } }
    }`,
    variables: {
      customerId: 'id',
      attributes: 'json',
      start: 'localDate',
      end: 'localDate',
      premium: 'decimal',
      insurer: 'text',
    },
  },
  {
    name: 'order record',
    query: `mutation OrderRecord($customerId: ID!, $number: String!, $placedAt: DateTime!, $total: Decimal!) { orderRecord(customerId: $customerId, input: { number: $number, placedAt: $placedAt, total: $total, currency: "EUR" }) { order { id } userErrors { code field } } }`,
    variables: { customerId: 'id', number: 'text', placedAt: 'dateTime', total: 'decimal' },
  },
  {
    name: 'points earn',
    query: `mutation Earn($customerId: ID!, $points: Int!, $key: String!, $reason: String!) { loyaltyPointsEarn(customerId: $customerId, input: { points: $points, idempotencyKey: $key, reason: $reason }) { entry { id } userErrors { code field } } }`,
    variables: { customerId: 'id', points: 'int', key: 'text', reason: 'text' },
  },
  {
    name: 'bulk tags',
    query: `mutation BulkTags($ids: [ID!]!, $add: [String!]) { customerBulkUpdateTags(input: { ids: $ids, add: $add }) { userErrors { code field } } }`,
    variables: { ids: 'ids', add: 'any' },
  },
];

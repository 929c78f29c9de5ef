import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import type { CustCreateMutationVariables } from '../generated/graphql';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { databaseSnapshot } from '../helpers/snapshot';

const CustCreate = graphql(`
  mutation CustCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer {
        id customerNumber firstName lastName email phone birthDate age gender type status tags
        occupation annualIncome dependants version totalSpent orderCount
        preferences { language currency timezone preferredChannel paperless autoRenewal }
        consent { dataProcessing dataProcessingGivenAt marketing marketingGivenAt }
        owner { id name }
        addresses { label line1 city country isDefault }
        defaultAddress { label }
        loyalty { tier pointsBalance lifetimePoints }
      }
      userErrors { code field message }
    }
  }
`);

const CustRead = graphql(`
  query CustRead($id: ID!) {
    customer(id: $id) {
      id customerNumber email age birthDate
      preferences { language currency timezone preferredChannel paperless autoRenewal }
      consent { dataProcessing marketing marketingGivenAt }
      owner { id name role }
    }
  }
`);

const CustNode = graphql(`
  query CustNode($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Customer { email }
    }
  }
`);

const CustNodes = graphql(`
  query CustNodes($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      id
      ... on Customer { email }
      ... on Address { city isDefault customer { id } }
      ... on StaffUser { name role }
    }
  }
`);

type CreateInput = CustCreateMutationVariables['input'];
const baseInput = (overrides: Partial<CreateInput> = {}): CreateInput => ({
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: `ada-${Math.random().toString(36).slice(2, 10)}@example.com`,
  consent: { dataProcessing: true },
  ...overrides,
});

/** Whole years since a UTC birth date, computed independently of the server. */
function ageToday(year: number, month: number, day: number): number {
  const now = new Date();
  const before = now.getUTCMonth() + 1 < month || (now.getUTCMonth() + 1 === month && now.getUTCDate() < day);
  return now.getUTCFullYear() - year - (before ? 1 : 0);
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('customerCreate', () => {
  it('creates a customer with addresses, a BRONZE loyalty account, a welcome notification, audit and consent rows', async () => {
    const started = Date.now();
    const input = baseInput({
      firstName: '  Ada ',
      lastName: ' Lovelace  ',
      email: 'Ada.Lovelace@Example.COM',
      phone: '+442071838750',
      birthDate: '1990-06-15',
      gender: 'FEMALE',
      occupation: 'Engineer',
      annualIncome: '85000.50',
      dependants: 2,
      type: 'BUSINESS',
      tags: ['VIP', ' vip ', 'Newsletter'],
      preferences: {
        language: 'de',
        currency: 'EUR',
        timezone: 'Europe/Berlin',
        preferredChannel: 'SMS',
        paperless: false,
        autoRenewal: true,
      },
      consent: { dataProcessing: true, marketing: true },
      addresses: [
        { label: 'Home', line1: ' 1 Main St ', city: 'Berlin', country: 'DE' },
        { label: 'Office', line1: '2 Work Rd', city: 'Hamburg', country: 'DE' },
      ],
    });
    const res = await server.gql(CustCreate, { input }, 'agent');
    expect(res.errors).toBeUndefined();
    expect(res.data!.customerCreate.userErrors).toEqual([]);
    const c = res.data!.customerCreate.customer!;
    // Numbered from a sequence (other tests of this file may create customers first): C- and six digits.
    expect(c.customerNumber).toMatch(/^C-\d{6}$/);
    const customerNumber = Number(c.customerNumber.slice(2));
    expect(c).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada.lovelace@example.com',
      phone: '+442071838750',
      birthDate: '1990-06-15',
      age: ageToday(1990, 6, 15),
      gender: 'FEMALE',
      type: 'BUSINESS',
      status: 'ACTIVE',
      tags: ['vip', 'newsletter'],
      occupation: 'Engineer',
      annualIncome: '85000.5',
      dependants: 2,
      version: 1,
      totalSpent: '0',
      orderCount: 0,
      preferences: {
        language: 'de',
        currency: 'EUR',
        timezone: 'Europe/Berlin',
        preferredChannel: 'SMS',
        paperless: false,
        autoRenewal: true,
      },
      owner: { id: toGlobalId('StaffUser', server.staffIds.agent), name: 'Alice Agent' },
      loyalty: { tier: 'BRONZE', pointsBalance: 0, lifetimePoints: 0 },
    });
    expect(c.addresses).toEqual([
      { label: 'Home', line1: '1 Main St', city: 'Berlin', country: 'DE', isDefault: true },
      { label: 'Office', line1: '2 Work Rd', city: 'Hamburg', country: 'DE', isDefault: false },
    ]);
    expect(c.defaultAddress).toEqual({ label: 'Home' });
    expect(c.consent.dataProcessing).toBe(true);
    expect(c.consent.marketing).toBe(true);
    expect(Date.parse(c.consent.dataProcessingGivenAt!)).toBeGreaterThanOrEqual(started - 1000);
    expect(c.consent.marketingGivenAt).toBe(c.consent.dataProcessingGivenAt);

    const id = (await server.db.prisma.customer.findUniqueOrThrow({ where: { email: 'ada.lovelace@example.com' } })).id;
    expect(toGlobalId('Customer', id)).toBe(c.id);
    const prisma = server.db.prisma;
    expect(
      await prisma.loyaltyAccount.findMany({ where: { customerId: id }, select: { tier: true, pointsBalance: true } }),
    ).toEqual([{ tier: 'BRONZE', pointsBalance: 0 }]);
    const notifications = await prisma.notification.findMany({ where: { customerId: id } });
    expect(notifications.map((n) => [n.type, n.status, n.channel])).toEqual([['WELCOME', 'PENDING', 'SMS']]);
    expect(notifications[0].payload).toEqual({ customerNumber });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id } })).number).toBe(customerNumber);
    const audit = await prisma.auditEntry.findMany({ where: { entityId: id } });
    expect(audit.map((a) => [a.action, a.entityType, a.actorId, a.actorRole])).toEqual([
      ['customer.create', 'Customer', server.staffIds.agent, 'AGENT'],
    ]);
    expect(audit[0].changedFields).toEqual(expect.arrayContaining(['firstName', 'email', 'addresses', 'consent']));
    const consents = await prisma.consentChange.findMany({ where: { customerId: id }, orderBy: { kind: 'asc' } });
    expect(consents.map((x) => [x.kind, x.granted, x.actorId, x.source])).toEqual([
      ['DATA_PROCESSING', true, server.staffIds.agent, 'customerCreate'],
      ['MARKETING', true, server.staffIds.agent, 'customerCreate'],
    ]);
  });

  it('makes the address marked isDefault the default, and applies defaults when optional fields are omitted', async () => {
    const res = await server.gql(CustCreate, {
      input: baseInput({
        ownerId: toGlobalId('StaffUser', server.staffIds.otherAgent),
        addresses: [
          { label: 'A', line1: '1 A St', city: 'Paris', country: 'FR' },
          { label: 'B', line1: '2 B St', city: 'Lyon', country: 'FR', isDefault: true },
          { label: 'C', line1: '3 C St', city: 'Nice', country: 'FR', isDefault: false },
        ],
      }),
    });
    expect(res.data!.customerCreate.userErrors).toEqual([]);
    const c = res.data!.customerCreate.customer!;
    expect(c.customerNumber).toMatch(/^C-\d{6}$/);
    // Default first; A and C were created in the same statement, so their mutual order is the id tie-break.
    expect(c.addresses[0]).toMatchObject({ label: 'B', isDefault: true });
    expect(
      c.addresses
        .slice(1)
        .map((a) => [a.label, a.isDefault])
        .sort(),
    ).toEqual([
      ['A', false],
      ['C', false],
    ]);
    expect(c.defaultAddress).toEqual({ label: 'B' });
    expect(c).toMatchObject({
      phone: null,
      birthDate: null,
      age: null,
      gender: 'UNDISCLOSED',
      type: 'INDIVIDUAL',
      tags: [],
      annualIncome: null,
      dependants: null,
    });
    expect(c.preferences).toEqual({
      language: 'en',
      currency: 'USD',
      timezone: 'UTC',
      preferredChannel: 'EMAIL',
      paperless: true,
      autoRenewal: false,
    });
    expect(c.consent).toMatchObject({ dataProcessing: true, marketing: false, marketingGivenAt: null });
    expect(c.owner).toEqual({ id: toGlobalId('StaffUser', server.staffIds.otherAgent), name: 'Bob Agent' });

    const row = await server.db.prisma.customer.findUniqueOrThrow({ where: { email: c.email } });
    const consents = await server.db.prisma.consentChange.findMany({ where: { customerId: row.id } });
    expect(consents.map((x) => [x.kind, x.granted, x.actorId])).toEqual([
      ['DATA_PROCESSING', true, server.staffIds.admin],
    ]);
    expect(await server.db.prisma.notification.count({ where: { customerId: row.id, type: 'WELCOME' } })).toBe(1);
    expect(await server.db.prisma.address.count({ where: { customerId: row.id, isDefault: true } })).toBe(1);
  });

  it('without addresses creates none (and no default)', async () => {
    const res = await server.gql(CustCreate, { input: baseInput() }, 'manager');
    const c = res.data!.customerCreate.customer!;
    expect(c.addresses).toEqual([]);
    expect(c.defaultAddress).toBeNull();
    expect(c.owner).toBeNull();
    expect(c.loyalty).toEqual({ tier: 'BRONZE', pointsBalance: 0, lifetimePoints: 0 });
  });

  it('is one transaction: a duplicate e-mail (in any case) writes nothing at all', async () => {
    await insertCustomer(server.db, { email: 'taken@example.com' });
    const before = await databaseSnapshot(server.db);
    const res = await server.gql(CustCreate, {
      input: baseInput({
        email: 'TAKEN@example.com',
        consent: { dataProcessing: true, marketing: true },
        addresses: [{ line1: '1 X St', city: 'Rome', country: 'IT' }],
      }),
    });
    expect(res.data!.customerCreate.customer).toBeNull();
    expect(res.data!.customerCreate.userErrors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE', field: ['input', 'email'] }),
    ]);
    expect(await databaseSnapshot(server.db)).toEqual(before);
  });
});

describe('reading customers', () => {
  let customer: Awaited<ReturnType<typeof insertCustomer>>;
  beforeAll(async () => {
    customer = await insertCustomer(server.db, {
      ownerId: server.staffIds.agent,
      email: 'read@example.com',
      birthDate: new Date('1980-02-29T00:00:00Z'),
      addresses: 2,
    });
    await server.db.prisma.customer.update({
      where: { id: customer.id },
      data: {
        prefLanguage: 'ko-KR',
        prefCurrency: 'KRW',
        prefTimezone: 'Asia/Seoul',
        prefChannel: 'POST',
        paperless: false,
        autoRenewal: true,
        marketingConsent: true,
        marketingConsentAt: new Date('2024-05-01T10:00:00Z'),
      },
    });
  });

  it('customer(id) returns every computed field', async () => {
    const res = await server.gql(CustRead, { id: customer.globalId });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customer).toEqual({
      id: customer.globalId,
      customerNumber: `C-${String(customer.number).padStart(6, '0')}`,
      email: 'read@example.com',
      birthDate: '1980-02-29',
      age: ageToday(1980, 2, 29),
      preferences: {
        language: 'ko-KR',
        currency: 'KRW',
        timezone: 'Asia/Seoul',
        preferredChannel: 'POST',
        paperless: false,
        autoRenewal: true,
      },
      consent: { dataProcessing: true, marketing: true, marketingGivenAt: '2024-05-01T10:00:00.000Z' },
      owner: { id: toGlobalId('StaffUser', server.staffIds.agent), name: 'Alice Agent', role: 'AGENT' },
    });
  });

  it('customer(id) is null for an unknown id', async () => {
    const res = await server.gql(CustRead, { id: toGlobalId('Customer', '00000000-0000-4000-8000-000000000000') });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customer).toBeNull();
  });

  it('node(id) refetches a customer', async () => {
    const res = await server.gql(CustNode, { id: customer.globalId });
    expect(res.data!.node).toEqual({ __typename: 'Customer', id: customer.globalId, email: 'read@example.com' });
  });

  it('nodes(ids) resolves mixed types in order, with null for unknown ids', async () => {
    const addresses = await server.db.prisma.address.findMany({
      where: { customerId: customer.id },
      orderBy: { isDefault: 'desc' },
    });
    const ids = [
      toGlobalId('Address', addresses[0].id),
      'not-a-global-id',
      customer.globalId,
      toGlobalId('Customer', '00000000-0000-4000-8000-000000000000'),
      toGlobalId('StaffUser', server.staffIds.manager),
      toGlobalId('Address', addresses[1].id),
    ];
    const res = await server.gql(CustNodes, { ids });
    expect(res.errors).toBeUndefined();
    expect(res.data!.nodes).toEqual([
      { __typename: 'Address', id: ids[0], city: 'Springfield', isDefault: true, customer: { id: customer.globalId } },
      null,
      { __typename: 'Customer', id: customer.globalId, email: 'read@example.com' },
      null,
      { __typename: 'StaffUser', id: ids[4], name: 'Max Manager', role: 'MANAGER' },
      { __typename: 'Address', id: ids[5], city: 'Springfield', isDefault: false, customer: { id: customer.globalId } },
    ]);
  });
});

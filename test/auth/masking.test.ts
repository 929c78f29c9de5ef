import { PERSONAL_FIELDS } from '../../src/auth/masking';
import { decodeCursor } from '../../src/shared/pagination';
import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { insertFeedback } from '../feedback/feedback.seed';

const MaskingEverything = graphql(`
  query MaskingEverything($id: ID!) {
    customer(id: $id) {
      firstName
      email
      phone
      birthDate
      age
      notes
      annualIncome
      addresses { line1 line2 postalCode city latitude longitude }
      policies(first: 5) { edges { node { attributes cancellationReason claims { description statusNote amount } } } }
      orders(first: 5) { edges { node { feedback { comment rating } } } }
      coverage { lifeCoverNeed { amount basis } }
    }
  }
`);

const MaskingSorted = graphql(`
  query MaskingSorted($sort: CustomerSort, $after: String) {
    customers(first: 2, sort: $sort, after: $after) { edges { cursor node { email } } pageInfo { endCursor } }
  }
`);

const MaskingSearch = graphql(`
  query MaskingSearch($search: String!) {
    customers(first: 5, filter: { search: $search }) { totalCount }
  }
`);

describe('one personal-data policy, applied to every field it lists, for ANALYST', () => {
  let server: TestServer;
  let jane: Awaited<ReturnType<typeof insertCustomer>>;

  beforeAll(async () => {
    server = await startTestServer();
    jane = await insertCustomer(server.db, {
      firstName: 'Jane',
      email: 'jane.doe@example.com',
      birthDate: new Date('1985-04-12T00:00:00Z'),
    });
    await insertCustomer(server.db, { email: 'albert@example.com' });
    await insertCustomer(server.db, { email: 'zoe@example.com' });
    await server.db.prisma.customer.update({
      where: { id: jane.id },
      data: { notes: 'Prefers calls after 6 pm; recently divorced', annualIncome: '84250.00' },
    });
    const address = await server.db.prisma.address.findFirstOrThrow({ where: { customerId: jane.id } });
    await server.db.prisma.address.update({
      where: { id: address.id },
      data: { line2: 'Apartment 4B', postalCode: '62704', latitude: 39.781721, longitude: -89.650148 },
    });
    const policy = await server.db.prisma.policy.create({
      data: {
        number: 'LIFE-000001',
        customerId: jane.id,
        type: 'LIFE',
        insurer: 'Acme',
        productName: 'Term Life',
        status: 'CANCELLED',
        premium: '40.00',
        premiumFrequency: 'MONTHLY',
        coverageAmount: '100000.00',
        currency: 'USD',
        startDate: new Date('2025-01-01'),
        endDate: new Date('2045-01-01'),
        attributes: { insuredPersons: [{ name: 'Jane Doe', birthDate: '1985-04-12', relationship: 'SELF' }] },
        cancelledAt: new Date(),
        cancellationReason: 'Moved to her new partner John Roe',
      },
    });
    await server.db.prisma.claim.create({
      data: {
        policyId: policy.id,
        amount: '1500.00',
        description: 'Broken leg after a fall at home',
        statusNote: 'Hospital report received',
      },
    });
    await insertFeedback(server.db, jane.id, { comment: 'Driver was rude to me and my daughter Lily', rating: 2 });
  });
  afterAll(() => server.close());

  it('the ADMIN sees every value; the ANALYST sees each listed field masked, through HTTP', async () => {
    const admin = (await server.gql(MaskingEverything, { id: jane.globalId }, 'admin')).data!.customer!;
    const analyst = await server.gql(MaskingEverything, { id: jane.globalId }, 'analyst');

    expect(admin).toMatchObject({
      email: 'jane.doe@example.com',
      phone: '+14155550123',
      birthDate: '1985-04-12',
      notes: expect.stringContaining('divorced'),
      annualIncome: '84250',
    });
    expect(admin.addresses[0]).toMatchObject({
      line2: 'Apartment 4B',
      postalCode: '62704',
      latitude: 39.781721,
      longitude: -89.650148,
    });
    expect(admin.coverage.lifeCoverNeed!.basis).toContain('84,250');

    expect(analyst.errors).toBeUndefined();
    const c = analyst.data!.customer!;
    expect(c).toMatchObject({
      firstName: 'Jane',
      email: 'j***@example.com',
      phone: '+1******0123',
      birthDate: null,
      age: admin.age,
      notes: null,
      annualIncome: null,
    });
    expect(c.addresses).toEqual([
      { line1: null, line2: null, postalCode: null, city: 'Springfield', latitude: 39.8, longitude: -89.7 },
    ]);
    const policy = c.policies.edges[0]!.node;
    expect(policy.cancellationReason).toBeNull();
    expect(policy.attributes).toEqual({ insuredPersons: [{ name: null, birthDate: null, relationship: 'SELF' }] });
    expect(policy.claims).toEqual([{ description: null, statusNote: null, amount: '1500' }]);
    expect(c.orders.edges[0]!.node.feedback).toEqual({ comment: null, rating: 2 });
    expect(c.coverage.lifeCoverNeed!.basis).not.toMatch(/84|250/);
    expect(c.coverage.lifeCoverNeed!.amount).not.toBe(admin.coverage.lifeCoverNeed!.amount);

    // Nothing personal anywhere in the analyst's response.
    const text = JSON.stringify(analyst.data);
    for (const secret of [
      'jane.doe',
      '4155550123',
      '1985-04-12',
      'divorced',
      '84250',
      'Apartment',
      '62704',
      '39.78',
      'Jane Doe',
      'John Roe',
      'Broken leg',
      'Hospital',
      'Lily',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('refuses sorting by a masked field as FORBIDDEN naming the input field, and allows it to others', async () => {
    const res = await server.gql(MaskingSorted, { sort: { field: 'EMAIL' } }, 'analyst');

    expect(res.data).toBeNull();
    expect(res.errors).toEqual([
      expect.objectContaining({ path: ['customers'], extensions: { code: 'FORBIDDEN', field: ['sort', 'field'] } }),
    ]);
    const manager = await server.gql(MaskingSorted, { sort: { field: 'EMAIL' } }, 'manager');
    expect(manager.data!.customers.edges.map((e) => e.node.email)).toEqual([
      'albert@example.com',
      'jane.doe@example.com',
    ]);
  });

  it("never puts a personal value into an analyst's cursors, on any page of any sort it may use", async () => {
    for (const field of ['CREATED_AT', 'NAME', 'LAST_ACTIVITY', 'TOTAL_SPENT'] as const) {
      const first = await server.gql(MaskingSorted, { sort: { field } }, 'analyst');
      const second = await server.gql(
        MaskingSorted,
        { sort: { field }, after: first.data!.customers.pageInfo.endCursor },
        'analyst',
      );
      for (const edge of [...first.data!.customers.edges, ...second.data!.customers.edges]) {
        expect(JSON.stringify(decodeCursor(edge.cursor))).not.toMatch(/@|\+1415/);
      }
    }
  });

  it('search does not match masked fields for the analyst (it would confirm what the mask hides)', async () => {
    expect(
      (await server.gql(MaskingSearch, { search: 'jane.doe@example.com' }, 'analyst')).data!.customers.totalCount,
    ).toBe(0);
    expect((await server.gql(MaskingSearch, { search: '+14155550123' }, 'analyst')).data!.customers.totalCount).toBe(0);
    expect((await server.gql(MaskingSearch, { search: 'Jane' }, 'analyst')).data!.customers.totalCount).toBe(1);
    expect(
      (await server.gql(MaskingSearch, { search: 'jane.doe@example.com' }, 'manager')).data!.customers.totalCount,
    ).toBe(1);
  });

  it('the policy table lists the personal data the documentation promises', () => {
    const listed = Object.entries(PERSONAL_FIELDS).flatMap(([type, fields]) =>
      Object.keys(fields).map((f) => `${type}.${f}`),
    );
    expect(listed).toEqual(
      expect.arrayContaining([
        'Customer.email',
        'Customer.phone',
        'Customer.birthDate',
        'Customer.notes',
        'Customer.annualIncome',
        'Address.line1',
        'Address.line2',
        'Address.postalCode',
        'Address.latitude',
        'Address.longitude',
        'Feedback.comment',
        'Claim.description',
        'Policy.attributes',
        'Policy.cancellationReason',
      ]),
    );
  });
});

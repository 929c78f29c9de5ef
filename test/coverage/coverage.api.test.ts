// Customer.coverage through HTTP: policies are inserted straight into the database, the analysis
// is read through GraphQL. The rules themselves are tested in coverage.rules.test.ts.
import type { PolicyType } from '../../src/generated/prisma/enums';
import { graphql } from '../generated';
import { insertCustomer, insertCustomers } from '../helpers/factories';
import { expectNoLeak, unchanged } from '../helpers/bad-input';
import { countStatements, startTestServer, type TestServer } from '../helpers/server';

const CoverageOfCustomer = graphql(`
  query CoverageOfCustomer($id: ID!) {
    customer(id: $id) {
      coverage {
        currency
        totals { type currency coverage annualPremium policyCount }
        overall { currency coverage annualPremium policyCount }
        otherCurrencies { currency coverage annualPremium policyCount }
        lifeCoverNeed { method amount basis }
        gaps { type severity code explanation recommendation suggestedAmount policy { policyNumber } }
      }
    }
  }
`);

const CoverageCustomersPage = graphql(`
  query CoverageCustomersPage($first: Int!) {
    customers(first: $first) {
      edges { node { id coverage { gaps { code } } } }
    }
  }
`);

const CoverageCustomersBaseline = graphql(`
  query CoverageCustomersBaseline($first: Int!) {
    customers(first: $first) {
      edges { node { id } }
    }
  }
`);

const DimeUpdate = graphql(`
  mutation DimeUpdate($id: ID!, $input: CustomerUpdateInput!) {
    customerUpdate(id: $id, input: $input) {
      customer { id version debts mortgageBalance educationCosts coverage { lifeCoverNeed { method amount basis } } }
      userErrors { code field message }
    }
  }
`);

const DimeOf = graphql(`
  query DimeOf($id: ID!) {
    customer(id: $id) { id annualIncome debts mortgageBalance educationCosts }
  }
`);

const DAY_MS = 86_400_000;
const todayUtc = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
};
const inDays = (days: number) => new Date(todayUtc().getTime() + days * DAY_MS);

describe('Customer.coverage through the API', () => {
  let server: TestServer;
  let counter = 0;

  const addPolicy = (
    customerId: string,
    type: PolicyType,
    coverageAmount: string,
    extra: {
      status?: 'ACTIVE' | 'PENDING' | 'EXPIRED' | 'CANCELLED';
      premium?: string;
      premiumFrequency?: 'MONTHLY' | 'QUARTERLY' | 'ANNUAL';
      currency?: string;
      endDate?: Date;
    } = {},
  ) => {
    counter += 1;
    return server.db.prisma.policy.create({
      data: {
        number: `${type}-9${String(counter).padStart(5, '0')}`,
        customerId,
        type,
        insurer: 'Test Insurer',
        productName: `${type} test product`,
        status: extra.status ?? 'ACTIVE',
        premium: extra.premium ?? '10000',
        premiumFrequency: extra.premiumFrequency ?? 'MONTHLY',
        coverageAmount,
        currency: extra.currency ?? 'KRW',
        startDate: inDays(-365),
        endDate: extra.endDate ?? inDays(300),
        cancelledAt: extra.status === 'CANCELLED' ? new Date() : null,
        cancellationReason: extra.status === 'CANCELLED' ? 'test' : null,
      },
    });
  };

  /** A KRW customer earning 60,000,000 with 2 dependants, born 1960 (over 50 for good). */
  const addCustomer = async (
    fields: { prefCurrency?: string; annualIncome?: string | null; dependants?: number | null } = {},
  ) => {
    const customer = await insertCustomer(server.db, {
      ownerId: server.staffIds.agent,
      birthDate: new Date('1960-01-15T00:00:00Z'),
    });
    await server.db.prisma.customer.update({
      where: { id: customer.id },
      data: {
        prefCurrency: fields.prefCurrency ?? 'KRW',
        annualIncome: fields.annualIncome === undefined ? '60000000' : fields.annualIncome,
        dependants: fields.dependants === undefined ? 2 : fields.dependants,
      },
    });
    return customer;
  };

  const coverageOf = async (globalId: string, who: 'admin' | 'agent' | 'analyst' = 'admin') => {
    const res = await server.gql(CoverageOfCustomer, { id: globalId }, who);
    expect(res.errors).toBeUndefined();
    return res.data!.customer!.coverage;
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('reports totals, the needs estimate and explained gaps, with the expiring policy linked', async () => {
    const customer = await addCustomer();
    await addPolicy(customer.id, 'LIFE', '200000000', { premium: '100000', premiumFrequency: 'MONTHLY' });
    const home = await addPolicy(customer.id, 'HOME', '300000000', {
      premium: '500000',
      premiumFrequency: 'ANNUAL',
      endDate: inDays(10),
    });
    await addPolicy(customer.id, 'HEALTH', '50000000', { status: 'CANCELLED' });
    await addPolicy(customer.id, 'TRAVEL', '20000', { currency: 'USD', premium: '30', premiumFrequency: 'QUARTERLY' });

    const coverage = await coverageOf(customer.globalId);
    expect(coverage.currency).toBe('KRW');
    expect(coverage.totals).toHaveLength(8);
    expect(coverage.totals.find((t) => t.type === 'LIFE' && t.currency === 'KRW')).toEqual({
      type: 'LIFE',
      currency: 'KRW',
      coverage: '200000000',
      annualPremium: '1200000',
      policyCount: 1,
    });
    expect(coverage.totals.find((t) => t.type === 'HEALTH')).toEqual({
      type: 'HEALTH',
      currency: 'KRW',
      coverage: '0',
      annualPremium: '0',
      policyCount: 0,
    });
    expect(coverage.totals[7]).toEqual({
      type: 'TRAVEL',
      currency: 'USD',
      coverage: '20000',
      annualPremium: '120',
      policyCount: 1,
    });
    expect(coverage.overall).toEqual({
      currency: 'KRW',
      coverage: '500000000',
      annualPremium: '1700000',
      policyCount: 2,
    });
    expect(coverage.otherCurrencies).toEqual([
      { currency: 'USD', coverage: '20000', annualPremium: '120', policyCount: 1 },
    ]);
    expect(coverage.lifeCoverNeed).toEqual({
      method: 'INCOME_MULTIPLE',
      amount: '600000000',
      basis: '10 × annual income of 60,000,000 KRW',
    });

    expect(
      coverage.gaps.map((g) => [g.code, g.severity, g.type, g.suggestedAmount, g.policy?.policyNumber ?? null]),
    ).toEqual([
      ['AGE_NO_HEALTH', 'HIGH', 'HEALTH', null, null],
      ['LIFE_BELOW_NEED', 'HIGH', 'LIFE', '400000000', null],
      ['AGE_NO_ACCIDENT', 'MEDIUM', 'ACCIDENT', null, null],
      ['EXPIRING_SOON', 'MEDIUM', 'HOME', null, home.number],
      ['MIXED_CURRENCY', 'LOW', null, null, null],
    ]);
    expect(coverage.gaps[0].explanation).toMatch(
      /^The customer is \d+, over 50, and has no active HEALTH policy \(not counted: 1 CANCELLED\); medical costs rise with age\.$/,
    );
    expect(coverage.gaps[1].explanation).toBe(
      'Active LIFE cover of 200,000,000 KRW is below the estimated need of 600,000,000 KRW (10 × annual income of 60,000,000 KRW); the shortfall is 400,000,000 KRW.',
    );
    expect(coverage.gaps[3].explanation).toBe(
      `HOME policy ${home.number} ends in 10 days on ${inDays(10).toISOString().slice(0, 10)} (coverage 300,000,000 KRW).`,
    );
    expect(coverage.gaps[4].recommendation).toContain('USD');
  });

  it('a customer without policies: zero totals, NO_LIFE with the need, missing health and the floor', async () => {
    const customer = await addCustomer({ annualIncome: '50000000', dependants: 1 });
    const coverage = await coverageOf(customer.globalId);
    expect(coverage.totals).toHaveLength(7);
    expect(
      coverage.totals.every(
        (t) => t.currency === 'KRW' && t.coverage === '0' && t.annualPremium === '0' && t.policyCount === 0,
      ),
    ).toBe(true);
    expect(coverage.overall).toEqual({ currency: 'KRW', coverage: '0', annualPremium: '0', policyCount: 0 });
    expect(coverage.gaps.map((g) => [g.code, g.severity, g.suggestedAmount])).toEqual([
      ['NO_LIFE', 'HIGH', '500000000'],
      ['AGE_NO_HEALTH', 'HIGH', null],
      ['TOTAL_BELOW_FLOOR', 'MEDIUM', '100000000'],
      ['AGE_NO_ACCIDENT', 'MEDIUM', null],
    ]);
  });

  it('a customer with only cancelled and expired policies gets the same answer as one with none', async () => {
    const customer = await addCustomer({ annualIncome: '50000000', dependants: 1 });
    await addPolicy(customer.id, 'LIFE', '500000000', { status: 'CANCELLED' });
    await addPolicy(customer.id, 'HEALTH', '100000000', { status: 'EXPIRED', endDate: inDays(-3) });
    await addPolicy(customer.id, 'ACCIDENT', '100000000', { status: 'CANCELLED', endDate: inDays(5) });
    const coverage = await coverageOf(customer.globalId);
    expect(coverage.overall).toEqual({ currency: 'KRW', coverage: '0', annualPremium: '0', policyCount: 0 });
    expect(coverage.gaps.map((g) => [g.code, g.severity, g.suggestedAmount])).toEqual([
      ['NO_LIFE', 'HIGH', '500000000'],
      ['AGE_NO_HEALTH', 'HIGH', null],
      ['TOTAL_BELOW_FLOOR', 'MEDIUM', '100000000'],
      ['AGE_NO_ACCIDENT', 'MEDIUM', null],
    ]);
    expect(coverage.gaps[0].explanation).toContain('(not counted: 1 CANCELLED)');
  });

  it('mixed currencies: a USD customer with EUR cover keeps EUR apart and says so', async () => {
    const customer = await addCustomer({ prefCurrency: 'USD', annualIncome: '80000', dependants: 0 });
    await addPolicy(customer.id, 'LIFE', '800000', { currency: 'USD', premium: '50' });
    await addPolicy(customer.id, 'HEALTH', '50000', { currency: 'EUR', premium: '100' });
    await addPolicy(customer.id, 'ACCIDENT', '25000', { currency: 'EUR', premium: '20' });
    const coverage = await coverageOf(customer.globalId);
    expect(coverage.overall).toEqual({ currency: 'USD', coverage: '800000', annualPremium: '600', policyCount: 1 });
    expect(coverage.otherCurrencies).toEqual([
      { currency: 'EUR', coverage: '75000', annualPremium: '1440', policyCount: 2 },
    ]);
    expect(coverage.totals.filter((t) => t.currency === 'EUR').map((t) => t.type)).toEqual(['HEALTH', 'ACCIDENT']);
    expect(coverage.gaps.map((g) => [g.code, g.severity])).toEqual([['MIXED_CURRENCY', 'LOW']]);
    expect(coverage.gaps[0].explanation).toBe(
      "2 active policies in EUR (coverage 75,000 EUR, annual premiums 1,440 EUR) are not in the customer's currency USD: they are totalled separately and not counted in the USD totals or amount checks.",
    );
  });

  it('debts, mortgage and education costs set through customerUpdate turn the need into DIME (worked example of docs/coverage-rules.md)', async () => {
    const customer = await addCustomer({ dependants: 3 });
    await addPolicy(customer.id, 'HEALTH', '100000000');
    const before = await coverageOf(customer.globalId, 'agent');
    expect(before.lifeCoverNeed).toMatchObject({ method: 'INCOME_MULTIPLE', amount: '600000000' });
    expect(before.gaps.find((g) => g.code === 'NO_LIFE')).toMatchObject({
      severity: 'HIGH',
      suggestedAmount: '600000000',
    });

    const updated = await server.gql(
      DimeUpdate,
      {
        id: customer.globalId,
        input: { version: 1, debts: '20000000', mortgageBalance: '300000000', educationCosts: '50000000' },
      },
      'agent',
    );
    expect(updated.data!.customerUpdate.userErrors).toEqual([]);
    expect(updated.data!.customerUpdate.customer).toMatchObject({
      debts: '20000000',
      mortgageBalance: '300000000',
      educationCosts: '50000000',
      coverage: {
        lifeCoverNeed: {
          method: 'DIME',
          amount: '970000000',
          basis:
            'DIME: debts 20,000,000 KRW + 10 years × income 60,000,000 KRW + mortgage 300,000,000 KRW + education 50,000,000 KRW',
        },
      },
    });
    const after = await coverageOf(customer.globalId, 'agent');
    expect(after.gaps.find((g) => g.code === 'NO_LIFE')).toMatchObject({
      severity: 'HIGH',
      suggestedAmount: '970000000',
    });
    const audit = await server.db.prisma.auditEntry.findFirstOrThrow({
      where: { entityId: customer.id, action: { contains: 'update' } },
      orderBy: { id: 'desc' },
    });
    expect(audit.changedFields).toEqual(expect.arrayContaining(['debts', 'mortgageBalance', 'educationCosts']));

    // Analysts see none of it (financial situation); null clears a term.
    const masked = await server.gql(DimeOf, { id: customer.globalId }, 'analyst');
    expect(masked.data!.customer).toMatchObject({ debts: null, mortgageBalance: null, educationCosts: null });
    const cleared = await server.gql(DimeUpdate, {
      id: customer.globalId,
      input: { version: 2, debts: null, mortgageBalance: null },
    });
    expect(cleared.data!.customerUpdate.customer!.coverage.lifeCoverNeed).toMatchObject({
      method: 'DIME',
      amount: '650000000', // 10 × 60,000,000 + education 50,000,000
    });
  });

  it('bad DIME amounts are VALIDATION errors at their field and change nothing', async () => {
    const customer = await addCustomer();
    for (const [field, value] of [
      ['debts', '-1'],
      ['mortgageBalance', '1.005'],
      ['educationCosts', '1000000000000'],
    ] as const) {
      const res = await unchanged(server.db, () =>
        server.gql(DimeUpdate, { id: customer.globalId, input: { version: 1, [field]: value } }),
      );
      expect(res.data!.customerUpdate.userErrors.map(({ code, field }) => ({ code, field }))).toEqual([
        { code: 'VALIDATION', field: ['input', field] },
      ]);
      expectNoLeak(res);
    }
  });

  it('an agent and an analyst can read the coverage of a customer they can see', async () => {
    const customer = await addCustomer();
    await addPolicy(customer.id, 'LIFE', '600000000');
    expect((await coverageOf(customer.globalId, 'agent')).overall.coverage).toBe('600000000');
    expect((await coverageOf(customer.globalId, 'analyst')).overall.coverage).toBe('600000000');
  });

  it('customers(first: N) { coverage { gaps { code } } } issues as many statements for N = 5 as for N = 50', async () => {
    // Enough customers (with policies) to fill the larger page, whatever the tests above added.
    const customers = await insertCustomers(server.db, 50, { birthDate: new Date('1960-01-15T00:00:00Z') });
    const ids = customers.map((c) => c.id);
    await server.db.prisma.customer.updateMany({
      where: { id: { in: ids } },
      data: { prefCurrency: 'KRW', annualIncome: '60000000', dependants: 2 },
    });
    await server.db.prisma.policy.createMany({
      data: ids.flatMap((customerId, i) =>
        (['LIFE', 'HOME'] as const).map((type) => ({
          number: `${type}-8${String(i).padStart(5, '0')}`,
          customerId,
          type,
          insurer: 'Test Insurer',
          productName: `${type} test product`,
          status: 'ACTIVE' as const,
          premium: '10000',
          premiumFrequency: 'MONTHLY' as const,
          coverageAmount: type === 'LIFE' ? '100000000' : '200000000',
          currency: 'KRW',
          startDate: inDays(-365),
          endDate: inDays(type === 'HOME' ? i % 40 : 300),
        })),
      ),
    });
    const token = await server.token('admin');
    const baseline = await countStatements(server.db, () =>
      server.gql(CoverageCustomersBaseline, { first: 5 }, { token }),
    );
    const five = await countStatements(server.db, () => server.gql(CoverageCustomersPage, { first: 5 }, { token }));
    const fifty = await countStatements(server.db, () => server.gql(CoverageCustomersPage, { first: 50 }, { token }));

    expect(five.result.errors).toBeUndefined();
    expect(fifty.result.errors).toBeUndefined();
    expect(five.result.data!.customers.edges).toHaveLength(5);
    expect(fifty.result.data!.customers.edges).toHaveLength(50);
    expect(fifty.result.data!.customers.edges.every((e) => e.node.coverage.gaps.length > 0)).toBe(true);
    // The page itself, plus ONE statement for the policies of every customer on it and ONE for the
    // coverage settings (read once per request, not per customer).
    expect(five.statements).toBe(baseline.statements + 2);
    expect(fifty.statements).toBe(five.statements);
  });
});

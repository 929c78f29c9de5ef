// Coverage thresholds as data: seeded with the defaults, read and changed by ADMIN through the API
// (validated, audited with the changed fields), applied by the gap analysis.
import { graphql } from '../generated';
import { expectNoLeak, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';

const Settings = graphql(`
  query CoverageSettingsRead {
    coverageSettings {
      dimeIncomeYears incomeMultiple ageNoHealthOlderThan ageNoAccidentOlderThan
      expiringWithinDays expiringUrgentWithinDays maxPremiumShareOfIncome updatedAt
      floors { currency amount }
    }
  }
`);

const SettingsUpdate = graphql(`
  mutation CoverageSettingsChange($input: CoverageSettingsUpdateInput!) {
    coverageSettingsUpdate(input: $input) {
      coverageSettings { incomeMultiple maxPremiumShareOfIncome expiringWithinDays floors { currency amount } }
      userErrors { code field message }
    }
  }
`);

const CoverageGaps = graphql(`
  query CoverageGapsWithSettings($id: ID!) {
    customer(id: $id) { coverage { lifeCoverNeed { amount basis } gaps { code severity suggestedAmount } } }
  }
`);

describe('coverageSettings and coverageSettingsUpdate', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const update = async (input: Record<string, unknown>, who: StaffKey = 'admin') => {
    const res = await server.gql(SettingsUpdate, { input }, who);
    expect(res.errors).toBeUndefined();
    return res.data!.coverageSettingsUpdate;
  };

  it('ADMIN changes thresholds and floors; the analysis uses them at once; the change is audited with its fields', async () => {
    const read = await server.gql(Settings, {}, 'admin');
    expect(read.data!.coverageSettings).toMatchObject({
      dimeIncomeYears: 10,
      incomeMultiple: 10,
      ageNoHealthOlderThan: 50,
      ageNoAccidentOlderThan: 50,
      expiringWithinDays: 30,
      expiringUrgentWithinDays: 7,
      maxPremiumShareOfIncome: '0.15',
    });
    expect(read.data!.coverageSettings.floors).toContainEqual({ currency: 'KRW', amount: '100000000' });
    expect(read.data!.coverageSettings.floors).toHaveLength(9);

    // A KRW customer (income 60,000,000, no policies): need 600,000,000, floor shortfall 100,000,000.
    const customer = await insertCustomer(server.db);
    await server.db.prisma.customer.update({
      where: { id: customer.id },
      data: { prefCurrency: 'KRW', annualIncome: '60000000', dependants: 1 },
    });
    const gaps = async () =>
      (await server.gql(CoverageGaps, { id: customer.globalId }, 'admin')).data!.customer!.coverage;
    const before = await gaps();
    expect(before.gaps).toEqual(
      expect.arrayContaining([
        { code: 'NO_LIFE', severity: 'HIGH', suggestedAmount: '600000000' },
        { code: 'TOTAL_BELOW_FLOOR', severity: 'MEDIUM', suggestedAmount: '100000000' },
      ]),
    );

    const changed = await update({
      incomeMultiple: 12,
      floors: [
        { currency: 'krw', amount: '250000000' },
        { currency: 'USD', amount: '80000' },
      ],
      expiringWithinDays: 30, // unchanged: not audited as changed
    });
    expect(changed.userErrors).toEqual([]);
    expect(changed.coverageSettings).toEqual({
      incomeMultiple: 12,
      maxPremiumShareOfIncome: '0.15',
      expiringWithinDays: 30,
      floors: [
        { currency: 'KRW', amount: '250000000' },
        { currency: 'USD', amount: '80000' },
      ],
    });
    const after = await gaps();
    expect(after.lifeCoverNeed).toMatchObject({ amount: '720000000', basis: '12 × annual income of 60,000,000 KRW' });
    expect(after.gaps).toEqual(
      expect.arrayContaining([
        { code: 'NO_LIFE', severity: 'HIGH', suggestedAmount: '720000000' },
        { code: 'TOTAL_BELOW_FLOOR', severity: 'MEDIUM', suggestedAmount: '250000000' },
      ]),
    );
    const audit = await server.db.prisma.auditEntry.findMany({ where: { action: 'coverage.settings.update' } });
    expect(audit).toEqual([
      expect.objectContaining({
        actorId: server.staffIds.admin,
        entityType: 'CoverageSettings',
        changedFields: ['incomeMultiple', 'floors'],
      }),
    ]);

    // The same values again change and audit nothing.
    expect((await update({ incomeMultiple: 12 })).userErrors).toEqual([]);
    expect(await server.db.prisma.auditEntry.count({ where: { action: 'coverage.settings.update' } })).toBe(1);

    // Back to the defaults, so that the figures above are this test's own.
    expect((await update({ incomeMultiple: 10, floors: read.data!.coverageSettings.floors })).userErrors).toEqual([]);
  });

  it('only ADMIN reads or changes them', async () => {
    for (const who of ['manager', 'agent', 'analyst'] as const) {
      const read = await server.gql(Settings, {}, who);
      expect(read.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const write = await unchanged(server.db, () =>
        server.gql(SettingsUpdate, { input: { incomeMultiple: 11 } }, who),
      );
      expect(write.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expectNoLeak(write);
    }
  });

  it.each<[string, Record<string, unknown>, string[][]]>([
    ['a multiple of 0', { incomeMultiple: 0 }, [['input', 'incomeMultiple']]],
    ['an age of 200', { ageNoHealthOlderThan: 200 }, [['input', 'ageNoHealthOlderThan']]],
    [
      'an urgent window beyond the expiry window',
      { expiringUrgentWithinDays: 40 },
      [['input', 'expiringUrgentWithinDays']],
    ],
    ['a share above 1', { maxPremiumShareOfIncome: '1.5' }, [['input', 'maxPremiumShareOfIncome']]],
    [
      'bad floors',
      {
        floors: [
          { currency: 'KRW', amount: '1' },
          { currency: 'KRWX', amount: '1' },
          { currency: 'krw', amount: '2' },
          { currency: 'USD', amount: '-3' },
        ],
      },
      [
        ['input', 'floors', '1', 'currency'],
        ['input', 'floors', '2', 'currency'],
        ['input', 'floors', '3', 'amount'],
      ],
    ],
  ])('%s is a VALIDATION error at its field and changes nothing', async (_name, input, fields) => {
    const res = await unchanged(server.db, () => server.gql(SettingsUpdate, { input }, 'admin'));
    expect(res.errors).toBeUndefined();
    const payload = res.data!.coverageSettingsUpdate;
    expect(payload.coverageSettings).toBeNull();
    expect(payload.userErrors.map((e) => [e.code, e.field])).toEqual(fields.map((f) => ['VALIDATION', f]));
    expectNoLeak(res);
  });

  it('variables that do not coerce are BAD_USER_INPUT and change nothing', async () => {
    const res = await unchanged(server.db, () =>
      server.post(
        {
          query: 'mutation { coverageSettingsUpdate(input: { incomeMultiple: "ten" }) { userErrors { code } } }',
        },
        'admin',
      ),
    );
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expectNoLeak(res);
  });
});

import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { databaseSnapshot } from '../helpers/snapshot';
import {
  ClaimFile,
  day,
  insertPolicy,
  PolicyCancel,
  PolicyCreate,
  policyInput,
  PolicyPremiumChange,
  PolicyRenew,
  PolicyUpdate,
} from './policy.documents';

// SPEC §5: each bad input gets a precise user error and leaves the database exactly as it was,
// including the policy tables the shared snapshot does not cover (numbers, histories).
describe('policy bad input leaves the database unchanged', () => {
  let server: TestServer;
  let customer: Awaited<ReturnType<typeof insertCustomer>>;
  let policy: Awaited<ReturnType<typeof insertPolicy>>;

  const snapshot = async () => {
    const tables: Record<string, string> = {};
    for (const table of ['policy_number_counters', 'policy_premium_changes', 'policy_renewals']) {
      const [row] = await server.db.sql.query<{ digest: string | null }>(
        `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${table} t`,
      );
      tables[table] = row.digest ?? '';
    }
    return { ...(await databaseSnapshot(server.db)), ...tables };
  };
  /** Runs the request and returns its user errors as [code, field] pairs, asserting nothing changed. */
  const refused = async (run: () => Promise<{ data?: unknown; errors?: unknown }>, key: string) => {
    const before = await snapshot();
    const res = await run();
    expect(res.errors).toBeUndefined();
    expect(await snapshot()).toEqual(before);
    const errors = (
      res.data as Record<string, { userErrors: { code: string; field: string[] | null; message: string }[] }>
    )[key].userErrors;
    expect(errors.length).toBeGreaterThan(0);
    return errors;
  };
  const codes = (errors: { code: string; field: string[] | null }[]) => errors.map((e) => [e.code, e.field]);
  const create = (input: Record<string, unknown>, who: 'admin' | 'agent' | 'otherAgent' = 'admin') =>
    refused(
      () =>
        server.gql(PolicyCreate, { customerId: customer.globalId, input: policyInput('AUTO', input) as never }, who),
      'policyCreate',
    );

  beforeAll(async () => {
    server = await startTestServer();
    customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    policy = await insertPolicy(server.db, customer.id, { coverageAmount: '50000' });
  });
  afterAll(() => server.close());

  it('a negative premium or coverage', async () => {
    expect(codes(await create({ premium: '-1.00' }))).toEqual([['VALIDATION', ['input', 'premium']]]);
    expect(codes(await create({ coverageAmount: '-50000', deductible: '0' }))).toEqual([
      ['VALIDATION', ['input', 'coverageAmount']],
    ]);
    expect(codes(await create({ premium: '0' }))).toEqual([['VALIDATION', ['input', 'premium']]]);
  });

  it('an absurd premium or coverage (above the limits, e.g. coverage > 1e13), or more than 2 decimals', async () => {
    expect(codes(await create({ coverageAmount: '10000000000001' }))).toEqual([
      ['VALIDATION', ['input', 'coverageAmount']],
    ]);
    expect(codes(await create({ premium: '99999999999999' }))).toEqual([['VALIDATION', ['input', 'premium']]]);
    expect(codes(await create({ premium: '10.005' }))).toEqual([['VALIDATION', ['input', 'premium']]]);
    expect(
      codes(
        await refused(
          () =>
            server.gql(PolicyPremiumChange, {
              id: policy.globalId,
              input: { premium: '1000000000000', reason: 'typo' },
            }),
          'policyPremiumChange',
        ),
      ),
    ).toEqual([['VALIDATION', ['input', 'premium']]]);
  });

  it('an end date before (or on) the start date', async () => {
    expect(codes(await create({ startDate: day(10), endDate: day(5) }))).toEqual([
      ['VALIDATION', ['input', 'endDate']],
    ]);
    expect(codes(await create({ startDate: day(10), endDate: day(10) }))).toEqual([
      ['VALIDATION', ['input', 'endDate']],
    ]);
    const update = await refused(
      () => server.gql(PolicyUpdate, { id: policy.globalId, input: { version: 1, endDate: day(-365) } }),
      'policyUpdate',
    );
    expect(codes(update)).toEqual([['VALIDATION', ['input', 'endDate']]]);
  });

  it('unknown or missing type-specific attributes, naming the key', async () => {
    const unknown = await create({
      attributes: { vehicle: { make: 'VW', model: 'Golf', year: 2019, colour: 'red' }, wings: 2 },
    });
    expect(codes(unknown)).toEqual([
      ['VALIDATION', ['input', 'attributes', 'wings']],
      ['VALIDATION', ['input', 'attributes', 'vehicle', 'colour']],
    ]);
    expect(unknown.map((e) => e.message)).toEqual([
      expect.stringContaining('"wings"'),
      expect.stringContaining('"vehicle.colour"'),
    ]);
    const home = await refused(
      () =>
        server.gql(PolicyCreate, {
          customerId: customer.globalId,
          input: policyInput('HOME', { attributes: { vehicle: {} } }) as never,
        }),
      'policyCreate',
    );
    expect(codes(home)).toEqual([
      ['VALIDATION', ['input', 'attributes', 'vehicle']],
      ['VALIDATION', ['input', 'attributes', 'property']],
    ]);
    const life = await refused(
      () =>
        server.gql(PolicyCreate, {
          customerId: customer.globalId,
          input: policyInput('LIFE', {
            attributes: { insuredPersons: [{ name: 'X', birthDate: '2999-01-01', age: 3 }] },
          }) as never,
        }),
      'policyCreate',
    );
    expect(codes(life)).toEqual([
      ['VALIDATION', ['input', 'attributes', 'insuredPersons', '0', 'age']],
      ['VALIDATION', ['input', 'attributes', 'insuredPersons', '0', 'birthDate']],
    ]);
    expect(
      codes(await create({ attributes: { vehicle: { make: 'VW', model: 'Golf', year: 1700, vin: 'nope' } } })),
    ).toEqual([
      ['VALIDATION', ['input', 'attributes', 'vehicle', 'year']],
      ['VALIDATION', ['input', 'attributes', 'vehicle', 'vin']],
    ]);
    const other = await refused(
      () =>
        server.gql(PolicyCreate, {
          customerId: customer.globalId,
          input: policyInput('OTHER', { attributes: { blob: 'x'.repeat(5000) } }) as never,
        }),
      'policyCreate',
    );
    expect(codes(other)).toEqual([['LIMIT_EXCEEDED', ['input', 'attributes']]]);
  });

  it('renewing a cancelled policy is an INVALID_TRANSITION', async () => {
    const cancelled = await insertPolicy(server.db, customer.id, { status: 'CANCELLED' });
    const errors = await refused(
      () => server.gql(PolicyRenew, { id: cancelled.globalId, input: { termMonths: 12 } }),
      'policyRenew',
    );
    expect(codes(errors)).toEqual([['INVALID_TRANSITION', ['id']]]);
  });

  it('cancelling without a reason (missing or blank) is a VALIDATION error', async () => {
    for (const input of [{}, { reason: '   ' }, { reason: null }]) {
      const errors = await refused(() => server.gql(PolicyCancel, { id: policy.globalId, input }), 'policyCancel');
      expect(codes(errors)).toEqual([['VALIDATION', ['input', 'reason']]]);
    }
  });

  it('a claim above the coverage amount (or not above 0) is a VALIDATION error', async () => {
    const above = await refused(
      () => server.gql(ClaimFile, { policyId: policy.globalId, input: { amount: '50000.01' } }),
      'claimFile',
    );
    expect(codes(above)).toEqual([['VALIDATION', ['input', 'amount']]]);
    expect(above[0].message).toContain('50000.00 USD');
    const zero = await refused(
      () => server.gql(ClaimFile, { policyId: policy.globalId, input: { amount: '0' } }),
      'claimFile',
    );
    expect(codes(zero)).toEqual([['VALIDATION', ['input', 'amount']]]);
  });

  it("an AGENT touching another agent's customer's policy gets NOT_FOUND, as for an unknown one", async () => {
    const as = 'otherAgent' as const;
    const results = [
      await refused(
        () => server.gql(PolicyCreate, { customerId: customer.globalId, input: policyInput() as never }, as),
        'policyCreate',
      ),
      await refused(
        () => server.gql(PolicyUpdate, { id: policy.globalId, input: { version: 1, insurer: 'Mine now' } }, as),
        'policyUpdate',
      ),
      await refused(
        () => server.gql(PolicyPremiumChange, { id: policy.globalId, input: { premium: '1', reason: 'x' } }, as),
        'policyPremiumChange',
      ),
      await refused(
        () => server.gql(PolicyRenew, { id: policy.globalId, input: { termMonths: 12 } }, as),
        'policyRenew',
      ),
      await refused(
        () => server.gql(PolicyCancel, { id: policy.globalId, input: { reason: 'x' } }, as),
        'policyCancel',
      ),
      await refused(
        () => server.gql(ClaimFile, { policyId: policy.globalId, input: { amount: '10' } }, as),
        'claimFile',
      ),
    ];
    expect(results.map(codes)).toEqual([
      [['NOT_FOUND', ['customerId']]],
      [['NOT_FOUND', ['id']]],
      [['NOT_FOUND', ['id']]],
      [['NOT_FOUND', ['id']]],
      [['NOT_FOUND', ['id']]],
      [['NOT_FOUND', ['policyId']]],
    ]);
    const unknown = await refused(
      () =>
        server.gql(
          PolicyRenew,
          { id: 'UG9saWN5OjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA', input: { termMonths: 12 } },
          as,
        ),
      'policyRenew',
    );
    expect(results[3]).toEqual(unknown);
  });
});

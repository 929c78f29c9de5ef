import { formatPolicyNumber } from '../../src/modules/policy/policy.numbering';
import { graphql } from '../generated';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { ATTRIBUTES, day, insertPolicy, PolicyCreate, policyInput } from './policy.documents';

const PolicyRead = graphql(`
  query PolicyRead($id: ID!, $number: String!) {
    policy(id: $id) { id policyNumber status attributes customer { id firstName } }
    policyByNumber(number: $number) { id policyNumber }
    node(id: $id) { __typename ... on Policy { policyNumber } }
  }
`);

describe('policyCreate, policy, policyByNumber', () => {
  let server: TestServer;
  let agentCustomer: Awaited<ReturnType<typeof insertCustomer>>;

  beforeAll(async () => {
    server = await startTestServer();
    agentCustomer = await insertCustomer(server.db, { ownerId: server.staffIds.agent, firstName: 'Agnes' });
  });
  afterAll(() => server.close());

  it('numbers policies per type from the counter: AUTO-000001, AUTO-000002, HOME-000001', async () => {
    const customer = await insertCustomer(server.db);
    // Counted from where the counters stand: other tests of this file may have created policies first.
    const last = async (type: string) =>
      Number(
        (
          await server.db.sql.query<{ n: number }>(
            `SELECT last_value AS n FROM policy_number_counters WHERE type = $1::"PolicyType"`,
            [type],
          )
        )[0]?.n ?? 0,
      );
    const [auto, home] = [await last('AUTO'), await last('HOME')];
    const numbers: string[] = [];
    for (const type of ['AUTO', 'AUTO', 'HOME'] as const) {
      const res = await server.gql(PolicyCreate, { customerId: customer.globalId, input: policyInput(type) });
      expect(res.data!.policyCreate.userErrors).toEqual([]);
      numbers.push(res.data!.policyCreate.policy!.policyNumber);
    }
    expect(numbers).toEqual([
      formatPolicyNumber('AUTO', auto + 1),
      formatPolicyNumber('AUTO', auto + 2),
      formatPolicyNumber('HOME', home + 1),
    ]);
    expect(await last('AUTO')).toBe(auto + 2);
  });

  it('stores every field exactly (money as decimal strings), links the customer, and audits', async () => {
    const res = await server.gql(PolicyCreate, {
      customerId: agentCustomer.globalId,
      input: policyInput('HOME', {
        premium: '1234.56',
        premiumFrequency: 'QUARTERLY',
        coverageAmount: '9999999999999.99',
        deductible: '0.10',
        insurer: '  Mutual Co  ',
      }),
    });
    const policy = res.data!.policyCreate.policy!;
    expect(policy).toMatchObject({
      type: 'HOME',
      insurer: 'Mutual Co',
      status: 'ACTIVE',
      premium: '1234.56',
      premiumFrequency: 'QUARTERLY',
      annualPremium: '4938.24',
      coverageAmount: '9999999999999.99',
      deductible: '0.1',
      currency: 'USD',
      startDate: day(-30),
      endDate: day(335),
      attributes: ATTRIBUTES.HOME,
      cancelledAt: null,
      version: 1,
      customer: { id: agentCustomer.globalId },
    });
    const audit = await server.db.prisma.auditEntry.findMany({
      where: { entityType: 'Policy', action: 'policy.create' },
    });
    expect(audit.some((a) => a.actorId === server.staffIds.admin)).toBe(true);
  });

  it('starts ACTIVE when startDate is today or earlier and PENDING when it is in the future; currency defaults to the customer\u2019s', async () => {
    const today = await server.gql(PolicyCreate, {
      customerId: agentCustomer.globalId,
      input: policyInput('LIFE', { startDate: day(0), endDate: day(365), currency: null }),
    });
    const future = await server.gql(PolicyCreate, {
      customerId: agentCustomer.globalId,
      input: policyInput('LIFE', { startDate: day(1), endDate: day(366) }),
    });
    expect(today.data!.policyCreate.policy).toMatchObject({ status: 'ACTIVE', currency: 'USD' });
    expect(future.data!.policyCreate.policy!.status).toBe('PENDING');
  });

  it('accepts the attributes of every type', async () => {
    for (const type of ['AUTO', 'HOME', 'LIFE', 'HEALTH', 'ACCIDENT', 'TRAVEL', 'OTHER'] as const) {
      const res = await server.gql(PolicyCreate, { customerId: agentCustomer.globalId, input: policyInput(type) });
      expect({ type, errors: res.data!.policyCreate.userErrors }).toEqual({ type, errors: [] });
      expect(res.data!.policyCreate.policy!.attributes).toEqual(ATTRIBUTES[type]);
    }
  });

  it('reads a policy by id, by number (any case, any zero padding) and through node(id)', async () => {
    const policy = await insertPolicy(server.db, agentCustomer.id, { type: 'TRAVEL' });
    const loose = policy.number.toLowerCase().replace(/-0+/, '-');
    const res = await server.gql(PolicyRead, { id: policy.globalId, number: loose });
    expect(res.errors).toBeUndefined();
    expect(res.data!.policy).toEqual({
      id: policy.globalId,
      policyNumber: policy.number,
      status: 'ACTIVE',
      attributes: ATTRIBUTES.TRAVEL,
      customer: { id: agentCustomer.globalId, firstName: 'Agnes' },
    });
    expect(res.data!.policyByNumber).toEqual({ id: policy.globalId, policyNumber: policy.number });
    expect(res.data!.node).toEqual({ __typename: 'Policy', policyNumber: policy.number });
  });

  it('hides a policy of another agent\u2019s customer from an agent (null), and shows it to its own agent', async () => {
    const policy = await insertPolicy(server.db, agentCustomer.id);
    const other = await server.gql(PolicyRead, { id: policy.globalId, number: policy.number }, 'otherAgent');
    expect(other.data).toEqual({ policy: null, policyByNumber: null, node: null });
    const own = await server.gql(PolicyRead, { id: policy.globalId, number: policy.number }, 'agent');
    expect(own.data!.policy!.policyNumber).toBe(policy.number);
  });

  it('is refused to analysts (read-only) with FORBIDDEN, while they can read, with personal attributes masked', async () => {
    const res = await server.gql(PolicyCreate, { customerId: agentCustomer.globalId, input: policyInput() }, 'analyst');
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const policy = await insertPolicy(server.db, agentCustomer.id, { type: 'TRAVEL' });
    const read = await server.gql(PolicyRead, { id: policy.globalId, number: policy.number }, 'analyst');
    expect(read.data!.policy).toMatchObject({
      policyNumber: policy.number,
      attributes: { ...ATTRIBUTES.TRAVEL, insuredPersons: [{ name: null, birthDate: null }] },
    });
  });
});

import { print } from 'graphql';
import { graphql } from '../generated';
import type { CustomerCreateInput } from '../generated/graphql';
import { expectNoLeak, expectTopLevelError, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { databaseSnapshot } from '../helpers/snapshot';
import { startTestServer, type TestServer } from '../helpers/server';

const BadInputCreate = graphql(`
  mutation BadInputCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer { id email }
      userErrors { code field message }
    }
  }
`);

let sequence = 0;
const validInput = (overrides: Partial<CustomerCreateInput> = {}): CustomerCreateInput => ({
  firstName: 'Grace',
  lastName: 'Hopper',
  email: `grace-${++sequence}@example.com`,
  phone: '+14155550123',
  consent: { dataProcessing: true, marketing: true },
  addresses: [
    { label: 'Home', line1: '1 Main St', city: 'Arlington', country: 'US', isDefault: true },
    { label: 'Office', line1: '2 Navy Yard', city: 'Washington', country: 'US' },
  ],
  ...overrides,
});

const rows = (snapshot: Record<string, string>) =>
  Object.fromEntries(Object.entries(snapshot).map(([table, value]) => [table, Number(value.split(':')[0])]));

describe('customerCreate with bad input: a precise error and no write', () => {
  let server: TestServer;
  let existingEmail: string;

  beforeAll(async () => {
    server = await startTestServer();
    existingEmail = (await insertCustomer(server.db, { email: 'taken@example.com' })).email;
  });
  afterAll(() => server.close());

  /** Sends customerCreate and asserts it was refused with exactly `expected` user errors, leaving the database as it was. */
  async function refused(input: CustomerCreateInput, expected: { code: string; field: string[] }[]) {
    const res = await unchanged(server.db, () => server.gql(BadInputCreate, { input }));
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data!.customerCreate.customer).toBeNull();
    expect(res.data!.customerCreate.userErrors.map(({ code, field }) => ({ code, field }))).toEqual(expected);
    expect(res.data!.customerCreate.userErrors.every((e) => e.message.length > 0)).toBe(true);
    expectNoLeak(res);
    return res.data!.customerCreate.userErrors;
  }

  /** Sends customerCreate with raw variables and asserts a 400 BAD_USER_INPUT naming `inputPath`. */
  async function notCoerced(input: Record<string, unknown>, inputPath: string) {
    const res = await unchanged(server.db, () =>
      server.post({ query: print(BadInputCreate), variables: { input } }, 'admin'),
    );
    const error = expectTopLevelError(res, 400, 'BAD_USER_INPUT');
    expect(error.message).toContain(`at "${inputPath}"`);
    expect(res.data).toBeUndefined();
    return error;
  }

  it('the snapshot does see a successful create (control: the other tests can fail)', async () => {
    const before = rows(await databaseSnapshot(server.db));
    const res = await server.gql(BadInputCreate, { input: validInput() });
    expect(res.data!.customerCreate.userErrors).toEqual([]);
    const after = rows(await databaseSnapshot(server.db));
    expect({
      customers: after.customers - before.customers,
      addresses: after.addresses - before.addresses,
      loyalty: after.loyalty_accounts - before.loyalty_accounts,
    }).toEqual({ customers: 1, addresses: 2, loyalty: 1 });
    expect(after.notifications - before.notifications).toBe(1);
    expect(after.audit_log - before.audit_log).toBe(1);
    expect(after.consent_changes - before.consent_changes).toBe(2);
  });

  it('an invalid e-mail does not coerce: 400 BAD_USER_INPUT at input.email', async () => {
    const error = await notCoerced(validInput({ email: 'not-an-email' }), 'input.email');
    expect(error.message).toContain('not a valid email');
  });

  it.each(['12345', '555-1234'])(
    'a phone number not in E.164 form (%s) is a VALIDATION error at input.phone',
    async (phone) => {
      const [error] = await refused(validInput({ phone }), [{ code: 'VALIDATION', field: ['input', 'phone'] }]);
      expect(error.message).toContain('E.164');
    },
  );

  it.each(['XX', 'usa'])(
    'an invalid country in an address (%s) does not coerce: 400 BAD_USER_INPUT at input.addresses[0].country',
    async (country) => {
      const input = validInput();
      const error = await notCoerced(
        { ...input, addresses: [{ ...input.addresses![0], country }] },
        'input.addresses[0].country',
      );
      expect(error.message).toContain('country code');
    },
  );

  it.each(['12,5', 'abc', '1e5', ''])(
    'an invalid Decimal for annualIncome (%j) does not coerce: 400 BAD_USER_INPUT at input.annualIncome',
    async (annualIncome) => {
      const error = await notCoerced(validInput({ annualIncome }), 'input.annualIncome');
      expect(error.message).toContain('Decimal must be a decimal number');
    },
  );

  it('a variable of the wrong type (firstName: 42) does not coerce: 400 BAD_USER_INPUT at input.firstName', async () => {
    await notCoerced({ ...validInput(), firstName: 42 }, 'input.firstName');
  });

  it('missing data-processing consent is a VALIDATION error at input.consent.dataProcessing', async () => {
    await refused(validInput({ consent: { dataProcessing: false, marketing: true } }), [
      { code: 'VALIDATION', field: ['input', 'consent', 'dataProcessing'] },
    ]);
  });

  it('a birth date in the future is a VALIDATION error at input.birthDate', async () => {
    const dayAfterTomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const [error] = await refused(validInput({ birthDate: dayAfterTomorrow }), [
      { code: 'VALIDATION', field: ['input', 'birthDate'] },
    ]);
    expect(error.message).toBe('Birth date is in the future');
  });

  it('a negative annual income is a VALIDATION error at input.annualIncome', async () => {
    await refused(validInput({ annualIncome: '-0.01' }), [{ code: 'VALIDATION', field: ['input', 'annualIncome'] }]);
  });

  it.each(['', '   '])('an empty first name (%j) is a VALIDATION error at input.firstName', async (firstName) => {
    await refused(validInput({ firstName }), [{ code: 'VALIDATION', field: ['input', 'firstName'] }]);
  });

  it('two default addresses are a VALIDATION error at input.addresses', async () => {
    const input = validInput();
    const [error] = await refused({ ...input, addresses: input.addresses!.map((a) => ({ ...a, isDefault: true })) }, [
      { code: 'VALIDATION', field: ['input', 'addresses'] },
    ]);
    expect(error.message).toContain('default');
  });

  it('an address without line1 and city is a VALIDATION error for each field', async () => {
    await refused(validInput({ addresses: [{ line1: '', city: ' ', country: 'DE' }] }), [
      { code: 'VALIDATION', field: ['input', 'addresses', '0', 'line1'] },
      { code: 'VALIDATION', field: ['input', 'addresses', '0', 'city'] },
    ]);
  });

  it('more than 30 tags is a VALIDATION error at input.tags (30 distinct tags are fine)', async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `tag${i}`);
    const [error] = await refused(validInput({ tags: tags(31) }), [{ code: 'VALIDATION', field: ['input', 'tags'] }]);
    expect(error.message).toBe('At most 30 tags');
    const ok = await server.gql(BadInputCreate, { input: validInput({ tags: tags(30) }) });
    expect(ok.data!.customerCreate.userErrors).toEqual([]);
  });

  it('every problem of the input is reported at once, and nothing is written', async () => {
    await refused(
      validInput({
        firstName: '',
        lastName: '',
        phone: '12345',
        annualIncome: '-1',
        consent: { dataProcessing: false },
      }),
      [
        { code: 'VALIDATION', field: ['input', 'firstName'] },
        { code: 'VALIDATION', field: ['input', 'lastName'] },
        { code: 'VALIDATION', field: ['input', 'phone'] },
        { code: 'VALIDATION', field: ['input', 'annualIncome'] },
        { code: 'VALIDATION', field: ['input', 'consent', 'dataProcessing'] },
      ],
    );
  });

  it.each([
    ['the same e-mail', (email: string) => email],
    ['the e-mail in upper case', (email: string) => email.toUpperCase()],
    ['the e-mail in mixed case', (email: string) => email.replace(/^t/, 'T').replace('example', 'EXAMPLE')],
  ])(
    '%s as an existing customer is DUPLICATE at input.email, leaving no address/loyalty/notification/audit row behind',
    async (_, variant) => {
      const [error] = await refused(validInput({ email: variant(existingEmail) }), [
        { code: 'DUPLICATE', field: ['input', 'email'] },
      ]);
      expect(error.message).toContain('e-mail');
    },
  );

  it('an e-mail with surrounding whitespace is refused by the EmailAddress scalar (400 BAD_USER_INPUT), so it cannot slip past the duplicate check', async () => {
    await notCoerced(validInput({ email: ` ${existingEmail} ` }), 'input.email');
  });

  it('a NUL character in a text field is 400 BAD_USER_INPUT (PostgreSQL text cannot hold it), not an internal error', async () => {
    const res = await unchanged(server.db, () =>
      server.gql(BadInputCreate, { input: validInput({ firstName: 'Gr\u0000ace' }) }),
    );
    const error = expectTopLevelError(res, 400, 'BAD_USER_INPUT');
    expect(error.message).toContain('$input.firstName');
  });
});

// Export, erasure and anonymisation through the API (docs/privacy.md).
import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../src/graphql/relay';
import { EXPORT_BATCH } from '../../src/modules/privacy/privacy.export';
import { expectNoLeak, expectTopLevelError, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { Anonymise, DataExport, Erase } from './privacy.documents';
import { richCustomer } from './support';

let server: TestServer;
// The server starts slowly on a loaded machine (PGlite, migrations): more than the default hook time.
beforeAll(async () => {
  server = await startTestServer();
}, 180_000);
afterAll(() => server.close());

/** Every row of every table, as text: personal data must be nowhere in it. */
async function everything(): Promise<string> {
  const tables = await server.db.sql.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_prisma%'`,
  );
  let text = '';
  for (const { name } of tables) {
    const rows = await server.db.sql.query(`SELECT * FROM "${name}"`);
    text += JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? String(v) : v));
  }
  return text;
}

const download = (globalId: string, token?: string) =>
  fetch(new URL(`/privacy/customers/${globalId}/export`, server.url), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('customerDataExport', () => {
  it('returns every section of one customer as one versioned document, and is audited', async () => {
    const c = await richCustomer(server);
    const res = await server.gql(DataExport, { id: c.globalId }, 'agent');
    expect(res.errors).toBeUndefined();
    const doc = res.data!.customerDataExport as Record<string, any>;
    expect(Object.keys(doc)).toEqual([
      'format',
      'version',
      'generatedAt',
      'customer',
      'addresses',
      'consentHistory',
      'loyalty',
      'orders',
      'feedback',
      'policies',
      'segmentMemberships',
      'segmentHistory',
      'events',
      'notifications',
      'auditTrail',
    ]);
    expect(doc).toMatchObject({ format: 'customer-data-export', version: 1 });
    expect(doc.customer).toMatchObject({
      id: c.id,
      email: c.email,
      birthDate: '1980-02-03',
      firstName: 'Grace',
      phone: c.secrets[1],
    });
    expect(doc.customer.customerNumber).toMatch(/^C-\d{6}$/);
    expect(doc.addresses).toHaveLength(1);
    const history = doc.consentHistory.map((h: any) => [h.kind, h.granted]);
    // The two consents given at creation share their time; the withdrawal comes after.
    expect([...history.slice(0, 2).sort(), history[2]]).toEqual([
      ['DATA_PROCESSING', true],
      ['MARKETING', true],
      ['MARKETING', false],
    ]);
    expect(doc.loyalty.account).toMatchObject({ pointsBalance: 120 });
    expect(doc.loyalty.ledger.map((e: any) => e.type)).toEqual(['EARN']);
    expect(doc.orders).toEqual([
      expect.objectContaining({ number: c.orderNumber, total: '120.5', status: 'COMPLETED' }),
    ]);
    expect(doc.feedback).toEqual([expect.objectContaining({ comment: c.feedbackComment, rating: 2 })]);
    expect(doc.policies).toEqual([
      expect.objectContaining({
        id: c.policyId,
        status: 'CANCELLED',
        premium: '100',
        claims: [],
        renewals: [],
        premiumChanges: [],
      }),
    ]);
    expect(doc.policies[0].startDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(doc.segmentMemberships).toEqual([
      expect.objectContaining({ segmentName: expect.stringMatching(/^Privacy /) }),
    ]);
    expect(doc.segmentHistory.map((h: any) => h.change)).toEqual(['JOINED']);
    expect(doc.events).toEqual([expect.objectContaining({ type: 'product_view', data: { sku: c.eventProperty } })]);
    expect(doc.notifications.map((n: any) => n.type).sort()).toEqual([
      'FEEDBACK_RECEIVED',
      'POLICY_CANCELLED',
      'WELCOME',
    ]);
    expect(doc.auditTrail.map((a: any) => a.action)).toEqual(
      expect.arrayContaining([
        'customer.create',
        'order.record',
        'feedback.submit',
        'policy.cancel',
        'customer.consent.change',
        'customer.export.graphql',
      ]),
    );
    const audit = await server.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: 'customer.export.graphql' },
      orderBy: { id: 'desc' },
    });
    expect(audit).toMatchObject({ actorId: server.staffIds.agent, customerId: c.id, entityId: c.id });
  });

  it('is FORBIDDEN to analysts and null for customers one may not see; nothing is written', async () => {
    const c = await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent });
    const analyst = await unchanged(server.db, () => server.gql(DataExport, { id: c.globalId }, 'analyst'));
    expect(analyst.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expectNoLeak(analyst);
    const other = await unchanged(server.db, () => server.gql(DataExport, { id: c.globalId }, 'agent'));
    expect(other.data!.customerDataExport).toBeNull();
    const unknown = await unchanged(server.db, () =>
      server.gql(DataExport, { id: toGlobalId('Customer', randomUUID()) }, 'admin'),
    );
    expect(unknown.data!.customerDataExport).toBeNull();
  });
});

describe('GET /privacy/customers/<id>/export', () => {
  it('streams the same document as an attachment, batch by batch, for a long history', async () => {
    const c = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const events = 2 * EXPORT_BATCH + 7; // three batches
    await server.db.sql.query(
      `INSERT INTO customer_events (customer_id, type, data, occurred_at)
       SELECT $1::uuid, 'page_view', jsonb_build_object('n', g), now() - g * interval '1 second' FROM generate_series(1, ${events}) g`,
      [c.id],
    );
    const token = await server.token('agent');
    const res = await download(c.globalId, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="customer-C-\d{6}-export\.json"$/);
    expect(res.headers.get('transfer-encoding')).toBe('chunked'); // written while read, no length known upfront
    const doc = (await res.json()) as Record<string, any>;
    expect(doc).toMatchObject({ format: 'customer-data-export', version: 1, customer: { id: c.id } });
    expect(doc.events).toHaveLength(events);
    expect(new Set(doc.events.map((e: any) => e.data.n)).size).toBe(events); // no row twice, none lost between batches
    const graphql = (await server.gql(DataExport, { id: c.globalId }, 'agent')).data!.customerDataExport as Record<
      string,
      any
    >;
    expect({ ...doc, generatedAt: null, auditTrail: null }).toEqual({
      ...graphql,
      generatedAt: null,
      auditTrail: null,
    });
    expect(
      await server.db.prisma.auditEntry.count({ where: { action: 'customer.export.http', customerId: c.id } }),
    ).toBe(1);
  });

  it('answers 401 without a token, 403 for analysts, 404 for unknown or invisible customers, and writes nothing', async () => {
    const theirs = await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent });
    const check = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors.map((e) => e.extensions.code)).toEqual([code]);
      expect(JSON.stringify(body)).not.toMatch(/stack|SELECT|prisma/i);
    };
    await unchanged(server.db, async () => {
      await check(await download(theirs.globalId), 401, 'UNAUTHENTICATED');
      await check(await download(theirs.globalId, 'not-a-token'), 401, 'UNAUTHENTICATED');
      await check(await download(theirs.globalId, await server.token('analyst')), 403, 'FORBIDDEN');
      await check(await download(theirs.globalId, await server.token('agent')), 404, 'NOT_FOUND');
      await check(await download('garbage', await server.token('admin')), 404, 'NOT_FOUND');
      await check(await download(toGlobalId('Customer', randomUUID()), await server.token('admin')), 404, 'NOT_FOUND');
    });
  });
});

describe('customerDelete (erasure)', () => {
  it('leaves no personal data anywhere: notification payloads and audit details scrubbed, the erasure itself kept', async () => {
    const c = await richCustomer(server);
    const before = await everything();
    expect([...c.secrets, c.id].filter((secret) => !before.includes(secret))).toEqual([]); // all there to begin with

    const res = await server.gql(Erase, { id: c.globalId }, 'manager');
    expect(res.data!.customerDelete.userErrors).toEqual([]);

    const after = await everything();
    expect([...c.secrets, c.id].filter((secret) => after.includes(secret))).toEqual([]);
    const feedbackNotification = await server.db.prisma.notification.findFirstOrThrow({
      where: { type: 'FEEDBACK_RECEIVED', payload: { path: ['erased'], equals: true } },
    });
    expect(feedbackNotification.payload).toEqual({ type: 'FEEDBACK_RECEIVED', erased: true });
    const erase = await server.db.prisma.auditEntry.findFirstOrThrow({
      where: { action: 'customer.erase' },
      orderBy: { id: 'desc' },
    });
    expect(erase).toMatchObject({
      entityType: 'Customer',
      entityId: null,
      customerId: null,
      actorId: server.staffIds.manager,
    });
  });
});

describe('customerAnonymise', () => {
  it('replaces personal data irreversibly, sets DELETED, keeps the figures, and is audited', async () => {
    const c = await richCustomer(server);
    const res = await server.gql(
      Anonymise,
      { id: c.globalId, input: { reason: 'erasure request, contracts kept' } },
      'manager',
    );
    expect(res.data!.customerAnonymise.userErrors).toEqual([]);
    expect(res.data!.customerAnonymise.customer).toMatchObject({
      status: 'DELETED',
      firstName: 'Anonymised',
      lastName: 'Anonymised',
      phone: null,
      birthDate: null,
      notes: null,
      tags: [],
      totalSpent: '120.5',
      orderCount: 1,
      consent: { dataProcessing: false, marketing: false },
    });
    expect(res.data!.customerAnonymise.customer!.email).toMatch(/^anonymised-[0-9a-f-]{36}@anonymised\.invalid$/);

    // Everything personal is gone; the order number is a figure of the business and stays.
    const all = await everything();
    expect(c.secrets.filter((secret) => secret !== c.orderNumber && all.includes(secret))).toEqual([]);
    expect((await server.db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).birthDate).toBeNull();
    const prisma = server.db.prisma;
    // Figures stay.
    expect(await prisma.order.findMany({ where: { customerId: c.id }, select: { number: true, total: true } })).toEqual(
      [{ number: c.orderNumber, total: expect.anything() }],
    );
    expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { customerId: c.id } })).pointsBalance).toBe(120);
    expect(await prisma.policy.findUniqueOrThrow({ where: { id: c.policyId } })).toMatchObject({
      status: 'CANCELLED',
      attributes: {},
    });
    expect(await prisma.feedback.findFirstOrThrow({ where: { customerId: c.id } })).toMatchObject({
      rating: 2,
      comment: null,
    });
    expect(await prisma.customerEvent.findFirstOrThrow({ where: { customerId: c.id } })).toMatchObject({
      type: 'product_view',
      data: null,
      device: null,
    });
    expect(await prisma.segmentMembership.count({ where: { customerId: c.id } })).toBe(0);
    const audit = await prisma.auditEntry.findFirstOrThrow({ where: { action: 'customer.anonymise' } });
    expect(audit).toMatchObject({
      actorId: server.staffIds.manager,
      customerId: c.id,
      reason: 'erasure request, contracts kept',
    });

    // Irreversible and final: a second time, a change or a consent change is refused.
    const again = await unchanged(server.db, () =>
      server.gql(Anonymise, { id: c.globalId, input: { reason: 'again' } }, 'manager'),
    );
    expect(again.data!.customerAnonymise.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['INVALID_TRANSITION', ['id']],
    ]);
  });

  it.each([
    [
      'a blank reason',
      async () => (await insertCustomer(server.db)).globalId,
      ' ',
      [['VALIDATION', ['input', 'reason']]],
    ],
    [
      'a reason of 501 characters',
      async () => (await insertCustomer(server.db)).globalId,
      'x'.repeat(501),
      [['VALIDATION', ['input', 'reason']]],
    ],
    ['an unknown customer', async () => toGlobalId('Customer', randomUUID()), 'r', [['NOT_FOUND', ['id']]]],
    ['a malformed id', async () => 'nope', 'r', [['NOT_FOUND', ['id']]]],
  ])('refuses %s with a precise error, changing nothing', async (_, idOf, reason, errors) => {
    const id = await idOf();
    const res = await unchanged(server.db, () => server.gql(Anonymise, { id, input: { reason } }, 'manager'));
    expect(res.data!.customerAnonymise.userErrors.map((e) => [e.code, e.field])).toEqual(errors);
    expectNoLeak(res);
  });

  it('is for managers and admins: an agent gets FORBIDDEN even for their own customer', async () => {
    const c = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const res = await unchanged(server.db, () =>
      server.gql(Anonymise, { id: c.globalId, input: { reason: 'r' } }, 'agent'),
    );
    expectTopLevelError(res, 200, 'FORBIDDEN');
  });
});

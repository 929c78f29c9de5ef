// Managing webhook subscriptions through HTTP: ADMIN only, the secret shown once, audited, and
// bad input per SPEC §5 (a precise error, the database exactly as it was).
import { fromGlobalId, toGlobalId } from '../../src/graphql/relay';
import { expectTopLevelError, unchanged } from '../helpers/bad-input';
import { startTestServer, type StaffKey, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const FIELDS = 'subscription { id url description eventTypes active } secret userErrors { code field message }';
const CREATE = `mutation Create($input: WebhookSubscriptionCreateInput!) { webhookSubscriptionCreate(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation Update($id: ID!, $input: WebhookSubscriptionUpdateInput!) { webhookSubscriptionUpdate(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation Delete($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedSubscriptionId userErrors { code field message } } }`;
const LIST = `query List($first: Int, $after: String) { webhookSubscriptions(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id url eventTypes active } } } }`;

type Result = {
  subscription: { id: string; url: string; description: string | null; eventTypes: string[]; active: boolean } | null;
  secret: string | null;
  userErrors: { code: string; field: string[] | null; message: string }[];
};
const call = async (query: string, variables: Record<string, unknown>, who: StaffKey = 'admin') => {
  const res = await server.post({ query, variables }, who);
  expect(res.errors).toBeUndefined();
  return Object.values(res.data as Record<string, Result>)[0];
};
const valid = { url: 'https://hooks.example.com/crm', eventTypes: ['WELCOME', 'POLICY_CANCELLED', 'WELCOME'] };

describe('webhook subscriptions', () => {
  it('ADMIN creates one: the secret is returned once, never readable again, and the change is audited', async () => {
    const created = await call(CREATE, { input: { ...valid, description: ' CRM sync ' } });
    expect(created.userErrors).toEqual([]);
    expect(created.subscription).toMatchObject({
      url: valid.url,
      description: 'CRM sync',
      eventTypes: ['WELCOME', 'POLICY_CANCELLED'],
      active: true,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await server.post({ query: LIST, variables: {} }, 'admin');
    expect(JSON.stringify(listed)).not.toContain(created.secret!);
    const updated = await call(UPDATE, { id: created.subscription!.id, input: { active: false } });
    expect(updated.secret).toBeNull();
    expect(updated.subscription!.active).toBe(false);
    const rotated = await call(UPDATE, {
      id: created.subscription!.id,
      input: { rotateSecret: true, eventTypes: ['CLAIM_STATUS_CHANGED'] },
    });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.subscription!.eventTypes).toEqual(['CLAIM_STATUS_CHANGED']);
    const audit = await server.db.prisma.auditEntry.findMany({
      // this subscription's entries (other tests of the file create subscriptions too)
      where: { entityType: 'WebhookSubscription', entityId: fromGlobalId(created.subscription!.id)!.id },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
    expect(audit.map((a) => [a.action, a.actorId]).sort()).toEqual([
      ['webhookSubscription.create', server.staffIds.admin],
      ['webhookSubscription.update', server.staffIds.admin],
      ['webhookSubscription.update', server.staffIds.admin],
    ]);
    expect(JSON.stringify(audit, (_, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(created.secret!);

    const deleted = (await call(DELETE, { id: created.subscription!.id })) as unknown as {
      deletedSubscriptionId: string;
    };
    expect(deleted).toEqual({ deletedSubscriptionId: created.subscription!.id, userErrors: [] });
    expect(
      await server.db.prisma.webhookSubscription.findUnique({
        where: { id: fromGlobalId(deleted.deletedSubscriptionId)!.id },
      }),
    ).toBeNull();
  });

  it('lists subscriptions newest first, page by page (ADMIN only)', async () => {
    const a = (await call(CREATE, { input: valid })).subscription!.id;
    const b = (await call(CREATE, { input: valid })).subscription!.id;
    type L = {
      webhookSubscriptions: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { id: string } }[];
      };
    };
    const p1 = (await server.post({ query: LIST, variables: { first: 1 } }, 'admin')).data as L;
    const p2 = (
      await server.post(
        { query: LIST, variables: { first: 1, after: p1.webhookSubscriptions.pageInfo.endCursor } },
        'admin',
      )
    ).data as L;
    expect([...p1.webhookSubscriptions.edges, ...p2.webhookSubscriptions.edges].map((e) => e.node.id)).toEqual([b, a]);
    for (const who of ['manager', 'agent', 'analyst'] as const) {
      expectTopLevelError(await server.post({ query: LIST, variables: {} }, who), 200, 'FORBIDDEN');
      const log = await server.post({ query: '{ webhookDeliveries(first: 1) { totalCount } }' }, who);
      expectTopLevelError(log, 200, 'FORBIDDEN');
      const node = await server.post(
        { query: 'query N($id: ID!) { node(id: $id) { id } }', variables: { id: a } },
        who,
      );
      expect(node.data).toEqual({ node: null });
    }
  });

  it('only ADMIN may create, change or delete', async () => {
    const id = (await call(CREATE, { input: valid })).subscription!.id;
    for (const who of ['manager', 'agent', 'analyst'] as const) {
      for (const [query, variables] of [
        [CREATE, { input: valid }],
        [UPDATE, { id, input: { active: false } }],
        [DELETE, { id }],
      ] as const) {
        const res = await unchanged(server.db, () => server.post({ query, variables }, who));
        expectTopLevelError(res, 200, 'FORBIDDEN');
      }
    }
  });

  describe('bad input: a precise error and the database unchanged', () => {
    let id: string;
    beforeAll(async () => {
      id = (await call(CREATE, { input: valid })).subscription!.id;
    });

    it.each([
      ['a relative URL', { ...valid, url: '/hooks' }, ['input', 'url']],
      ['an ftp URL', { ...valid, url: 'ftp://example.com/x' }, ['input', 'url']],
      ['a javascript URL', { ...valid, url: 'javascript:alert(1)' }, ['input', 'url']],
      ['credentials in the URL', { ...valid, url: 'https://user:pw@example.com/x' }, ['input', 'url']],
      ['whitespace in the URL', { ...valid, url: 'https://example.com/a b' }, ['input', 'url']],
      ['a URL of 2,001 characters', { ...valid, url: `https://example.com/${'a'.repeat(1_981)}` }, ['input', 'url']],
      ['no event types', { ...valid, eventTypes: [] }, ['input', 'eventTypes']],
      ['21 event types', { ...valid, eventTypes: Array(21).fill('WELCOME') }, ['input', 'eventTypes']],
      ['a description of 201 characters', { ...valid, description: 'x'.repeat(201) }, ['input', 'description']],
    ])('create with %s: VALIDATION', async (_, input, field) => {
      const result = await unchanged(server.db, () => call(CREATE, { input }));
      expect(result.subscription).toBeNull();
      expect(result.secret).toBeNull();
      expect(result.userErrors.map((e) => [e.code, e.field])).toEqual([['VALIDATION', field]]);
    });

    it.each([
      ['a bad URL', { url: 'nope' }, ['input', 'url']],
      ['an empty list of types', { eventTypes: [] }, ['input', 'eventTypes']],
    ])('update with %s: VALIDATION', async (_, input, field) => {
      const result = await unchanged(server.db, () => call(UPDATE, { id, input: { ...input, rotateSecret: true } }));
      expect(result.userErrors.map((e) => [e.code, e.field])).toEqual([['VALIDATION', field]]);
      expect(result.secret).toBeNull();
    });

    it.each([
      ['an unknown id', toGlobalId('WebhookSubscription', '00000000-0000-4000-8000-000000000000')],
      ['a malformed id', 'garbage'],
      ['an id of another type', toGlobalId('Customer', '00000000-0000-4000-8000-000000000000')],
    ])('update and delete with %s: NOT_FOUND at id', async (_, badId) => {
      for (const [query, variables] of [
        [UPDATE, { id: badId, input: { active: false } }],
        [DELETE, { id: badId }],
      ] as const) {
        const result = await unchanged(server.db, () => call(query, variables));
        expect(result.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['id']]]);
      }
    });

    it.each([
      ['an unknown event type', { query: CREATE, variables: { input: { ...valid, eventTypes: ['BIRTHDAY'] } } }],
      ['a missing url', { query: CREATE, variables: { input: { eventTypes: ['WELCOME'] } } }],
      ['a number for active', { query: UPDATE, variables: { id: 'x', input: { active: 3 } } }],
      ['an unknown field', { query: CREATE, variables: { input: { ...valid, secret: 'mine' } } }],
    ])('%s: a top-level BAD_USER_INPUT', async (_, body) => {
      const res = await unchanged(server.db, () => server.post(body, 'admin'));
      expectTopLevelError(res, 400, 'BAD_USER_INPUT');
    });
  });
});

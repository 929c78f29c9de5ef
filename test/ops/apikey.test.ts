// API keys through HTTP: ADMIN creates, lists, rotates and revokes them; a key authenticates with
// exactly its scopes; unknown, revoked and expired keys are 401; changes under a key are audited
// with the key as actor; event ingestion with events:write is the path other systems use.
import { createHash } from 'node:crypto';
import { expectTopLevelError, unchanged } from '../helpers/bad-input';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { API_KEY_CREATE, asKey, createKey, unchangedBesidesKeyUse } from './support';

const EVENT_TRACK = `mutation Track($input: EventTrackInput!) {
  eventTrack(input: $input) { event { type customer { id } } duplicate userErrors { code field } }
}`;
const EVENT_BATCH = `mutation TrackBatch($events: [EventTrackInput!]!) {
  eventTrackBatch(events: $events) { stored duplicates failed userErrors { code } }
}`;
const CUSTOMERS = '{ customers(first: 5) { edges { node { id email } } } }';
const LIST = `query Keys($first: Int, $after: String) {
  apiKeys(first: $first, after: $after) {
    totalCount
    edges { cursor node { id name prefix scopes active revokedAt lastUsedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const ROTATE = `mutation Rotate($id: ID!) {
  apiKeyRotate(id: $id) { secret apiKey { id prefix rotatedAt active } userErrors { code field message } }
}`;
const REVOKE = `mutation Revoke($id: ID!) {
  apiKeyRevoke(id: $id) { apiKey { id active revokedAt } userErrors { code field message } }
}`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['admin', 'manager'] as const) await server.token(who);
}, 240_000); // a fresh database, migrated, on a shared machine
afterAll(() => server.close());

const eventsOf = async (customerId: string) =>
  Number(
    (
      await server.db.sql.query<{ n: string }>(
        'SELECT count(*)::text AS n FROM customer_events WHERE customer_id = $1',
        [customerId],
      )
    )[0]!.n,
  );

describe('apiKeyCreate', () => {
  it('returns the secret once; the database keeps only its SHA-256 and the visible prefix', async () => {
    const res = await server.post(
      {
        query: API_KEY_CREATE,
        variables: { input: { name: '  Webshop  ', scopes: ['EVENTS_WRITE', 'EVENTS_WRITE'] } },
      },
      'admin',
    );
    const { secret, apiKey, userErrors } = (res.data as { apiKeyCreate: any }).apiKeyCreate;
    expect(userErrors).toEqual([]);
    expect(secret).toMatch(/^cak_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: 'Webshop', scopes: ['EVENTS_WRITE'], active: true, revokedAt: null });
    expect(secret.startsWith(`${apiKey.prefix}_`)).toBe(true);
    const rows = await server.db.sql.query<{ secret_hash: Uint8Array; scopes: string[]; prefix: string }>(
      'SELECT secret_hash, scopes, prefix FROM api_keys WHERE prefix = $1',
      [apiKey.prefix],
    );
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.secret_hash).equals(createHash('sha256').update(secret).digest())).toBe(true);
    expect(rows[0]!.scopes).toEqual(['events:write']);
    // The secret appears nowhere in the database.
    const everything = JSON.stringify(await server.db.sql.query('SELECT * FROM api_keys'));
    expect(everything).not.toContain(secret.slice(prefixLength(secret)));
    // Listed without any secret.
    const list = await server.post({ query: LIST, variables: { first: 100 } }, 'admin');
    expect(JSON.stringify(list)).not.toContain(secret);
    const audit = await server.db.prisma.auditEntry.findMany({ where: { action: 'apiKey.create' } });
    expect(audit.map((a) => a.actorRole)).toContain('ADMIN');
  });

  it.each([
    ['an empty name', { name: '   ', scopes: ['EVENTS_WRITE'] }, ['input', 'name'], 'VALIDATION'],
    ['a name too long', { name: 'x'.repeat(101), scopes: ['EVENTS_WRITE'] }, ['input', 'name'], 'VALIDATION'],
    ['no scopes', { name: 'Empty', scopes: [] }, ['input', 'scopes'], 'VALIDATION'],
    [
      'an expiry in the past',
      { name: 'Old', scopes: ['EVENTS_WRITE'], expiresAt: '2020-01-01T00:00:00Z' },
      ['input', 'expiresAt'],
      'VALIDATION',
    ],
  ])('refuses %s with a precise user error and writes nothing', async (_, input, field, code) => {
    const res = await unchanged(server.db, () => server.post({ query: API_KEY_CREATE, variables: { input } }, 'admin'));
    expect((res.data as { apiKeyCreate: any }).apiKeyCreate).toEqual({
      secret: null,
      apiKey: null,
      userErrors: [expect.objectContaining({ code, field })],
    });
  });

  it('refuses an unknown scope and a malformed expiry at the edge (BAD_USER_INPUT), writing nothing', async () => {
    for (const input of [
      { name: 'X', scopes: ['EVERYTHING'] },
      { name: 'X', scopes: ['EVENTS_WRITE'], expiresAt: 'tomorrow' },
      { name: 'X', scopes: 'events:write' },
    ]) {
      const res = await unchanged(server.db, () =>
        server.post({ query: API_KEY_CREATE, variables: { input } }, 'admin'),
      );
      expectTopLevelError(res, 400, 'BAD_USER_INPUT');
    }
  });

  it('is for ADMIN only: a MANAGER (and any API key) is FORBIDDEN', async () => {
    const input = { name: 'Nope', scopes: ['EVENTS_WRITE'] };
    const asManager = await unchanged(server.db, () =>
      server.post({ query: API_KEY_CREATE, variables: { input } }, 'manager'),
    );
    expectTopLevelError(asManager, 200, 'FORBIDDEN');
    const key = await createKey(server, ['EVENTS_WRITE', 'CUSTOMERS_WRITE']);
    const asKeyRes = await unchangedBesidesKeyUse(server.db, () =>
      asKey(server, key.secret, { query: API_KEY_CREATE, variables: { input } }),
    );
    expectTopLevelError(asKeyRes, 403, 'FORBIDDEN');
  });
});

const prefixLength = (secret: string) => secret.indexOf('_', 4) + 1;

describe('x-api-key authentication', () => {
  it('ingests events with events:write (single and batch), and records the last use', async () => {
    const customer = await insertCustomer(server.db);
    const key = await createKey(server, ['EVENTS_WRITE']);
    const unused = await server.db.prisma.apiKey.findFirstOrThrow({ where: { prefix: key.prefix } });
    expect(unused.lastUsedAt).toBeNull();
    const input = { type: 'page_view', eventId: `ev-${key.prefix}`, customer: { id: customer.globalId } };
    const one = await asKey(server, key.secret, { query: EVENT_TRACK, variables: { input } });
    expect(one).toMatchObject({ status: 200, data: { eventTrack: { duplicate: false, userErrors: [] } } });
    const batch = await asKey(server, key.secret, {
      query: EVENT_BATCH,
      variables: {
        events: [
          { type: 'click', customer: { id: customer.globalId } },
          { type: 'click', customer: { email: customer.email } },
          input, // already tracked: a duplicate
        ],
      },
    });
    expect(batch.data).toEqual({ eventTrackBatch: { stored: 2, duplicates: 1, failed: 0, userErrors: [] } });
    expect(await eventsOf(customer.id)).toBe(3);
    const row = await server.db.prisma.apiKey.findFirstOrThrow({ where: { prefix: key.prefix } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(Date.now() - row.lastUsedAt!.getTime()).toBeLessThan(60_000);
  });

  it('a key without the scope a field requires is FORBIDDEN (403) before anything runs', async () => {
    const customer = await insertCustomer(server.db);
    const reader = await createKey(server, ['CUSTOMERS_READ']);
    const input = { type: 'page_view', customer: { id: customer.globalId } };
    const res = await unchangedBesidesKeyUse(server.db, () =>
      asKey(server, reader.secret, { query: EVENT_TRACK, variables: { input } }),
    );
    const error = expectTopLevelError(res, 403, 'FORBIDDEN');
    expect(error).toMatchObject({ path: ['eventTrack'], message: expect.stringContaining('events:write') });
    // Hidden in a fragment, or next to an allowed field: still refused as a whole.
    const hidden = await asKey(server, reader.secret, {
      query: `mutation Hidden($input: EventTrackInput!) { ...F } fragment F on Mutation { eventTrack(input: $input) { duplicate } }`,
      variables: { input },
    });
    expectTopLevelError(hidden, 403, 'FORBIDDEN');
    const mixed = await asKey(server, reader.secret, { query: `{ customers(first: 1) { totalCount } me { id } }` });
    expectTopLevelError(mixed, 403, 'FORBIDDEN');
    // With its scope it reads customers, unmasked.
    const ok = await asKey(server, reader.secret, { query: CUSTOMERS });
    expect(ok.errors).toBeUndefined();
    expect(JSON.stringify(ok.data)).toContain('@example.com');
    expect(await eventsOf(customer.id)).toBe(0);
  });

  it('unknown, malformed, revoked and expired keys are 401 UNAUTHENTICATED', async () => {
    const key = await createKey(server, ['CUSTOMERS_READ']);
    const wrongSecret = `${key.prefix}_${'A'.repeat(43)}`;
    for (const secret of [wrongSecret, `cak_000000000000_${'B'.repeat(43)}`, 'not-a-key', '', 'x'.repeat(5000)]) {
      const res = await asKey(server, secret, { query: CUSTOMERS });
      expectTopLevelError(res, 401, 'UNAUTHENTICATED');
    }
    // A valid key next to a bearer token: the key decides (one identity per request).
    const both = await server.post({ query: '{ me { id } }' }, 'admin', { 'x-api-key': wrongSecret });
    expectTopLevelError(both, 401, 'UNAUTHENTICATED');

    const expiring = await createKey(server, ['CUSTOMERS_READ'], {
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await asKey(server, expiring.secret, { query: CUSTOMERS })).status).toBe(200);
    await server.db.sql.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE prefix = $1`, [
      expiring.prefix,
    ]);
    expectTopLevelError(await asKey(server, expiring.secret, { query: CUSTOMERS }), 401, 'UNAUTHENTICATED');
  });

  it('changes made under a key are audited with the key as actor (actor_role API_KEY, actor_id the key)', async () => {
    const key = await createKey(server, ['CUSTOMERS_WRITE']);
    const res = await asKey(server, key.secret, {
      query: `mutation Create($input: CustomerCreateInput!) { customerCreate(input: $input) { customer { id } userErrors { code field message } } }`,
      variables: {
        input: {
          firstName: 'Keyed',
          lastName: 'Customer',
          email: `keyed-${key.prefix}@example.com`,
          consent: { dataProcessing: true },
        },
      },
    });
    const created = (res.data as any)?.customerCreate;
    expect(created?.userErrors).toEqual([]);
    const row = await server.db.prisma.apiKey.findFirstOrThrow({ where: { prefix: key.prefix } });
    const audit = await server.db.prisma.auditEntry.findMany({ where: { action: 'customer.create', actorId: row.id } });
    expect(audit.map((a) => [a.actorRole, a.actorId])).toEqual([['API_KEY', row.id]]);
  });
});

describe('apiKeys, apiKeyRotate, apiKeyRevoke', () => {
  it('lists newest first, page by page', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await createKey(server, ['ORDERS_READ'], { name: `Page ${i}` }));
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await server.post({ query: LIST, variables: { first: 2, after } }, 'admin');
      const page = (res.data as any).apiKeys;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) {
        expect(page.totalCount).toBe(seen.length);
        break;
      }
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const positions = made.map((k) => seen.indexOf(k.id));
    expect(positions).toEqual([...positions].sort((a, b) => b - a)); // newest first
    const bad = await unchanged(server.db, () =>
      server.post({ query: LIST, variables: { first: 2, after: 'garbage' } }, 'admin'),
    );
    expectTopLevelError(bad, 200, 'BAD_USER_INPUT');
    expectTopLevelError(await server.post({ query: LIST, variables: { first: 101 } }, 'admin'), 400, 'BAD_USER_INPUT');
    expectTopLevelError(await server.post({ query: LIST }, 'manager'), 200, 'FORBIDDEN');
  });

  it('rotation replaces the secret: the old one is 401 at once, the new one works with the same scopes', async () => {
    const key = await createKey(server, ['CUSTOMERS_READ']);
    const res = await server.post({ query: ROTATE, variables: { id: key.id } }, 'admin');
    const rotated = (res.data as any).apiKeyRotate;
    expect(rotated.userErrors).toEqual([]);
    expect(rotated.apiKey).toMatchObject({ id: key.id, active: true });
    expect(rotated.apiKey.prefix).not.toBe(key.prefix);
    expect(rotated.apiKey.rotatedAt).not.toBeNull();
    expectTopLevelError(await asKey(server, key.secret, { query: CUSTOMERS }), 401, 'UNAUTHENTICATED');
    expect((await asKey(server, rotated.secret, { query: CUSTOMERS })).errors).toBeUndefined();
  });

  it('revocation: 401 from the next request on; revoking again or rotating is a user error that writes nothing', async () => {
    const key = await createKey(server, ['CUSTOMERS_READ']);
    expect((await asKey(server, key.secret, { query: CUSTOMERS })).status).toBe(200);
    const res = await server.post({ query: REVOKE, variables: { id: key.id } }, 'admin');
    expect((res.data as any).apiKeyRevoke).toMatchObject({ apiKey: { id: key.id, active: false }, userErrors: [] });
    expectTopLevelError(await asKey(server, key.secret, { query: CUSTOMERS }), 401, 'UNAUTHENTICATED');
    for (const query of [REVOKE, ROTATE]) {
      const again = await unchanged(server.db, () => server.post({ query, variables: { id: key.id } }, 'admin'));
      const body = Object.values(again.data as object)[0] as { userErrors: unknown[] };
      expect(body.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_TRANSITION', field: ['id'] })]);
    }
    const audit = await server.db.prisma.auditEntry.findMany({
      where: { entityType: 'ApiKey', action: 'apiKey.revoke' },
    });
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('unknown and malformed ids are NOT_FOUND on id, and nothing changes', async () => {
    const customer = await insertCustomer(server.db);
    for (const id of [
      'nope',
      customer.globalId,
      Buffer.from('ApiKey:00000000-0000-4000-8000-000000000000').toString('base64url'),
    ]) {
      for (const query of [REVOKE, ROTATE]) {
        const res = await unchanged(server.db, () => server.post({ query, variables: { id } }, 'admin'));
        const body = Object.values(res.data as object)[0] as { userErrors: unknown[] };
        expect(body.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND', field: ['id'] })]);
      }
    }
  });
});

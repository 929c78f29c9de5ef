import { graphql } from '../generated';
import type { EventTrackInput } from '../generated/graphql';
import { unchangedAll as unchanged } from '../segment/unchanged';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const EventTrack = graphql(`
  mutation EventTrack($input: EventTrackInput!) {
    eventTrack(input: $input) {
      event { id eventId type properties occurredAt sessionId device customer { id } }
      duplicate
      userErrors { code field message }
    }
  }
`);

const EventTrackBatch = graphql(`
  mutation EventTrackBatch($events: [EventTrackInput!]!) {
    eventTrackBatch(events: $events) {
      stored duplicates failed
      results { index success duplicate userErrors { code field } }
      userErrors { code field message }
    }
  }
`);

const CustomerErase = graphql(`
  mutation EventCustomerErase($id: ID!) {
    customerDelete(id: $id) {
      deletedCustomerId
      userErrors { code field message }
    }
  }
`);

describe('event tracking over the API', () => {
  let server: TestServer;
  let mine: Awaited<ReturnType<typeof insertCustomer>>;
  let theirs: Awaited<ReturnType<typeof insertCustomer>>;
  const count = async () =>
    Number((await server.db.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM customer_events'))[0].n);

  beforeAll(async () => {
    server = await startTestServer();
    mine = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    theirs = await insertCustomer(server.db, { ownerId: server.staffIds.otherAgent });
    for (const who of ['admin', 'agent', 'analyst'] as const) await server.token(who);
  });
  afterAll(() => server.close());

  it('tracks an event by customer number, stores it in its month partition and moves last activity', async () => {
    // A customer of its own: the other tests' events (at "now") would be this one's last activity.
    const fresh = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    const res = await server.gql(
      EventTrack,
      {
        input: {
          type: 'product_view',
          customer: { customerNumber: `C-${String(fresh.number).padStart(6, '0')}` },
          properties: { sku: 'A-1', price: 9.5 },
          occurredAt,
          sessionId: 's-1',
          device: { kind: 'mobile', os: 'iOS' },
        },
      },
      'agent',
    );
    expect(res.data!.eventTrack.userErrors).toEqual([]);
    expect(res.data!.eventTrack).toMatchObject({
      duplicate: false,
      event: {
        type: 'product_view',
        properties: { sku: 'A-1', price: 9.5 },
        occurredAt,
        sessionId: 's-1',
        device: { kind: 'mobile', os: 'iOS' },
        customer: { id: fresh.globalId },
      },
    });
    const [row] = await server.db.sql.query<{ partition: string; last: Date }>(
      `SELECT e.tableoid::regclass::text AS partition, c.last_activity_at AS last FROM customer_events e JOIN customers c ON c.id = e.customer_id WHERE e.id = $1`,
      [res.data!.eventTrack.event!.id],
    );
    const month = occurredAt.slice(0, 7).replace('-', '');
    expect(row.partition).toBe(`customer_events_${month}`);
    expect(new Date(row.last).toISOString()).toBe(occurredAt);
  });

  it('applies a retried eventId once', async () => {
    const input: EventTrackInput = { eventId: 'evt-42', type: 'login', customer: { email: mine.email.toUpperCase() } };
    const first = await server.gql(EventTrack, { input }, 'agent');
    const before = await count();
    const again = await server.gql(EventTrack, { input }, 'agent');
    expect([first.data!.eventTrack.duplicate, again.data!.eventTrack.duplicate]).toEqual([false, true]);
    expect(await count()).toBe(before);
  });

  it('stores an event once when the same eventId arrives concurrently', async () => {
    const before = await count();
    const input: EventTrackInput = { eventId: 'evt-race', type: 'checkout', customer: { id: mine.globalId } };
    const all = await Promise.all(Array.from({ length: 6 }, () => server.gql(EventTrack, { input }, 'admin')));
    expect(all.map((r) => r.data!.eventTrack.duplicate).sort()).toEqual([false, true, true, true, true, true]);
    expect(await count()).toBe(before + 1);
  });

  it('stores the good events of a batch and reports each bad one with its path', async () => {
    // An eventId this test tracks first: in the batch it is a duplicate of an earlier request.
    const prior = await server.gql(
      EventTrack,
      { input: { eventId: 'evt-before-batch', type: 'login', customer: { id: mine.globalId } } },
      'agent',
    );
    expect(prior.data!.eventTrack).toMatchObject({ duplicate: false, userErrors: [] });
    const before = await count();
    const events: EventTrackInput[] = [
      { type: 'a', customer: { id: mine.globalId } },
      { type: 'bad type!', customer: { id: mine.globalId } },
      { type: 'b', customer: { id: theirs.globalId } }, // another agent's customer: not found for this agent
      { type: 'c', customer: { id: mine.globalId }, occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
      { type: 'd', customer: { id: mine.globalId }, properties: { blob: 'x'.repeat(9000) } },
      { type: 'e', customer: { id: mine.globalId }, properties: { a: { b: { c: { d: { e: { f: 1 } } } } } } },
      { type: 'f', customer: { id: mine.globalId, email: mine.email } },
      { eventId: 'evt-before-batch', type: 'login', customer: { id: mine.globalId } }, // tracked before
      { eventId: 'batch-1', type: 'g', customer: { id: mine.globalId } },
      { eventId: 'batch-1', type: 'g', customer: { id: mine.globalId } }, // twice in one batch
    ];
    const res = await server.gql(EventTrackBatch, { events }, 'agent');
    const payload = res.data!.eventTrackBatch;
    expect({ stored: payload.stored, duplicates: payload.duplicates, failed: payload.failed }).toEqual({
      stored: 2,
      duplicates: 2,
      failed: 6,
    });
    expect(payload.results!.map((r) => r.userErrors.map((e) => `${e.code} ${e.field!.join('.')}`))).toEqual([
      [],
      ['VALIDATION events.1.type'],
      ['NOT_FOUND events.2.customer.id'],
      ['VALIDATION events.3.occurredAt'],
      ['VALIDATION events.4.properties'],
      ['VALIDATION events.5.properties'],
      ['VALIDATION events.6.customer'],
      [],
      [],
      [],
    ]);
    expect(await count()).toBe(before + 2);
  });

  it('refuses bad single events, batch sizes and read-only callers without writing anything', async () => {
    const single = await unchanged(server.db, () =>
      server.gql(EventTrack, { input: { type: 'x', customer: { customerNumber: 'nope' } } }, 'admin'),
    );
    expect(single.data!.eventTrack.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['VALIDATION', ['input', 'customer', 'customerNumber']],
    ]);
    const tooMany = Array.from({ length: 1001 }, () => ({ type: 'x', customer: { id: mine.globalId } }));
    const big = await unchanged(server.db, () => server.gql(EventTrackBatch, { events: tooMany }, 'admin'));
    expect(big.data!.eventTrackBatch.userErrors.map((e) => e.code)).toEqual(['LIMIT_EXCEEDED']);
    const analyst = await unchanged(server.db, () =>
      server.gql(EventTrack, { input: { type: 'x', customer: { id: mine.globalId } } }, 'analyst'),
    );
    expect(analyst.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it("erases a customer's events and event ids with the customer, also while a batch for them races the erasure", async () => {
    const orphans = async () =>
      (
        await server.db.sql.query<{ events: number; keys: number }>(
          `SELECT (SELECT count(*)::int FROM customer_events e WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = e.customer_id)) AS events,
                  (SELECT count(*)::int FROM customer_event_keys k WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = k.customer_id)) AS keys`,
        )
      )[0];
    const stored = async (customerId: string) =>
      (
        await server.db.sql.query<{ events: number; keys: number }>(
          `SELECT (SELECT count(*)::int FROM customer_events WHERE customer_id = $1) AS events,
                  (SELECT count(*)::int FROM customer_event_keys WHERE customer_id = $1) AS keys`,
          [customerId],
        )
      )[0];
    const batchFor = (globalId: string, tag: string) =>
      Array.from({ length: 50 }, (_, i) => ({
        eventId: `erase-${tag}-${i}`,
        type: 'page_view',
        customer: { id: globalId },
      }));

    // Before: tracked events and their ids go with the erased customer; the ids are free again.
    const gone = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const first = await server.gql(EventTrackBatch, { events: batchFor(gone.globalId, 'a') }, 'admin');
    expect(first.data!.eventTrackBatch.stored).toBe(50);
    expect(await stored(gone.id)).toEqual({ events: 50, keys: 50 });
    const erased = await server.gql(CustomerErase, { id: gone.globalId }, 'admin');
    expect(erased.data!.customerDelete.userErrors).toEqual([]);
    expect(await stored(gone.id)).toEqual({ events: 0, keys: 0 });
    const other = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    const reused = await server.gql(EventTrackBatch, { events: batchFor(other.globalId, 'a') }, 'admin');
    expect({
      stored: reused.data!.eventTrackBatch.stored,
      duplicates: reused.data!.eventTrackBatch.duplicates,
    }).toEqual({ stored: 50, duplicates: 0 });

    // Racing: each batch either lands before the erasure (and goes with it) or finds no customer.
    for (let round = 0; round < 3; round++) {
      const racer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
      const [batch, erase] = await Promise.all([
        server.gql(EventTrackBatch, { events: batchFor(racer.globalId, `race-${round}`) }, 'admin'),
        server.gql(CustomerErase, { id: racer.globalId }, 'admin'),
      ]);
      expect(erase.data!.customerDelete.userErrors).toEqual([]);
      const payload = batch.data!.eventTrackBatch;
      expect([
        [50, 0],
        [0, 50],
      ]).toContainEqual([payload.stored, payload.failed]);
      expect(await stored(racer.id)).toEqual({ events: 0, keys: 0 });
    }
    expect(await orphans()).toEqual({ events: 0, keys: 0 });
  });
});

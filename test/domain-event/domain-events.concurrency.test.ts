// Two instances, both with NATS_URL, under concurrent writes (PostgreSQL only): the relay lease
// lets one publish at a time, so every event reaches the stream once and in write order per customer.
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type App, startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { toGlobalId } from '../../src/graphql/relay';
import type { DomainEventEnvelope } from '../../src/modules/domain-event/domain-event.rules';
import { describeConcurrency } from '../helpers/concurrency';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../helpers/server';

const NATS = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const UPDATE = `mutation ($id: ID!, $input: CustomerUpdateInput!) {
  customerUpdate(id: $id, input: $input) { customer { version } userErrors { code field message } } }`;

describeConcurrency('domain events from two instances at once', () => {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const nats = { natsUrl: NATS, natsStream: `TEST_${suffix}`, natsSubjectPrefix: `test_${suffix}` };
  let server: TestServer;
  let second: App;
  let nc: Awaited<ReturnType<typeof connect>>;

  beforeAll(async () => {
    nc = await connect({ servers: NATS, timeout: 2_000 }); // CI runs NATS; a missing one fails here
    server = await startTestServer(nats);
    second = await startApp(
      loadConfig({ NODE_ENV: 'test' }, { port: 0, host: '127.0.0.1', jwtSecret: TEST_JWT_SECRET, ...nats }),
      { db: server.db },
    );
  });
  afterAll(async () => {
    await second?.close();
    await server?.close();
    await (await jetstreamManager(nc)).streams.delete(nats.natsStream).catch(() => undefined);
    await nc?.close();
  });

  it('publishes every event once, in write order per customer', async () => {
    const token = await server.token('admin');
    const customers = await Promise.all([0, 1, 2, 3].map(() => insertCustomer(server.db, {})));
    // Five rounds of one tag change per customer, each round spread over both instances.
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.all(
        customers.map(async (customer, i) => {
          const url = i % 2 === 0 ? server.url : second.url;
          const current = await server.db.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              query: UPDATE,
              variables: {
                id: toGlobalId('Customer', customer.id),
                input: { tags: [`round-${round}`], version: current.version },
              },
            }),
          });
          return (await response.json()) as { data: { customerUpdate: { userErrors: unknown[] } } };
        }),
      );
      for (const result of results) expect(result.data.customerUpdate.userErrors).toEqual([]);
    }

    const until = Date.now() + 30_000;
    for (;;) {
      const [{ n }] = await server.db.sql.query<{ n: string }>(
        'SELECT count(*) AS n FROM domain_events WHERE published_at IS NULL',
      );
      if (Number(n) === 0) break;
      if (Date.now() > until) throw new Error(`${n} events still unpublished`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(nats.natsStream);
    const consumer = await jetstream(nc).consumers.get(nats.natsStream);
    const seen: DomainEventEnvelope[] = [];
    for await (const m of await consumer.fetch({ max_messages: state.messages, expires: 3_000 })) {
      seen.push(m.json<DomainEventEnvelope>());
      if (seen.length === state.messages) break;
    }
    const written = await server.db.sql.query<{ event_id: string; customer_id: string }>(
      'SELECT event_id, customer_id FROM domain_events ORDER BY id',
    );
    expect(seen.map((e) => e.id).sort()).toEqual(written.map((w) => w.event_id).sort()); // each once
    for (const customer of customers) {
      const inStream = seen.filter((e) => e.customerId === toGlobalId('Customer', customer.id)).map((e) => e.id);
      const inWriteOrder = written.filter((w) => w.customer_id === customer.id).map((w) => w.event_id);
      expect(inWriteOrder).toHaveLength(5);
      expect(inStream).toEqual(inWriteOrder);
    }
  }, 90_000);
});

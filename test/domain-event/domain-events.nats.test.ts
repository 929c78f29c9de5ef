import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
type NatsConnection = Awaited<ReturnType<typeof connect>>;
import { toGlobalId } from '../../src/graphql/relay';
import { startDomainEventPublisher } from '../../src/modules/domain-event/domain-event.publisher';
import { connectJetStream } from '../../src/modules/domain-event/nats.link';
import type { DomainEventEnvelope } from '../../src/modules/domain-event/domain-event.rules';
import { insertCustomer } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { createLogger } from '../../src/logger';

// The NATS with JetStream this machine kind runs (README "Domain events"). Without it the file is
// skipped with a reason, except under CI, where a missing NATS fails the run.
const NATS = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

async function natsReachable(): Promise<boolean> {
  try {
    const nc = await connect({ servers: NATS, timeout: 1_000, maxReconnectAttempts: 0 });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

const UPDATE = `mutation ($id: ID!, $input: CustomerUpdateInput!) {
  customerUpdate(id: $id, input: $input) { customer { version } userErrors { code field message } } }`;
const ORDER = `mutation ($customerId: ID!, $input: OrderRecordInput!) {
  orderRecord(customerId: $customerId, input: $input) { order { id } userErrors { code field message } } }`;
const ORDER_STATUS = `mutation ($id: ID!, $input: OrderStatusChangeInput!) {
  orderChangeStatus(id: $id, input: $input) { order { status } userErrors { code field message } } }`;

/** Everything in the stream, in stream order, with JetStream's view of each message. */
async function readStream(
  nc: NatsConnection,
  stream: string,
): Promise<{ subject: string; msgId?: string; body: DomainEventEnvelope }[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const consumer = await jetstream(nc).consumers.get(stream); // ordered, ephemeral
  const out: { subject: string; msgId?: string; body: DomainEventEnvelope }[] = [];
  if (info.state.messages === 0) return out;
  const messages = await consumer.fetch({ max_messages: info.state.messages, expires: 2_000 });
  for await (const m of messages) {
    out.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), body: m.json<DomainEventEnvelope>() });
    if (out.length === info.state.messages) break;
  }
  return out;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A TCP proxy to NATS that a test can cut and restore, to play "NATS is down". */
async function cuttableProxy(
  target: URL,
): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = tcpConnect(Number(target.port || 4222), target.hostname);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const cut = async () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  };
  await listen();
  return { url: `nats://127.0.0.1:${port}`, cut, restore: listen, close: cut };
}

const reachable = natsReachable();

describe('domain events published to NATS JetStream', () => {
  let nc: NatsConnection;
  let server: TestServer;
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const stream = `TEST_${suffix}`;
  const prefix = `test_${suffix}`;
  let available = false;

  beforeAll(async () => {
    available = await reachable;
    if (!available) {
      if (process.env.CI) throw new Error(`NATS is not reachable at ${NATS} (CI needs it)`);
      console.warn(`skipping domain event tests: NATS is not reachable at ${NATS}`);
      return;
    }
    nc = await connect({ servers: NATS });
    server = await startTestServer({ natsUrl: NATS, natsStream: stream, natsSubjectPrefix: prefix });
  });
  afterAll(async () => {
    if (!available) return;
    await server.close();
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc.close();
  });

  const unpublished = async () =>
    Number(
      (
        await server.db.sql.query<{ n: string }>('SELECT count(*) AS n FROM domain_events WHERE published_at IS NULL')
      )[0].n,
    );

  it('publishes each audited change once, in order per customer, as a documented envelope with IDs only', async () => {
    if (!available) return;
    const customer = await insertCustomer(server.db, { email: 'jetstream.person@example.com' });
    const id = toGlobalId('Customer', customer.id);
    let version = customer.version;
    for (const firstName of ['Ann', 'Bea', 'Cid']) {
      const res = await server.post({ query: UPDATE, variables: { id, input: { firstName, version } } }, 'admin');
      version = (res.data as { customerUpdate: { customer: { version: number } } }).customerUpdate.customer.version;
    }
    const order = await server.post(
      {
        query: ORDER,
        variables: {
          customerId: id,
          input: {
            number: `N-${suffix}`,
            total: '12.50',
            currency: 'EUR',
            status: 'DELIVERED',
            placedAt: new Date().toISOString(),
          },
        },
      },
      'admin',
    );
    const orderId = (order.data as { orderRecord: { order: { id: string } } }).orderRecord.order.id;
    await server.post({ query: ORDER_STATUS, variables: { id: orderId, input: { status: 'COMPLETED' } } }, 'admin');

    await waitFor('every event published', async () => (await unpublished()) === 0);
    const messages = (await readStream(nc, stream)).filter((m) => m.body.customerId === id);
    const types = messages.map((m) => m.body.type);
    expect(types.filter((t) => t === 'customer.updated')).toHaveLength(3);
    expect(types).toContain('order.recorded');
    expect(types.indexOf('order.completed')).toBeGreaterThan(types.indexOf('order.recorded'));
    // Write order is publish order for one customer: the three updates before the order events.
    expect(types.lastIndexOf('customer.updated')).toBeLessThan(types.indexOf('order.recorded'));

    const completed = messages.find((m) => m.body.type === 'order.completed')!;
    expect(completed.subject).toBe(`${prefix}.order.completed`);
    expect(completed.msgId).toBe(completed.body.id);
    expect(completed.body).toMatchObject({
      version: 1,
      source: 'customer-api',
      customerId: id,
      entity: { type: 'Order', id: orderId },
      data: { from: 'DELIVERED', to: 'COMPLETED' },
    });
    expect(new Date(completed.body.time).toISOString()).toBe(completed.body.time);
    const updated = messages.find((m) => m.body.type === 'customer.updated')!;
    expect(updated.body.data).toMatchObject({ changedFields: ['firstName'] });
    // No personal data beyond IDs: neither the e-mail nor the names travel.
    const text = JSON.stringify(messages.map((m) => m.body));
    for (const personal of ['jetstream.person', 'Ann', 'Bea', 'Cid']) expect(text).not.toContain(personal);
    // Each event id once in the stream.
    const ids = messages.map((m) => m.body.id);
    expect(new Set(ids).size).toBe(ids.length);
    // …and counted on /metrics.
    const metrics = await (await fetch(server.url.replace(/\/graphql$/, '/metrics'))).text();
    const published = metrics
      .split('\n')
      .find(
        (line) =>
          line.startsWith('events_published_total{') &&
          line.includes('type="customer.updated"') &&
          line.includes('outcome="ok"'),
      );
    expect(Number(published?.split(' ').pop())).toBeGreaterThanOrEqual(3);
  });
});

describe('the domain event relay: crashes, NATS outages, consumer restarts', () => {
  let nc: NatsConnection;
  let server: TestServer;
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const stream = `TEST_${suffix}`;
  const prefix = `test_${suffix}`;
  let available = false;

  beforeAll(async () => {
    available = await reachable;
    if (!available) return; // the first describe says why (or fails under CI)
    nc = await connect({ servers: NATS });
    server = await startTestServer(); // no NATS_URL: the publishers below are the only ones
    // The stream as the relay makes it (duplicate window included), whichever test runs first: a
    // publisher creates it only on its first publish, and a consumer needs it before that.
    await (await connectJetStream(NATS, stream, `${prefix}.>`, createLogger('silent'))).close();
  });
  afterAll(async () => {
    if (!available) return;
    await server.close();
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc.close();
  });

  const unpublished = async () =>
    Number(
      (
        await server.db.sql.query<{ n: string }>('SELECT count(*) AS n FROM domain_events WHERE published_at IS NULL')
      )[0].n,
    );

  it('a publisher that dies after publishing and before marking re-publishes, and JetStream keeps one copy', async () => {
    if (!available) return;
    const options = { url: NATS, stream, subjectPrefix: prefix, autoRun: false, leaseMs: 200 } as const;
    const crashing = await startDomainEventPublisher(
      server.db,
      {
        ...options,
        afterPublish: async () => {
          throw new Error('killed between publish and mark');
        },
      },
      createLogger('silent'),
    );
    const customer = await insertCustomer(server.db, {});
    await server.db.sql.query(
      `INSERT INTO audit_log (action, entity_type, entity_id, changed_fields) VALUES ('customer.update', 'Customer', $1, '{tags}')`,
      [customer.id],
    );
    const [{ event_id: eventId }] = await server.db.sql.query<{ event_id: string }>(
      `SELECT event_id FROM domain_events WHERE customer_id = $1`,
      [customer.id],
    );
    await expect(crashing.publishOnce()).rejects.toThrow('killed between publish and mark');
    expect(await unpublished()).toBe(1);
    await new Promise((r) => setTimeout(r, 300)); // its lease runs out, as a dead instance's would
    const next = await startDomainEventPublisher(server.db, options, createLogger('silent'));
    expect(await next.publishOnce()).toBe(1);
    await next.stop();
    await crashing.stop();
    const copies = (await readStream(nc, stream)).filter((m) => m.body.id === eventId);
    expect(copies).toHaveLength(1);
  });

  it('one round publishes a customer’s events in write order, also across 9 → 10 → 100 ids', async () => {
    if (!available) return;
    const publisher = await startDomainEventPublisher(
      server.db,
      { url: NATS, stream, subjectPrefix: prefix, autoRun: false },
      createLogger('silent'),
    );
    try {
      const customer = await insertCustomer(server.db, {});
      for (let i = 0; i < 105; i += 1)
        await server.db.sql.query(
          `INSERT INTO audit_log (action, entity_type, entity_id, changed_fields) VALUES ('customer.update', 'Customer', $1, '{notes}')`,
          [customer.id],
        );
      while ((await publisher.publishOnce()) > 0);
      const written = (
        await server.db.sql.query<{ event_id: string }>(
          'SELECT event_id FROM domain_events WHERE customer_id = $1 ORDER BY id',
          [customer.id],
        )
      ).map((row) => row.event_id);
      const inStream = (await readStream(nc, stream))
        .filter((m) => m.body.customerId === toGlobalId('Customer', customer.id))
        .map((m) => m.body.id);
      expect(written).toHaveLength(105);
      expect(inStream).toEqual(written);
    } finally {
      await publisher.stop();
    }
  }, 60_000);

  it('NATS down: writes go on, events wait in the outbox and flow when it is back; a durable consumer resumes where it stopped', async () => {
    if (!available) return;
    const proxy = await cuttableProxy(new URL(NATS));
    const jsm = await jetstreamManager(nc);
    const durable = `resume_${suffix}`;
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
    });
    const publisher = await startDomainEventPublisher(
      server.db,
      { url: proxy.url, stream, subjectPrefix: prefix, idleMs: 50 },
      createLogger('silent'),
    );
    try {
      const customer = await insertCustomer(server.db, {});
      const write = () =>
        server.db.sql.query(
          `INSERT INTO audit_log (action, entity_type, entity_id, changed_fields) VALUES ('customer.update', 'Customer', $1, '{notes}')`,
          [customer.id],
        );
      await write();
      await waitFor('the first event published', async () => (await unpublished()) === 0);

      // The consumer side reads that one and stops.
      const consumer = await jetstream(nc).consumers.get(stream, durable);
      const first = await consumer.next({ expires: 5_000 });
      expect(first?.json<DomainEventEnvelope>().customerId).toBe(toGlobalId('Customer', customer.id));
      first?.ack();

      await proxy.cut();
      const started = Date.now();
      for (let i = 0; i < 5; i += 1) await write();
      expect(Date.now() - started).toBeLessThan(2_000); // nothing blocks on NATS
      await new Promise((r) => setTimeout(r, 500));
      expect(await unpublished()).toBe(5);

      await proxy.restore();
      await waitFor('the waiting events published', async () => (await unpublished()) === 0, 30_000);

      // A restarted consumer gets exactly the five it has not acknowledged, in order.
      const again = await jetstream(nc).consumers.get(stream, durable);
      const rest: DomainEventEnvelope[] = [];
      const batch = await again.fetch({ max_messages: 10, expires: 2_000 });
      for await (const m of batch) {
        rest.push(m.json<DomainEventEnvelope>());
        m.ack();
      }
      expect(rest).toHaveLength(5);
      expect(rest.every((e) => e.customerId === toGlobalId('Customer', customer.id))).toBe(true);
      const times = rest.map((e) => e.time);
      expect([...times].sort()).toEqual(times);
    } finally {
      await publisher.stop();
      await proxy.close();
    }
  }, 60_000);
});

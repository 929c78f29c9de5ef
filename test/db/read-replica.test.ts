// Read routing against a real streaming replica (CI starts a primary on 5441 and its replica on
// 5442: .ci/scale-out.sh). Heavy reports read from the replica; writes and every read that must
// see its own write stay on the primary. Replay is paused to make the difference visible.
import { Client } from 'pg';
import { startTestServer, type TestServer } from '../helpers/server';

const PRIMARY = process.env.TEST_REPLICA_PRIMARY_URL;
const REPLICA = process.env.TEST_REPLICA_URL;
const describeWithReplica = PRIMARY && REPLICA ? describe : describe.skip;
if (!(PRIMARY && REPLICA)) {
  if (process.env.CI) throw new Error('CI needs TEST_REPLICA_PRIMARY_URL and TEST_REPLICA_URL (.ci/scale-out.sh)');
  console.warn('skipping the read-replica tests: TEST_REPLICA_PRIMARY_URL / TEST_REPLICA_URL are not set');
}

const CREATE = `mutation ($input: CustomerCreateInput!) {
  customerCreate(input: $input) { customer { id email } userErrors { code field message } } }`;
const BY_ID = `query ($id: ID!) { customer(id: $id) { id email } }`;
const OVERVIEW = `query ($from: DateTime!, $to: DateTime!) {
  analyticsOverview(from: $from, to: $to) { counts { dimension key count } } }`;

async function onReplica<T>(sql: string): Promise<T[]> {
  const client = new Client({ connectionString: REPLICA });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describeWithReplica('DATABASE_READ_URL: reports from the replica, writes and own reads from the primary', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({}, { serverUrl: PRIMARY, replicaUrl: REPLICA });
    const name = new URL(server.db.url!).pathname.slice(1);
    // The new database (and the staff rows) reach the replica by streaming; wait for them.
    const until = Date.now() + 30_000;
    for (;;) {
      const client = new Client({
        connectionString: Object.assign(new URL(REPLICA!), { pathname: `/${name}` }).toString(),
      });
      const ready = await client
        .connect()
        .then(() => client.query('SELECT count(*)::int AS n FROM staff_users'))
        .then((r) => r.rows[0].n > 0)
        .catch(() => false)
        .finally(() => client.end().catch(() => undefined));
      if (ready) break;
      if (Date.now() > until) throw new Error('the replica did not catch up');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(async () => {
    await onReplica('SELECT pg_wal_replay_resume()').catch(() => undefined);
    await server?.close();
  });

  const activeCount = async () => {
    const res = await server.post(
      { query: OVERVIEW, variables: { from: '2020-01-01T00:00:00Z', to: '2040-01-01T00:00:00Z' } },
      'admin',
    );
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    const counts = (res.data as { analyticsOverview: { counts: { dimension: string; key: string; count: number }[] } })
      .analyticsOverview.counts;
    return counts.find((c) => c.dimension === 'STATUS' && c.key === 'ACTIVE')?.count ?? 0;
  };

  it('a write is seen at once by the writer and by entity reads, by the overview only once the replica replays it', async () => {
    const before = await activeCount();
    await onReplica('SELECT pg_wal_replay_pause()');
    try {
      const created = await server.post(
        {
          query: CREATE,
          variables: {
            input: {
              firstName: 'Rhea',
              lastName: 'Plica',
              email: 'rhea.plica@example.com',
              consent: { dataProcessing: true },
            },
          },
        },
        'admin',
      );
      const customer = (created.data as { customerCreate: { customer: { id: string; email: string } } }).customerCreate
        .customer;
      expect(customer.email).toBe('rhea.plica@example.com'); // the payload reads its own write
      const read = await server.post({ query: BY_ID, variables: { id: customer.id } }, 'admin');
      expect((read.data as { customer: { id: string } | null }).customer?.id).toBe(customer.id); // primary
      expect(await activeCount()).toBe(before); // the report came from the paused replica
    } finally {
      await onReplica('SELECT pg_wal_replay_resume()');
    }
    const until = Date.now() + 30_000;
    while ((await activeCount()) !== before + 1) {
      if (Date.now() > until) throw new Error('the overview never saw the new customer');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});

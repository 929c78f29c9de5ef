// The embedded database's wire-protocol socket (src/db/pglite-socket.ts): PGlite is one session,
// so a socket client's transaction must not mix with the server's own queries or another client's.
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { startPgliteSocket, type PgliteSocketServer } from '../../src/db/pglite-socket';

let db: PGlite;
let socket: PgliteSocketServer;
const clients: Client[] = [];

async function connect(): Promise<Client> {
  const client = new Client({ connectionString: socket.url });
  await client.connect();
  clients.push(client);
  return client;
}

const rows = async () => (await db.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows.map((r) => r.n);

beforeAll(async () => {
  db = await PGlite.create('memory://');
  await db.exec('CREATE TABLE t (n int PRIMARY KEY)');
  socket = await startPgliteSocket(db, { port: 0 });
});

afterAll(async () => {
  for (const client of clients) await client.end().catch(() => {});
  await socket.close();
  await db.close();
});

beforeEach(() => db.exec('TRUNCATE t'));

it('binds to 127.0.0.1 and answers queries with parameters', async () => {
  expect(socket.url).toBe(`postgresql://postgres@127.0.0.1:${socket.port}/postgres`);
  const client = await connect();
  expect((await client.query('SELECT $1::int + 1 AS answer', [41])).rows).toEqual([{ answer: 42 }]);
});

it("keeps the server's own writes out of a socket client's transaction", async () => {
  const client = await connect();
  await client.query('BEGIN');
  await client.query('INSERT INTO t VALUES (1)');
  // The server writes meanwhile: it must wait for the client's transaction, not join it.
  const serverWrite = db.query('INSERT INTO t VALUES (2)');
  await new Promise((r) => setTimeout(r, 100));
  await client.query('ROLLBACK');
  await serverWrite;
  expect(await rows()).toEqual([2]);
});

it("keeps another socket client's statements out of a transaction", async () => {
  const [a, b] = [await connect(), await connect()];
  await a.query('BEGIN');
  await a.query('INSERT INTO t VALUES (1)');
  const bWrite = b.query('INSERT INTO t VALUES (3)');
  await new Promise((r) => setTimeout(r, 100));
  await a.query('ROLLBACK');
  await bWrite;
  expect(await rows()).toEqual([3]);
});

it('rolls back what a client that disconnects mid-transaction left open, and frees the database', async () => {
  const client = new Client({ connectionString: socket.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('INSERT INTO t VALUES (7)');
  await client.end();
  await db.query('INSERT INTO t VALUES (8)'); // would wait forever if the session stayed taken
  expect(await rows()).toEqual([8]);
  expect(db.isInTransaction()).toBe(false);
});

it('serves many interleaved clients and server writes without losing one', async () => {
  const socketClients = await Promise.all([connect(), connect(), connect()]);
  await Promise.all([
    ...socketClients.map(async (client, c) => {
      for (let i = 0; i < 20; i++) {
        await client.query('BEGIN');
        await client.query('INSERT INTO t VALUES ($1)', [c * 100 + i]);
        await client.query('COMMIT');
      }
    }),
    (async () => {
      for (let i = 0; i < 20; i++)
        await db.transaction(async (tx) => void (await tx.query('INSERT INTO t VALUES ($1)', [1000 + i])));
    })(),
  ]);
  expect(await rows()).toHaveLength(80);
});

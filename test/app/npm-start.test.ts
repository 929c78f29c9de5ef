// The README's quick start, for real: `npm start` on a fresh copy of the repository (no data
// directory), with the embedded database's one-owner lock and socket, a seed through that socket
// while the server serves requests, and a kill -9 in the middle of writes. The copy shares this
// checkout's node_modules and generated Prisma client (what `npm install` made) through symlinks.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { processGone } from '../../src/db/data-dir-lock';

jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../..');
let dir: string;
const running = new Set<ChildProcess>();

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const base = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'TEST_DATABASE_URL',
    'PGLITE_DATA_DIR',
    'PGLITE_SOCKET_PORT',
    'SEED_DEMO_DATA',
    'LOG_LEVEL',
  ])
    delete base[name];
  const child = spawn('npm', args, {
    cwd: dir,
    env: { ...base, NODE_ENV: 'development', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => (running.delete(child), done(code))));
  return { child, out: () => out, err: () => err, exit };
}

async function until<T>(what: string, probe: () => T | undefined | false, ms = 180_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

async function gql<T = any>(port: number, query: string, variables: object = {}, token?: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const LOGIN = `mutation { login(input: { email: "admin@example.com", password: "admin-demo-password" }) { token } }`;
const CREATE = `mutation($input: CustomerCreateInput!) { customerCreate(input: $input) { customer { email } userErrors { code message } } }`;
const SEARCH = `query($q: String!) { customers(first: 100, filter: { search: $q }) { totalCount edges { node { email } } } }`;
const COUNT = `{ customers(first: 1) { totalCount } }`;
const customerInput = (tag: string, n: number) => ({
  firstName: 'Fresh',
  lastName: `${tag} ${n}`,
  email: `${tag.toLowerCase()}.${n}@example.com`,
  consent: { dataProcessing: true },
  addresses: [{ line1: `${n} Main Street`, city: 'Boston', region: 'MA', postalCode: '02108', country: 'US' }],
});

// The fresh copy's default data directory; the kill -9 test uses one of its own (CRASH_DATA_DIR) so that
// the tests pass in any order (jest --randomize).
const dataDir = () => join(dir, 'data', 'pglite');
const CRASH_DATA_DIR = 'crash-test/pglite'; // outside data/: the first test checks that data/ does not exist yet
const lockOwner = (data = dataDir()) =>
  JSON.parse(readFileSync(`${data}.lock`, 'utf8')) as { pid: number; socketUrl?: string };

async function startServer(port: number, socketPort: number, env: Record<string, string> = {}): Promise<Run> {
  const server = run(['start'], { PORT: String(port), PGLITE_SOCKET_PORT: String(socketPort), ...env });
  await until(
    'the banner',
    () => server.err().includes('Customer API ready') || (server.child.exitCode !== null && `exited: ${server.err()}`),
  );
  expect(server.err()).toContain('Customer API ready');
  return server;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fresh-copy-'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'src', 'generated'), join(dir, 'src', 'generated'));
});

afterAll(() => {
  for (const child of running) if (child.pid) process.kill(-child.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start on a fresh copy', () => {
  // One test, in steps: the second process, the seed and SIGTERM need the server that the first
  // start on the fresh copy (no data directory yet) brought up.
  it('creates the data directory, serves GraphQL on embedded PGlite and prints the banner; refuses a second process on the same data directory, naming the owner; seeds through the server socket while the server serves requests; stops cleanly on SIGTERM and frees the data directory', async () => {
    // First start on the fresh copy.
    expect(existsSync(join(dir, 'data'))).toBe(false);
    const [port, socketPort] = [await freePort(), await freePort()];
    const server = await startServer(port, socketPort);
    expect(server.err()).toContain(`http://localhost:${port}/graphql`);
    expect(server.err()).toContain(`embedded PGlite in ${dataDir()}`);
    expect(server.err()).toContain('admin@example.com');
    // stdout stays machine-readable: every line after npm's own header is one JSON log record.
    for (const line of server
      .out()
      .split('\n')
      .filter((l) => l.startsWith('{')))
      expect(() => JSON.parse(line)).not.toThrow();
    expect(existsSync(join(dataDir(), 'PG_VERSION'))).toBe(true);
    expect(lockOwner().socketUrl).toBe(`postgresql://postgres@127.0.0.1:${socketPort}/postgres`);

    const token = (await gql(port, LOGIN)).login.token;
    expect((await gql(port, COUNT, {}, token)).customers.totalCount).toBe(40);

    // A second process on the same data directory is refused, naming the owner.
    const second = run(['start'], { PORT: String(await freePort()), PGLITE_SOCKET_PORT: 'off' });
    expect(await second.exit).toBe(1);
    expect(second.err()).toContain(`is in use by process ${lockOwner().pid}`);
    expect(second.err()).toContain(`DATABASE_URL=postgresql://postgres@127.0.0.1:${socketPort}/postgres`);

    // The seed goes through the server's socket while the server serves requests.
    const before = (await gql(port, COUNT, {}, token)).customers.totalCount as number;
    const seed = run(['run', 'db:seed', '--', '--customers', '300', '--batch-size', '100']);
    const created: string[] = [];
    for (let n = 0; n < 10; n++) {
      const result = await gql(port, CREATE, { input: customerInput('Alongside', n) }, token);
      expect(result.customerCreate.userErrors).toEqual([]);
      created.push(result.customerCreate.customer.email);
    }
    expect(await seed.exit).toBe(0);
    expect(seed.out()).toContain('through the socket of the server that holds it');
    expect(seed.out()).toMatch(/customers 300 \/ 300/);
    expect((await gql(port, COUNT, {}, token)).customers.totalCount).toBe(before + 310);
    expect((await gql(port, SEARCH, { q: 'Alongside' }, token)).customers.totalCount).toBe(10);

    // SIGTERM stops it cleanly and frees the data directory.
    process.kill(lockOwner().pid, 'SIGTERM');
    expect(await server.exit).toBe(0);
    expect(existsSync(`${dataDir()}.lock`)).toBe(false);
  });

  it('keeps every acknowledged write through a kill -9, and the stale lock does not block the restart', async () => {
    const [port, socketPort] = [await freePort(), await freePort()];
    const env = { PGLITE_DATA_DIR: CRASH_DATA_DIR };
    const crashDir = join(dir, CRASH_DATA_DIR);
    let server = await startServer(port, socketPort, env);
    let token = (await gql(port, LOGIN)).login.token;
    const acknowledged: string[] = [];
    let killed = false;
    // Several writers in flight; the kill lands in the middle of them.
    const writer = async (w: number) => {
      for (let n = 0; !killed; n++) {
        try {
          const result = await gql(port, CREATE, { input: customerInput('Crash', w * 1000 + n) }, token);
          if (result.customerCreate.customer) acknowledged.push(result.customerCreate.customer.email);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = [0, 1, 2].map(writer);
    await until('some acknowledged writes', () => acknowledged.length >= 25);
    killed = true;
    const ownerPid = lockOwner(crashDir).pid;
    process.kill(-server.child.pid!, 'SIGKILL');
    await Promise.all(writers);
    await server.exit;
    // npm exits first; the server process it started may take a moment longer to die.
    await until('the killed server process is gone', () => processGone(ownerPid));
    expect(existsSync(`${crashDir}.lock`)).toBe(true); // left behind by the killed owner

    server = await startServer(port, socketPort, env);
    token = (await gql(port, LOGIN)).login.token;
    const found = await gql(port, SEARCH, { q: 'Crash' }, token);
    const emails = new Set(found.customers.edges.map((e: { node: { email: string } }) => e.node.email));
    for (const email of acknowledged) expect(emails).toContain(email);
    process.kill(lockOwner(crashDir).pid, 'SIGTERM');
    expect(await server.exit).toBe(0);
  });
});

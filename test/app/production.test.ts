// The production start: `npm run build`, then the compiled server as the Docker image runs it
// (`node dist/main.js`: no tsx, NODE_ENV=production), and the npm start scripts reading `.env`.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_USERS } from '../../src/db/seed';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/database';

const ROOT = resolve(__dirname, '../..');
const ADMIN = DEMO_USERS.find((user) => user.role === 'ADMIN')!;
const MIGRATIONS = readdirSync(join(ROOT, 'prisma/migrations'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** A child process whose JSON log lines (pino) are collected; other output lines are kept as text. */
class Server {
  readonly logs: Record<string, unknown>[] = [];
  output = '';
  closed = false;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: (() => void)[] = [];

  constructor(readonly child: ChildProcess) {
    let pending = '';
    const onData = (chunk: Buffer) => {
      this.output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        try {
          this.logs.push(JSON.parse(line));
        } catch {
          // a human line (banner, npm's echo of the command)
        }
      }
      this.waiters.forEach((wake) => wake());
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    // 'close', not 'exit': under npm the server may still be writing to the pipes when npm exits.
    this.exited = new Promise((done) =>
      child.once('close', (code, signal) => {
        this.closed = true;
        done({ code, signal });
        this.waiters.forEach((wake) => wake());
      }),
    );
  }

  /** The first log entry with this message, once it is written; fails when the process exits first. */
  async log(msg: string): Promise<Record<string, unknown>> {
    for (;;) {
      const entry = this.logs.find((e) => e.msg === msg);
      if (entry) return entry;
      if (this.closed) throw new Error(`exited before logging "${msg}":\n${this.output}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
      this.waiters = [];
    }
  }
}

const run = (command: string, args: string[], cwd: string) =>
  new Promise<void>((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });

const freePort = () =>
  new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });

/** Only what the process needs: no TEST_DATABASE_URL, NODE_OPTIONS or developer settings leak in. */
const baseEnv = () => ({ PATH: process.env.PATH!, HOME: process.env.HOME ?? tmpdir() });
const strongSecret = () => randomBytes(48).toString('base64');

const connectionRefused = (port: number) =>
  new Promise<string>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });

beforeAll(async () => {
  await run('npm', ['run', 'build'], ROOT);
}, 300_000);

describe('node dist/main.js in production', () => {
  let db: TestDatabase | undefined;
  let server: Server | undefined;

  afterEach(async () => {
    if (server && !server.closed) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await db?.close();
  });

  it('migrates from dist, serves, and on SIGTERM finishes the request in flight, refuses new connections and exits 0', async () => {
    // On PostgreSQL the compiled server migrates an empty database of its own.
    db = onPostgres() ? await createTestDatabase({ migrate: false }) : undefined;
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...baseEnv(),
        NODE_ENV: 'production',
        JWT_SECRET: strongSecret(),
        HOST: '127.0.0.1',
        PORT: '0',
        SEED_DEMO_DATA: 'true',
        ...(db ? { DATABASE_URL: db.url } : { PGLITE_DATA_DIR: 'memory://' }),
      },
    });
    server = new Server(child);
    expect((await server.log('migrations applied')).applied).toEqual(MIGRATIONS);
    const url = new URL((await server.log('server ready')).url as string);
    const port = Number(url.port);

    const login = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }',
        variables: { input: { email: ADMIN.email, password: ADMIN.password } },
      }),
    });
    const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;
    expect(token).toEqual(expect.any(String));

    // A request in flight: its headers are in (the server answered `100 Continue`, so its handler
    // runs and waits for the body), its body comes only after SIGTERM.
    const body = JSON.stringify({ query: '{ customers(first: 100) { totalCount edges { node { id email } } } }' });
    const inFlight = request({
      host: '127.0.0.1',
      port,
      path: '/graphql',
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${token}`,
        expect: '100-continue',
      },
    });
    const response = new Promise<{
      status: number;
      json: { data?: { customers: { totalCount: number; edges: unknown[] } }; errors?: unknown };
    }>((done, fail) => {
      inFlight.once('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode!, json: JSON.parse(text) }));
      });
      inFlight.once('error', fail);
    });
    await new Promise<void>((done) => inFlight.once('continue', done));

    child.kill('SIGTERM');
    await server.log('shutting down: draining requests');
    // The listener closes right after that log line; a connection that races it may be reset
    // (ECONNRESET) rather than refused, so look again briefly until the port refuses.
    let refused = await connectionRefused(port);
    for (let attempt = 0; refused !== 'ECONNREFUSED' && attempt < 30; attempt++) {
      await new Promise((wait) => setTimeout(wait, 100));
      refused = await connectionRefused(port);
    }
    expect(refused).toBe('ECONNREFUSED');
    // Still draining: the process waits for the request it is reading.
    await new Promise((wait) => setTimeout(wait, 500));
    expect(child.exitCode).toBeNull();

    inFlight.end(body);
    const { status, json } = await response;
    expect(json.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(json.data!.customers.totalCount).toBeGreaterThan(0);
    expect(json.data!.customers.edges).toHaveLength(Math.min(100, json.data!.customers.totalCount));

    expect(await server.exited).toEqual({ code: 0, signal: null });
    await server.log('stopped');
  }, 180_000);
});

describe('the npm start scripts read .env with Node’s own loader', () => {
  let dir: string;
  let server: Server | undefined;

  beforeAll(() => {
    // A checkout whose .env is ours (a developer's own .env stays untouched). Sources are copied: tsx
    // applies tsconfig.json (decorators) only to files under it, and a link resolves outside.
    dir = mkdtempSync(join(tmpdir(), 'prod-env-'));
    for (const name of ['package.json', 'tsconfig.json', 'src'])
      cpSync(join(ROOT, name), join(dir, name), { recursive: true });
    for (const name of ['node_modules', 'dist', 'prisma']) symlinkSync(join(ROOT, name), join(dir, name));
  });
  afterEach(async () => {
    // npm runs the server as its child; the group (detached) holds both.
    if (server && !server.closed) {
      process.kill(-server.child.pid!, 'SIGKILL');
      await server.exited;
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npm run start:prod runs in production mode even where .env says development (as .env.example does)', async () => {
    const port = await freePort();
    writeFileSync(
      join(dir, '.env'),
      [
        'NODE_ENV=development',
        `JWT_SECRET=${strongSecret()}`,
        'HOST=127.0.0.1',
        `PORT=${port}`,
        'PGLITE_DATA_DIR=memory://',
        '',
      ].join('\n'),
    );
    const child = spawn('npm', ['run', '--silent', 'start:prod'], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...baseEnv(), LOG_LEVEL: 'info' },
    });
    server = new Server(child);
    await server.log('server ready');
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // Development answers carry a stack trace; production's never do.
    expect(body.errors[0].extensions.stacktrace).toBeUndefined();
  }, 120_000);

  it.each(['start:prod', 'start'])(
    'npm run %s takes PORT and HOST from .env, and the environment wins over it',
    async (script) => {
      const port = await freePort();
      writeFileSync(
        join(dir, '.env'),
        [
          `NODE_ENV=production`,
          `JWT_SECRET=${strongSecret()}`,
          `HOST=127.0.0.1`,
          `PORT=${port}`,
          `PGLITE_DATA_DIR=memory://`,
          `LOG_LEVEL=silent`,
          '',
        ].join('\n'),
      );
      // LOG_LEVEL=silent in .env would hide the log this test reads: the environment's value counts.
      const child = spawn('npm', ['run', '--silent', script], {
        cwd: dir,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...baseEnv(), LOG_LEVEL: 'info' },
      });
      server = new Server(child);
      expect((await server.log('server ready')).url).toBe(`http://127.0.0.1:${port}/graphql`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      // npm passes the signal on to the server, which drains and stops.
      process.kill(-child.pid!, 'SIGTERM');
      await server.log('stopped');
      await server.exited;
    },
    120_000,
  );
});

// `npm run studio` serves Prisma Studio on the embedded database (a socket the script serves over
// the data directory) and on PostgreSQL, and Studio's own query endpoint reads the data.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(180_000);
const ROOT = resolve(__dirname, '../..');

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/** Starts the studio script, asks Studio's backend one query, stops it; returns the rows. */
async function studioQuery(env: Record<string, string>, sql: string): Promise<unknown> {
  const port = await freePort();
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development' };
  for (const name of ['DATABASE_URL', 'PGLITE_DATA_DIR', 'TEST_DATABASE_URL']) delete base[name];
  const child = spawn('npm', ['run', 'studio', '--', '--port', String(port)], {
    cwd: ROOT,
    env: { ...base, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  try {
    const deadline = Date.now() + 150_000;
    while (!out.includes('Prisma Studio is running')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`studio did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const response = await fetch(`http://localhost:${port}/bff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ procedure: 'query', query: { sql, parameters: [] } }),
    });
    return { output: out, body: await response.json() };
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
}

it('opens the embedded database (no server running) and reads its tables', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-'));
  try {
    const result = await studioQuery(
      { PGLITE_DATA_DIR: join(dir, 'nested', 'pglite') },
      'SELECT count(*)::int AS n FROM _prisma_migrations',
    );
    expect(result).toMatchObject({
      output: expect.stringContaining('embedded PGlite'),
      body: [null, [{ n: expect.any(Number) }]],
    });
    expect((result as { body: [null, { n: number }[]] }).body[1][0].n).toBeGreaterThan(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('opens PostgreSQL from DATABASE_URL', async () => {
  const url = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const result = await studioQuery({ DATABASE_URL: url }, 'SELECT 41 + 1 AS answer');
  expect(result).toMatchObject({ output: expect.stringContaining('PostgreSQL'), body: [null, [{ answer: 42 }]] });
});

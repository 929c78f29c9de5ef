import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/database';

/** Runs `npm run staff:create -- …` against the test's database, like an operator would. */
function staffCreate(target: { url?: string; dataDir?: string }, args: string[], stdin?: string) {
  const env = {
    ...process.env,
    DATABASE_URL: target.url ?? '',
    PGLITE_DATA_DIR: target.dataDir ?? '',
    NODE_ENV: 'production',
  };
  return spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/staff-create.ts', ...args], {
    env,
    input: stdin ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm run staff:create bootstraps the first ADMIN of an empty database', () => {
  let dir: string;
  let db: TestDatabase | undefined;
  let target: { url?: string; dataDir?: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'staff-create-'));
    if (onPostgres()) {
      db = await createTestDatabase({ migrate: false });
      target = { url: db.url };
    } else {
      target = { dataDir: join(dir, 'pglite') };
    }
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an ADMIN with a generated password printed once, and one from stdin; refuses bad input', async () => {
    const generated = staffCreate(target, [
      '--email',
      'First.Admin@Example.com',
      '--name',
      'First Admin',
      '--role',
      'admin',
    ]);
    expect(generated.status).toBe(0);
    const password = /password \(shown once[^:]*\): (\S+)/.exec(generated.stdout)?.[1];
    expect(password).toMatch(/^[\w-]{20}$/);

    const piped = staffCreate(
      target,
      ['--email', 'second@example.com', '--name', 'Second', '--role', 'MANAGER', '--password-stdin'],
      'a long enough passphrase\n',
    );
    expect(piped.status).toBe(0);
    expect(piped.stdout).not.toContain('password');

    const weak = staffCreate(
      target,
      ['--email', 'third@example.com', '--name', 'Third', '--role', 'AGENT', '--password-stdin'],
      'short',
    );
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('at least 12 characters');
    const duplicate = staffCreate(target, ['--email', 'first.admin@example.com', '--name', 'Again', '--role', 'ADMIN']);
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain('already exists');
    expect(staffCreate(target, ['--email', 'x@example.com', '--name', 'X', '--role', 'KING']).status).toBe(2);

    const check = await openDatabase({ url: target.url, dataDir: target.dataDir });
    try {
      const staff = await check.prisma.staffUser.findMany({
        orderBy: { email: 'asc' },
        select: { email: true, role: true, active: true },
      });
      expect(staff).toEqual([
        { email: 'first.admin@example.com', role: 'ADMIN', active: true },
        { email: 'second@example.com', role: 'MANAGER', active: true },
      ]);
      expect(await check.prisma.customer.count()).toBe(0); // no demo data
    } finally {
      await check.close();
    }
  }, 240_000);
});

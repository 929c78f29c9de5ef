// A test server or database that fails to start leaves nothing behind on the PostgreSQL server:
// the database created for it is dropped (test/helpers/database.ts, test/helpers/server.ts).
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, createdDatabaseNames, onPostgres, serverDatabaseNames } from '../helpers/database';
import { startTestServer } from '../helpers/server';

// On PGlite there is no server-side database to leave behind (the in-memory one is closed).
const describeOnPostgres = onPostgres() ? describe : describe.skip;

describeOnPostgres('a failed start drops its database (PostgreSQL)', () => {
  /** Runs `start`, which must fail with `error`, and returns the name of the one database it created. */
  async function createdBy(start: () => Promise<unknown>, error: RegExp): Promise<string> {
    const before = createdDatabaseNames.length;
    await expect(start()).rejects.toThrow(error);
    expect(createdDatabaseNames.length).toBe(before + 1);
    return createdDatabaseNames[before];
  }

  it('a server that started keeps its database until close, which drops it (the check below can fail)', async () => {
    const server = await startTestServer();
    const name = createdDatabaseNames.at(-1)!;
    expect(server.db.url).toContain(`/${name}`);
    expect(await serverDatabaseNames()).toContain(name);
    await server.close();
    expect(await serverDatabaseNames()).not.toContain(name);
  });

  it('a bad configuration (a JWT public key that is no key) drops the database', async () => {
    const name = await createdBy(
      () => startTestServer({ jwtPublicKey: 'not a key', jwtIssuer: 'https://idp.test', jwtAudience: 'api' }),
      /DECODER|key/i,
    );
    expect(await serverDatabaseNames()).not.toContain(name);
  });

  it('a port that is taken drops the database', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const { port } = blocker.address() as AddressInfo;
      const name = await createdBy(() => startTestServer({ port }), /EADDRINUSE/);
      expect(await serverDatabaseNames()).not.toContain(name);
    } finally {
      blocker.close();
    }
  });

  it('a migration that fails drops the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-migrations-'));
    try {
      mkdirSync(join(dir, '20000101000000_broken'));
      writeFileSync(
        join(dir, '20000101000000_broken', 'migration.sql'),
        'CREATE TABLE broken (id int REFERENCES nowhere (id));',
      );
      const name = await createdBy(() => createTestDatabase({ migrationsDir: dir }), /nowhere/);
      expect(await serverDatabaseNames()).not.toContain(name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

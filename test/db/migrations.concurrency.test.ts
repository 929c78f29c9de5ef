// Server instances booting together against one empty PostgreSQL database, on PostgreSQL only
// (test/helpers/concurrency.ts): the advisory lock, not the process, serialises migrations.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migrate';
import { describeConcurrency } from '../helpers/concurrency';
import { createTestDatabase } from '../helpers/database';

const MIGRATIONS = resolve(__dirname, '../../prisma/migrations');
const migrationNames = () =>
  readdirSync(MIGRATIONS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describeConcurrency('migrations applied by instances booting together', () => {
  it('three instances (separate pools) migrate one at a time under the advisory lock, each migration once', async () => {
    const db = await createTestDatabase({ migrate: false });
    const instances = await Promise.all([1, 2, 3].map(() => openDatabase({ url: db.url, poolSize: 2 })));
    try {
      const results = await Promise.all(instances.map((instance) => applyMigrations(instance.sql)));
      const names = migrationNames();
      // Each migration commits on its own, so the instances may share the work between them,
      // but every migration is applied by exactly one of them and recorded once.
      expect(results.flat().sort()).toEqual(names);
      const records = await db.sql.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(records).toEqual(
        names.map((name) => ({
          migration_name: name,
          checksum: createHash('sha256')
            .update(readFileSync(join(MIGRATIONS, name, 'migration.sql')))
            .digest('hex'),
        })),
      );
    } finally {
      for (const instance of instances) await instance.close();
      await db.close();
    }
  });
});

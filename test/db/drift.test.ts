import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// prisma/migrations and prisma/schema.prisma must describe the same database (SPEC §1). The
// check replays the migrations on an in-memory PGlite shadow database with Prisma's WASM schema
// engine and diffs the result with the schema; it needs no database of ours, so this file runs
// the same with or without TEST_DATABASE_URL.

const ROOT = resolve(__dirname, '../..');
const TIMEOUT = 120_000;

function check(schemaPath?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PRISMA_SCHEMA_PATH;
  if (schemaPath) env.PRISMA_SCHEMA_PATH = schemaPath;
  const run = spawnSync(process.execPath, ['scripts/migration-diff.mjs', 'check'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: TIMEOUT,
  });
  if (run.error) throw run.error; // e.g. the timeout
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

describe('migration drift check', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'infra-drift-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it(
    'prisma/migrations and prisma/schema.prisma agree',
    () => {
      const { status, output } = check();
      // On failure the output holds the SQL of the missing migration: run `npm run db:migration:create <name>`.
      expect({ status, output }).toEqual({
        status: 0,
        output: expect.stringContaining('schema.prisma and prisma/migrations agree.'),
      });
    },
    TIMEOUT + 10_000,
  );

  it(
    'catches a schema change that has no migration, and prints the SQL it needs',
    () => {
      const schema = readFileSync(join(ROOT, 'prisma', 'schema.prisma'), 'utf8');
      const changed = schema.replace(
        /^model Customer \{\n/m,
        (model) => `${model}  infraDriftProbe String? @map("infra_drift_probe")\n`,
      );
      expect(changed).not.toBe(schema);
      const path = join(tmp, 'schema.prisma');
      writeFileSync(path, changed);

      const { status, output } = check(path);
      expect(status).toBe(1);
      expect(output).toContain('disagree');
      expect(output).toMatch(/ALTER TABLE "customers" ADD COLUMN\s+"infra_drift_probe" TEXT/);
    },
    TIMEOUT + 10_000,
  );
});

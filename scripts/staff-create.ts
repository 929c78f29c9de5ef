// Creates a staff user in the configured database, e.g. the first ADMIN of a new production
// database (no demo data needed):
//   npm run staff:create -- --email ada@example.com --name "Ada Admin" --role ADMIN
//   printf '%s' "$PASSWORD" | npm run staff:create -- --email … --name … --role ADMIN --password-stdin
// Without --password-stdin a password is generated and printed once. DATABASE_URL selects
// PostgreSQL; otherwise embedded PGlite in PGLITE_DATA_DIR (same default as the server).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { passwordProblem } from '../src/auth/password-policy';
import { StaffDirectory } from '../src/auth/staff-directory';
import { openDatabase } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { StaffService } from '../src/modules/staff/staff.service';
import { DomainError } from '../src/shared/domain-error';

const USAGE = 'usage: staff:create --email EMAIL --name NAME --role ADMIN|MANAGER|AGENT|ANALYST [--password-stdin]';
const ROLES = ['ADMIN', 'MANAGER', 'AGENT', 'ANALYST'] as const;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const role = values.role?.toUpperCase() as (typeof ROLES)[number];
  if (!values.email || !values.name || !ROLES.includes(role)) {
    console.error(USAGE);
    return 2;
  }
  const password = values['password-stdin'] ? await readStdin() : null;
  const problem = password === null ? null : passwordProblem(password, values.email);
  if (problem) {
    console.error(`password: ${problem}`);
    return 1;
  }

  const url = process.env.DATABASE_URL || undefined;
  const dataDir = process.env.PGLITE_DATA_DIR ?? './data/pglite';
  if (!url && !dataDir.startsWith('memory://')) mkdirSync(dirname(dataDir), { recursive: true }); // PGlite makes only the last level
  const db = await openDatabase({ url, dataDir: url ? undefined : dataDir });
  try {
    await applyMigrations(db.sql);
    // A one-off process keeps no cache: the directory is only needed by the service's signature.
    const service = new StaffService(db.prisma, new StaffDirectory(db.prisma, 0));
    const { staff, generatedPassword } = await service.create(null, {
      email: values.email,
      name: values.name,
      role,
      password,
    });
    console.log(`created ${staff.role} ${staff.email} (id ${staff.id})`);
    if (generatedPassword) console.log(`password (shown once, change it after the first login): ${generatedPassword}`);
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    for (const issue of error.issues) console.error(`${issue.field?.at(-1) ?? 'error'}: ${issue.message}`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('staff:create failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

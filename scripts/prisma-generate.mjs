// Runs `prisma generate` without Prisma's native schema engine, which downloads from a server
// many networks cannot reach. Generating the client needs no engine binary, but the CLI insists
// one exists; any existing file satisfies that check (here: the node binary itself).
import { spawnSync } from 'node:child_process';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);

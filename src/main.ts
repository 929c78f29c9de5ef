import { startApp } from './app';
import { loadConfig } from './config';
import { DataDirInUseError } from './db/data-dir-lock';
import { shouldPrintBanner, startupBanner } from './startup-banner';

async function main() {
  const config = loadConfig();
  const app = await startApp(config);
  if (shouldPrintBanner(config)) process.stderr.write(`${startupBanner(app, config)}\n`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    await app.close();
    clearTimeout(force);
    app.logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  // A held data directory is an expected situation with its own instructions: no stack trace.
  console.error('failed to start:', error instanceof DataDirInUseError ? error.message : error);
  process.exit(1);
});

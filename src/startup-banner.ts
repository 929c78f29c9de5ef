// A few lines for the person who just ran `npm start`, on stderr: stdout carries only the JSON log
// lines, so log shippers reading stdout never see them. Printed in development, or when stderr is
// a terminal; STARTUP_BANNER=off silences it, =on forces it.
import { resolve } from 'node:path';
import type { App } from './app';
import type { Config } from './config';
import { DEMO_USERS } from './db/seed';

export function shouldPrintBanner(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
  tty = process.stderr.isTTY,
): boolean {
  const setting = env.STARTUP_BANNER?.toLowerCase();
  if (setting === 'off' || setting === 'false' || setting === '0') return false;
  if (setting === 'on' || setting === 'true' || setting === '1') return true;
  return config.env === 'development' || !!tty;
}

/** Where the data lives, without any password. */
function describeDatabase(config: Config): string {
  if (config.databaseUrl) {
    try {
      const url = new URL(config.databaseUrl);
      return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return 'PostgreSQL (DATABASE_URL)';
    }
  }
  if (/^[a-z]+:\/\//i.test(config.pgliteDataDir))
    return `embedded PGlite in memory (${config.pgliteDataDir}: nothing is kept)`;
  return `embedded PGlite in ${resolve(config.pgliteDataDir)}`;
}

export function startupBanner(app: Pick<App, 'url' | 'databaseSocketUrl'>, config: Config): string {
  const lines = [
    '',
    `  Customer API ready (${config.env})`,
    `  GraphQL    ${app.url}`,
    `  IDE        open ${app.url} in a browser`,
    `  Database   ${describeDatabase(config)}`,
  ];
  if (app.databaseSocketUrl)
    lines.push(`             psql, npm run studio, npm run db:seed while it runs: ${app.databaseSocketUrl}`);
  if (config.seedDemoData) {
    const admin = DEMO_USERS[0];
    lines.push(
      `  Log in     mutation { login(input: { email: "${admin.email}", password: "${admin.password}" }) { token } }`,
      `             then send the header  Authorization: Bearer <token>`,
      `             other demo staff: ${DEMO_USERS.slice(1)
        .map((u) => `${u.email} (${u.role})`)
        .join(', ')}`,
      `             each with the password <name>-demo-password, e.g. ${DEMO_USERS[1].password}; never seed them into a real deployment`,
    );
  }
  lines.push('  Stop       Ctrl+C (finishes running requests first)', '');
  return lines.join('\n');
}

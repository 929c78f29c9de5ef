// The server under test, run by bench/api.bench.ts in its own process (child_process.fork) in
// production mode: the real app (startApp) on 127.0.0.1 with an ephemeral port. It answers the
// parent's IPC messages with its own CPU time and SQL statement count, so that CPU per request is
// the server's alone (not the load generator's) and nothing is exposed over HTTP for it.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';

export interface ServerStats {
  /** process.cpuUsage() of the server process, µs. */
  cpu: NodeJS.CpuUsage;
  /** SQL statements sent to the database since start (BEGIN/COMMIT included). */
  statements: number;
  /** Pooled connections in use (a statement or transaction running); 0 on PGlite. */
  busyConnections: number;
  rssMb: number;
  heapMb: number;
}

export type ServerMessage =
  | { type: 'ready'; url: string; node: string; env: string }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'profiled'; file: string };

async function main() {
  if (!process.send) throw new Error('bench/server.ts is started by bench/api.bench.ts (it needs an IPC channel)');
  const config = loadConfig(process.env, {
    port: 0,
    host: '127.0.0.1',
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    seedDemoData: false,
    // No job scheduler: a due job (policy expiry, segment recalculation, the analytics snapshot)
    // would run in the middle of a scenario and be measured as part of it.
    jobsEnabled: false,
  });
  const app = await startApp(config);
  let statements = 0;
  app.db.onQuery(() => statements++);
  const send = (message: ServerMessage) => process.send!(message);
  // CPU profile of a measured window only (not start-up), written as a .cpuprofile file.
  let session: Session | undefined;
  process.on('message', async (message: { type: string; file?: string }) => {
    if (message.type === 'profile-start') {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      send({ type: 'profiled', file: '' });
    } else if (message.type === 'profile-stop' && session && message.file) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      writeFileSync(message.file, JSON.stringify(profile));
      send({ type: 'profiled', file: message.file });
    } else if (message.type === 'stats') {
      const memory = process.memoryUsage();
      const pool = app.db.poolStats?.();
      send({
        type: 'stats',
        stats: {
          cpu: process.cpuUsage(),
          statements,
          busyConnections: pool ? pool.total - pool.idle : 0,
          rssMb: memory.rss / 2 ** 20,
          heapMb: memory.heapUsed / 2 ** 20,
        },
      });
    } else if (message.type === 'stop') {
      void app.close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void app.close().finally(() => process.exit(0)));
  send({ type: 'ready', url: app.url, node: process.version, env: config.env });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

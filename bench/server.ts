// The server under test, run by bench/api.bench.ts in its own process (child_process.fork) in
// production mode: the real app (startApp) on 127.0.0.1 with an ephemeral port. It answers the
// parent's IPC messages with its own CPU time and SQL statement count, so that CPU per request is
// the server's alone (not the load generator's) and nothing is exposed over HTTP for it.
import 'reflect-metadata';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';

export interface ServerStats {
  /** process.cpuUsage() of the server process, µs. */
  cpu: NodeJS.CpuUsage;
  /** SQL statements sent to the database since start (BEGIN/COMMIT included). */
  statements: number;
  rssMb: number;
  heapMb: number;
}

export type ServerMessage = { type: 'ready'; url: string; node: string; env: string } | { type: 'stats'; stats: ServerStats };

async function main() {
  if (!process.send) throw new Error('bench/server.ts is started by bench/api.bench.ts (it needs an IPC channel)');
  const config = loadConfig(process.env, { port: 0, host: '127.0.0.1', logLevel: process.env.LOG_LEVEL ?? 'warn', seedDemoData: false });
  const app = await startApp(config);
  let statements = 0;
  app.db.onQuery(() => statements++);
  const send = (message: ServerMessage) => process.send!(message);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') {
      const memory = process.memoryUsage();
      send({ type: 'stats', stats: { cpu: process.cpuUsage(), statements, rssMb: memory.rss / 2 ** 20, heapMb: memory.heapUsed / 2 ** 20 } });
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

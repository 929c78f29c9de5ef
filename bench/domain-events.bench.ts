// How fast the domain-event relay drains its outbox into NATS JetStream (docs/scaling.md):
// writes N audit entries (the triggers turn them into events), then publishes them with one
// relay and prints events per second. Needs PostgreSQL (DATABASE_URL or the local one) and NATS.
//   npx tsx bench/domain-events.bench.ts [--events 20000] [--customers 1000]
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { openDatabase } from '../src/db/client';
import { applyMigrations } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { startDomainEventPublisher } from '../src/modules/domain-event/domain-event.publisher';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main() {
  const events = arg('events', 20_000);
  const customers = arg('customers', 1_000);
  const server = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const nats = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const name = `bench_events_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  const db = await openDatabase({ url, poolSize: 4 });
  const suffix = randomUUID().slice(0, 8);
  const stream = `BENCH_${suffix}`;
  const prefix = `bench_${suffix}`;
  try {
    await applyMigrations(db.sql);
    await db.sql.query(`INSERT INTO domain_event_relays (name, enabled) VALUES ('nats', true)`);
    // One statement per 1,000 audit entries, spread over `customers` customer ids.
    const started = Date.now();
    for (let done = 0; done < events; done += 1_000) {
      await db.sql.query(
        `INSERT INTO audit_log (action, entity_type, entity_id, changed_fields)
         SELECT 'customer.update', 'Customer', md5((g % $2)::text)::uuid::text, '{tags}'
         FROM generate_series(1, $1) g`,
        [Math.min(1_000, events - done), customers],
      );
    }
    const written = Date.now() - started;
    const publisher = await startDomainEventPublisher(
      db,
      { url: nats, stream, subjectPrefix: prefix, autoRun: false, batchSize: 500 },
      createLogger('silent'),
    );
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    let published = 0;
    for (let n = await publisher.publishOnce(); n > 0; n = await publisher.publishOnce()) published += n;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    await publisher.stop();
    console.log(
      JSON.stringify({
        events,
        customers,
        writeSeconds: written / 1000,
        published,
        publishSeconds: Number(seconds.toFixed(2)),
        eventsPerSecond: Math.round(published / seconds),
        relayCpuMsPerEvent: Number(((cpu.user + cpu.system) / 1000 / published).toFixed(3)),
      }),
    );
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    const nc = await connect({ servers: nats });
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

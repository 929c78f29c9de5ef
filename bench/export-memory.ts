// Measures the streamed customer export: one customer with N events downloaded through
// GET /privacy/customers/<id>/export, while the process's heap and RSS are sampled. Flat memory
// means the peak does not grow with N. Run (PostgreSQL, so that PGlite's own memory stays out):
//   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node --expose-gc --import tsx bench/export-memory.ts 20000 200000
import 'reflect-metadata';
import { insertCustomer } from '../test/helpers/factories';
import { startTestServer } from '../test/helpers/server';

async function measure(events: number) {
  const server = await startTestServer();
  try {
    const customer = await insertCustomer(server.db, { ownerId: server.staffIds.agent });
    await server.db.sql.query(
      `INSERT INTO customer_events (customer_id, type, data, device, occurred_at)
       SELECT $1::uuid, 'page_view', jsonb_build_object('n', g, 'path', '/products/' || g),
              '{"kind":"mobile","os":"iOS"}'::jsonb, now() - g * interval '1 second'
       FROM generate_series(1, ${events}) g`,
      [customer.id],
    );
    const token = await server.token('agent');
    global.gc?.();
    const base = process.memoryUsage();
    let peakHeap = base.heapUsed;
    let peakRss = base.rss;
    // With --expose-gc each sample follows a collection: live memory, not garbage not yet collected.
    const sampler = setInterval(() => {
      global.gc?.();
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 200);
    const started = Date.now();
    const res = await fetch(new URL(`/privacy/customers/${customer.globalId}/export`, server.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    clearInterval(sampler);
    const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
    console.log(
      JSON.stringify({
        events,
        status: res.status,
        documentMB: mb(bytes),
        seconds: (Date.now() - started) / 1000,
        heapGrowthMB: mb(peakHeap - base.heapUsed),
        rssGrowthMB: mb(peakRss - base.rss),
      }),
    );
  } finally {
    await server.close();
  }
}

async function main() {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length ? sizes : [100_000, 400_000]) await measure(n);
}

void main();

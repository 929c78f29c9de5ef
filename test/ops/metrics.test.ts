// GET /metrics through HTTP: Prometheus text with request, error, statement, outbox, job and event
// figures; open in development/test, closed or protected in production (token, separate port).
import { startTestServer, type TestServer } from '../helpers/server';
import { insertCustomer } from '../helpers/factories';
import {
  createOperationLabeler,
  MAX_OPERATION_NAMES,
  recordEventPublished,
  recordJobRun,
} from '../../src/observability/metrics';

const TOKEN = 'metrics-token-0123456789abcdef';

async function scrape(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}
const metricsUrl = (server: TestServer) => server.url.replace(/\/graphql$/, '/metrics');

/** The value of one sample line, e.g. value(text, 'http_requests_total', { route: 'graphql' }). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelPart = line.slice(name.length).match(/^\{([^}]*)\}/)?.[1] ?? '';
    if (wanted.every((w) => labelPart.split(',').includes(w))) sum += Number(line.split(' ').pop());
  }
  return sum;
}

describe('GET /metrics (test environment: open)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.token('admin');
  }, 240_000); // a fresh database, migrated, on a shared machine
  afterAll(() => server.close());

  it('counts requests by operation and status, with latency histograms and statement timings', async () => {
    const before = (await scrape(metricsUrl(server))).text;
    for (let i = 0; i < 3; i++)
      expect(
        (await server.post({ query: 'query MetricsProbe { customers(first: 1) { totalCount } }' }, 'admin')).status,
      ).toBe(200);
    const after = await scrape(metricsUrl(server));
    expect(after.status).toBe(200);
    expect(after.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const labels = { route: 'graphql', operation: 'MetricsProbe', status: '200' };
    expect(value(after.text, 'http_requests_total', labels) - value(before, 'http_requests_total', labels)).toBe(3);
    const histogram = { route: 'graphql', operation: 'MetricsProbe' };
    expect(value(after.text, 'http_request_duration_seconds_count', histogram)).toBe(
      value(before, 'http_request_duration_seconds_count', histogram) + 3,
    );
    expect(after.text).toContain('# TYPE http_request_duration_seconds histogram');
    // Each request ran at least one SELECT, timed.
    const selects = { kind: 'select', outcome: 'ok' };
    expect(value(after.text, 'db_statement_duration_seconds_count', selects)).toBeGreaterThanOrEqual(
      value(before, 'db_statement_duration_seconds_count', selects) + 3,
    );
    // Default process metrics.
    expect(after.text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(after.text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('counts top-level GraphQL errors by code, and anonymous operations as "anonymous"', async () => {
    const before = (await scrape(metricsUrl(server))).text;
    await server.post({ query: '{ customers(first: 1) { totalCount } }' }, null); // 401 UNAUTHENTICATED
    await server.post({ query: '{ customers(first: 1) { nope } }' }, 'admin'); // validation
    await server.post({ query: '{ customers(first: 1) { totalCount } }' }, 'admin');
    const after = (await scrape(metricsUrl(server))).text;
    const delta = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta('graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta('graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(delta('http_requests_total', { route: 'graphql', operation: 'anonymous', status: '401' })).toBe(1);
    expect(delta('http_requests_total', { route: 'graphql', operation: 'anonymous', status: '200' })).toBe(1);
  });

  it('reports the outbox lag (PENDING count and age of the oldest) read at scrape time', async () => {
    const customer = await insertCustomer(server.db);
    await server.db.sql.query('DELETE FROM notifications');
    expect(value((await scrape(metricsUrl(server))).text, 'outbox_pending')).toBe(0);
    await server.db.prisma.notification.createMany({
      data: [
        { type: 'WELCOME', customerId: customer.id, createdAt: new Date(Date.now() - 120_000) },
        { type: 'WELCOME', customerId: customer.id },
        { type: 'WELCOME', customerId: customer.id, status: 'SENT', createdAt: new Date(Date.now() - 3_600_000) },
      ],
    });
    const text = (await scrape(metricsUrl(server))).text;
    expect(value(text, 'outbox_pending')).toBe(2);
    const age = value(text, 'outbox_oldest_pending_age_seconds');
    expect(age).toBeGreaterThanOrEqual(119);
    expect(age).toBeLessThan(600);
  });

  it('exposes job runs and published events recorded through the metrics API', async () => {
    recordJobRun('metrics-test-job', 'ok', 250);
    recordJobRun('metrics-test-job', 'failed', 10);
    recordEventPublished('customer.created', 'ok', 3);
    const text = (await scrape(metricsUrl(server))).text;
    expect(value(text, 'job_runs_total', { job: 'metrics-test-job', status: 'ok' })).toBe(1);
    expect(value(text, 'job_runs_total', { job: 'metrics-test-job', status: 'failed' })).toBe(1);
    expect(value(text, 'job_run_duration_seconds_sum', { job: 'metrics-test-job' })).toBeCloseTo(0.26);
    expect(value(text, 'events_published_total', { type: 'customer.created', outcome: 'ok' })).toBe(3);
  });

  it('a job run through the API shows in job_runs_total with its outcome and duration', async () => {
    const labels = { job: 'tier_review', status: 'SUCCEEDED' };
    const before = value((await scrape(metricsUrl(server))).text, 'job_runs_total', labels);
    const res = await server.post(
      { query: 'mutation { jobRunNow(name: "tier_review") { run { status } userErrors { code message } } }' },
      'admin',
    );
    expect(res.data).toEqual({ jobRunNow: { run: { status: 'SUCCEEDED' }, userErrors: [] } });
    const text = (await scrape(metricsUrl(server))).text;
    expect(value(text, 'job_runs_total', labels)).toBe(before + 1);
    expect(value(text, 'job_run_duration_seconds_count', { job: 'tier_review' })).toBeGreaterThanOrEqual(1);
  });

  it('keeps operation-name labels bounded: malformed names and names past the cap become "other"', () => {
    // A labeller like the server's, not the server's own: filling that one would turn the other
    // tests' operation names into "other", whichever order they run in.
    const operationLabel = createOperationLabeler();
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel('x'.repeat(65))).toBe('other');
    expect(operationLabel('Known')).toBe('Known');
    for (let i = 0; i < MAX_OPERATION_NAMES + 10; i++) operationLabel(`Generated${i}`);
    expect(operationLabel('OneTooMany')).toBe('other');
    expect(operationLabel('Known')).toBe('Known');
  });
});

describe('GET /metrics in production', () => {
  jest.setTimeout(240_000); // each test starts a server of its own
  it('is not served on the API port without METRICS_TOKEN or METRICS_PORT', async () => {
    const server = await startTestServer({ env: 'production' });
    try {
      expect((await scrape(metricsUrl(server))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('with METRICS_TOKEN: 401 without the bearer token (or a wrong one), 200 with it', async () => {
    const server = await startTestServer({ env: 'production', metricsToken: TOKEN });
    try {
      expect((await scrape(metricsUrl(server))).status).toBe(401);
      expect((await scrape(metricsUrl(server), { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
      const ok = await scrape(metricsUrl(server), { authorization: `Bearer ${TOKEN}` });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('http_requests_total');
    } finally {
      await server.close();
    }
  });

  it('with METRICS_PORT: served on its own listener only', async () => {
    const server = await startTestServer({ env: 'production', metricsPort: 0 });
    try {
      expect((await scrape(metricsUrl(server))).status).toBe(404);
      expect(server.app.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const own = await scrape(server.app.metricsUrl!);
      expect(own.status).toBe(200);
      expect(own.text).toContain('outbox_pending');
      expect((await scrape(server.app.metricsUrl!.replace('/metrics', '/graphql'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

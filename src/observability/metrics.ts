// Prometheus metrics of this process (prom-client). Counters and histograms are process-wide (one
// process = one scrape target); figures that live in the database (outbox lag) or the pool are read
// when /metrics is scraped (src/observability/metrics-route.ts), so they cost nothing per request.
// The names, types and labels are listed in README "Operations".
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
// The event-loop delay is sampled every 100 ms, not prom-client's 10 ms: the 10 ms timer alone cost
// an idle server 4–5 ms of CPU a second (idle 6–7 → ~2 ms/s). A delay is still measured to the
// nanosecond; only the number of samples per second falls.
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STATEMENT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by route, GraphQL operation name and status code',
  labelNames: ['route', 'operation', 'status'] as const,
  registers: [registry],
});
const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from request to response, by route and GraphQL operation name',
  labelNames: ['route', 'operation'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});
const graphqlErrors = new Counter({
  name: 'graphql_errors_total',
  help: 'Top-level GraphQL errors sent to clients, by extensions.code',
  labelNames: ['code'] as const,
  registers: [registry],
});
const statementDuration = new Histogram({
  name: 'db_statement_duration_seconds',
  help: 'SQL statements sent to the database and their time, by kind (first keyword) and outcome',
  labelNames: ['kind', 'outcome'] as const,
  buckets: STATEMENT_BUCKETS,
  registers: [registry],
});
const jobRuns = new Counter({
  name: 'job_runs_total',
  help: 'Runs of background jobs, by job name and status',
  labelNames: ['job', 'status'] as const,
  registers: [registry],
});
const jobDuration = new Histogram({
  name: 'job_run_duration_seconds',
  help: 'Time a background job run took, by job name',
  labelNames: ['job'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers: [registry],
});
const eventsPublished = new Counter({
  name: 'events_published_total',
  help: 'Domain events published to the message broker, by event type and outcome',
  labelNames: ['type', 'outcome'] as const,
  registers: [registry],
});
export const outboxPending = new Gauge({
  name: 'outbox_pending',
  help: 'Notifications waiting in the outbox (status PENDING), read at scrape time',
  registers: [registry],
});
export const outboxOldestAge = new Gauge({
  name: 'outbox_oldest_pending_age_seconds',
  help: 'Age of the oldest PENDING notification (0 when none), read at scrape time',
  registers: [registry],
});
export const dbPoolConnections = new Gauge({
  name: 'db_pool_connections',
  help: 'Connections of the request pool by state (total, idle, waiting clients), read at scrape time',
  labelNames: ['state'] as const,
  registers: [registry],
});

// ── Label values: bounded whatever clients send ──

/** Distinct operation names kept as labels; later new names are counted as "other". */
export const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * A labeller of GraphQL operations: an operation's name when well formed and among the first `max`
 * names it has seen, else `other` (`anonymous` without a name), so label cardinality stays bounded.
 */
export function createOperationLabeler(max = MAX_OPERATION_NAMES): (name: string | null | undefined) => string {
  const names = new Set<string>();
  return (name) => {
    if (!name) return 'anonymous';
    if (names.has(name)) return name;
    if (!OPERATION_NAME.test(name) || names.size >= max) return 'other';
    names.add(name);
    return name;
  };
}

/** The process's labeller, used by the request metrics. */
export const operationLabel = createOperationLabeler();

const ROUTES: Record<string, string> = {
  '/graphql': 'graphql',
  '/healthz': 'healthz',
  '/readyz': 'readyz',
  '/metrics': 'metrics',
};
/** The route label of a path: the known routes, everything else "other". */
export const routeLabel = (path: string) => ROUTES[path] ?? 'other';

const STATEMENT_KINDS = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback']);
/** The kind label of a statement: its first keyword when a common one, else "other". */
export function statementKind(sql: string): string {
  const match = /^\s*([A-Za-z]+)/.exec(sql);
  const word = match ? match[1]!.toLowerCase() : '';
  return STATEMENT_KINDS.has(word) ? word : 'other';
}

// ── What the rest of the code calls ──

/** One HTTP request answered (src/http/server.ts). */
export function recordHttpRequest(path: string, operation: string | null, status: number, seconds: number): void {
  const route = routeLabel(path);
  const op = route === 'graphql' ? (operation ?? 'none') : '';
  httpRequests.inc({ route, operation: op, status: String(status) });
  httpDuration.observe({ route, operation: op }, seconds);
}

/** One top-level GraphQL error sent to a client. */
export function recordGraphQLError(code: unknown): void {
  graphqlErrors.inc({ code: typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'OTHER' });
}

/** One SQL statement and its time (src/db/client.ts). */
export function recordStatement(sql: string, seconds: number, ok: boolean): void {
  statementDuration.observe({ kind: statementKind(sql), outcome: ok ? 'ok' : 'error' }, seconds);
}

/** One run of a background job (called by the jobs module): status e.g. 'ok', 'failed', 'skipped'. */
export function recordJobRun(job: string, status: string, durationMs: number): void {
  jobRuns.inc({ job, status });
  jobDuration.observe({ job }, durationMs / 1000);
}

/** One domain event handed to the broker (called by the event publisher): outcome 'ok' or 'failed'. */
export function recordEventPublished(type: string, outcome: 'ok' | 'failed' = 'ok', count = 1): void {
  eventsPublished.inc({ type, outcome }, count);
}

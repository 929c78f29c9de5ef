// OpenTelemetry, on because an OTLP endpoint is configured: a local OTLP/HTTP receiver (node:http
// accepting /v1/traces as JSON) gets one span per GraphQL operation, named after it and carrying
// the request id, with the operation's SQL statements as child spans; the log lines of the
// request carry the same trace id.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { flushTracing } from '../../src/observability/tracing';
import { generateSecret } from '../../src/modules/apikey/apikey.secret';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { insertCustomer } from '../helpers/factories';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string } }[];
}

let receiver: Server;
let endpoint: string;
const received: ReceivedSpan[] = [];
const paths: string[] = [];
let db: TestDatabase;
let app: App;
const logLines: Record<string, unknown>[] = [];
let secret: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const resource of body.resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? []) received.push(...scope.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  db = await createTestDatabase();
  const key = generateSecret();
  secret = key.secret;
  await db.prisma.apiKey.create({
    data: { name: 'tracing', prefix: key.prefix, secretHash: key.hash, scopes: ['customers:read'] },
  });
  await insertCustomer(db);
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    }),
  );
  const config = loadConfig({ NODE_ENV: 'test' }, { port: 0, host: '127.0.0.1', otelEndpoint: endpoint });
  app = await startApp(config, { db, logger });
}, 240_000); // a fresh database, migrated, on a shared machine
afterAll(async () => {
  await app?.close();
  await db?.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const attribute = (span: ReceivedSpan, key: string) => span.attributes.find((a) => a.key === key)?.value.stringValue;

it('exports a span per operation with the request id, and a child span per SQL statement', async () => {
  const requestId = `trace-test-${Date.now()}`;
  const res = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': secret, 'x-request-id': requestId },
    body: JSON.stringify({ query: 'query TracedCustomers { customers(first: 2) { edges { node { id } } } }' }),
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
  await flushTracing();

  expect(paths.every((p) => p.startsWith('POST /v1/traces application/json'))).toBe(true);
  const operation = received.find((s) => attribute(s, 'request.id') === requestId);
  expect(operation).toBeDefined();
  expect(operation!.name).toBe('query TracedCustomers');
  expect(attribute(operation!, 'graphql.operation.name')).toBe('TracedCustomers');
  const statements = received.filter((s) => s.traceId === operation!.traceId && s.name.startsWith('db '));
  expect(statements.length).toBeGreaterThanOrEqual(1);
  for (const statement of statements) expect(statement.parentSpanId).toBe(operation!.spanId);
  expect(statements.some((s) => /customers/i.test(attribute(s, 'db.query.text') ?? ''))).toBe(true);

  // The request's log lines carry the trace id next to the request id.
  const requestLine = logLines.find((l) => l.msg === 'request' && l.requestId === requestId);
  expect(requestLine).toMatchObject({ traceId: operation!.traceId, status: 200 });
});

it('continues a trace the caller started (W3C traceparent)', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const res = await fetch(app.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': secret,
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    },
    body: JSON.stringify({ query: 'query Continued { customers(first: 1) { totalCount } }' }),
  });
  expect(res.status).toBe(200);
  await flushTracing();
  const span = received.find((s) => s.name === 'query Continued');
  expect(span).toMatchObject({ traceId, parentSpanId: '00f067aa0ba902b7' });
});

import { request as httpRequest, Agent, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { print } from 'graphql';
import { graphql } from '../generated';
import { startTestServer, type TestServer } from '../helpers/server';

const InfraCustomerCount = graphql(`
  query InfraCustomerCount {
    customers(first: 1) {
      totalCount
    }
  }
`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain node:http request on a fresh connection (no pooled keep-alive sockets). */
function send(url: string, options: RequestOptions = {}, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, ...options }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('health, readiness and request ids', () => {
  let server: TestServer;
  let origin: string;
  beforeAll(async () => {
    server = await startTestServer();
    origin = new URL(server.url).origin;
  });
  afterAll(() => server.close());

  it('/healthz and /readyz are 200 with the database up', async () => {
    const health = await send(`${origin}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', database: 'up' });
    const ready = await send(`${origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const res = await send(`${origin}/no-such-path`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ error: 'Not found' });
  });

  it('echoes a valid x-request-id and generates a UUID otherwise', async () => {
    const echoed = await send(`${origin}/healthz`, { headers: { 'x-request-id': 'infra-req.42_A' } });
    expect(echoed.headers['x-request-id']).toBe('infra-req.42_A');

    const generated = await send(`${origin}/healthz`);
    expect(generated.headers['x-request-id']).toMatch(UUID);
    const another = await send(`${origin}/no-such-path`);
    expect(another.headers['x-request-id']).toMatch(UUID);
    expect(another.headers['x-request-id']).not.toBe(generated.headers['x-request-id']);

    // Ids that would pollute the logs (spaces, too long) are replaced, not echoed.
    for (const bad of ['has spaces', 'x'.repeat(129)]) {
      expect((await send(`${origin}/healthz`, { headers: { 'x-request-id': bad } })).headers['x-request-id']).toMatch(
        UUID,
      );
    }
  });

  it('echoes the request id on GraphQL responses too', async () => {
    const token = await server.token('admin');
    const res = await send(
      server.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-request-id': 'infra-graphql-1',
        },
      },
      JSON.stringify({ query: print(InfraCustomerCount) }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ data: { customers: { totalCount: 0 } } });
    expect(res.headers['x-request-id']).toBe('infra-graphql-1');
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, refuses new connections, and resolves close() afterwards', async () => {
    const server = await startTestServer();
    const agent = new Agent({ keepAlive: true }); // as a load balancer or a browser would connect
    let closing: Promise<unknown> | undefined;
    try {
      const token = await server.token('admin');
      const body = JSON.stringify({ query: print(InfraCustomerCount) });
      const events: string[] = [];

      // The request is held open by its client: with `Expect: 100-continue` the server confirms
      // (the 'continue' event) once its handler has the request, and then waits for the body.
      // That is a slow upload, a real in-flight request, and needs no hook in the server.
      const req = httpRequest(server.url, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
          expect: '100-continue',
        },
      });
      const response = new Promise<RawResponse>((resolve, reject) => {
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            events.push('response');
            resolve({ status: res.statusCode!, headers: res.headers, body: text });
          });
        });
        req.on('error', reject);
      });
      const accepted = new Promise<void>((resolve) => req.once('continue', resolve));
      req.flushHeaders();
      await accepted;

      closing = server.app.close().then(() => events.push('closed'));
      // Draining: no new connections (the listener is closed at once)…
      await expect(send(`${new URL(server.url).origin}/readyz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      // …and close() waits for the request still in flight.
      await new Promise((resolve) => setImmediate(resolve));
      expect(events).toEqual([]);

      req.end(body);
      const res = await response;
      // Not the keep-alive timeout (65 s): the drained connection closes as soon as it is idle.
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('close() still waiting 10 s after the last response')), 10_000);
      });
      await Promise.race([closing, stuck]).finally(() => clearTimeout(timer));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ data: { customers: { totalCount: 0 } } });
      expect(events).toEqual(['response', 'closed']);
    } finally {
      agent.destroy();
      await (closing ?? server.app.close()).catch(() => undefined);
      await server.db.close();
    }
  }, 30_000);

  it('/healthz and /readyz report 503 with the database down when the database is gone', async () => {
    const server = await startTestServer();
    const origin = new URL(server.url).origin;
    try {
      await server.db.close(); // on PostgreSQL this also drops the test database
      const health = await send(`${origin}/healthz`);
      expect({ status: health.status, body: JSON.parse(health.body) }).toEqual({
        status: 503,
        body: { status: 'unavailable', database: 'down' },
      });
      const ready = await send(`${origin}/readyz`);
      expect({ status: ready.status, body: JSON.parse(ready.body) }).toMatchObject({
        status: 503,
        body: { status: 'unavailable', database: 'down' },
      });
    } finally {
      await server.app.close(); // the app does not own the test database, so this closes only the server
    }
  });
});

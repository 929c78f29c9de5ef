import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { loadConfig } from '../../src/config';
import { parseCorsOrigins } from '../../src/http/cors';
import { startTestServer, type TestServer } from '../helpers/server';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain node:http request, so that Origin and other browser headers go out exactly as given. */
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

const APP = 'https://app.example.com';
const preflight = (url: string, origin: string, requestHeaders = 'content-type, authorization') =>
  send(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-expose-headers',
];
const corsHeadersOf = (res: RawResponse) => CORS_HEADERS.filter((name) => res.headers[name] !== undefined);

describe('CORS_ORIGINS', () => {
  it('defaults to the localhost dev ports and the own port outside production, none in production', () => {
    const dev = loadConfig({ NODE_ENV: 'development', PORT: '4000' }).corsOrigins;
    for (const port of [3000, 4000, 4200, 5173, 8080]) {
      expect(dev).toContain(`http://localhost:${port}`);
      expect(dev).toContain(`http://127.0.0.1:${port}`);
    }
    expect(dev.every((origin) => /^http:\/\/(localhost|127\.0\.0\.1):\d+$/.test(origin))).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes' }).corsOrigins,
    ).toEqual([]);
  });

  it('takes a comma-separated list, `*` or `none`, normalised as browsers send origins', () => {
    expect(parseCorsOrigins(' https://App.Example.com/ , http://localhost:5173', true, 4000)).toEqual([
      APP,
      'http://localhost:5173',
    ]);
    expect(parseCorsOrigins('https://app.example.com:443', false, 4000)).toEqual([APP]);
    expect(parseCorsOrigins('*', true, 4000)).toEqual(['*']);
    expect(parseCorsOrigins('none', false, 4000)).toEqual([]);
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes', CORS_ORIGINS: APP })
        .corsOrigins,
    ).toEqual([APP]);
  });

  it('refuses to start with an entry that is not an origin, naming it', () => {
    for (const bad of [
      'app.example.com',
      'https://app.example.com/path',
      'ftp://files.example.com',
      'https://app.example.com?x=1',
      'null',
    ]) {
      expect(() => parseCorsOrigins(`http://localhost:3000,${bad}`, false, 4000)).toThrow(
        `CORS_ORIGINS: "${bad}" is not an origin`,
      );
    }
  });
});

describe('CORS on /graphql', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ corsOrigins: [APP, 'http://localhost:5173'] });
  });
  afterAll(() => server.close());

  it('answers a preflight from an allowed origin with 204 and what the browser may send', async () => {
    const res = await preflight(
      server.url,
      APP,
      'content-type, authorization, x-request-id, apollo-require-preflight, x-apollo-operation-name',
    );
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
    expect(res.headers['access-control-allow-headers']!.split(', ').sort()).toEqual(
      ['apollo-require-preflight', 'authorization', 'content-type', 'x-apollo-operation-name', 'x-request-id'].sort(),
    );
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(res.headers.vary).toMatch(/\bOrigin\b/);
    // Tokens travel in the Authorization header, never in cookies: no credentialed CORS.
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('refuses a preflight from any other origin with no CORS headers at all', async () => {
    for (const origin of [
      'https://evil.example.com',
      'http://localhost:3000',
      'null',
      `${APP}.evil.com`,
      'http://app.example.com',
    ]) {
      const res = await preflight(server.url, origin);
      expect({ origin, status: res.status, cors: corsHeadersOf(res) }).toEqual({ origin, status: 403, cors: [] });
      expect(JSON.parse(res.body)).toEqual({ error: 'Origin not allowed (see CORS_ORIGINS)' });
    }
  });

  it('answers a plain OPTIONS (no Origin) with the allowed methods instead of a 400', async () => {
    const res = await send(server.url, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('GET, POST, OPTIONS');
    expect(corsHeadersOf(res)).toEqual([]);
  });

  it('lets an allowed origin read the result (and the request id); another origin gets no CORS headers', async () => {
    const token = await server.token('admin');
    const query = JSON.stringify({ query: '{ customers(first: 1) { totalCount } }' });
    const post = (origin: string) =>
      send(
        server.url,
        { method: 'POST', headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${token}` } },
        query,
      );

    const allowed = await post('http://localhost:5173');
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body)).toEqual({ data: { customers: { totalCount: 0 } } });
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(allowed.headers['access-control-expose-headers']).toBe('x-request-id');
    expect(allowed.headers.vary).toMatch(/\bOrigin\b/);

    const other = await post('https://evil.example.com');
    expect(corsHeadersOf(other)).toEqual([]);
    expect(other.headers.vary).toMatch(/\bOrigin\b/); // a shared cache must not reuse the allowed answer
  });

  it("keeps Apollo's CSRF prevention: a simple cross-origin request cannot run an operation", async () => {
    // A form post or a GET without a preflight-forcing header: what a page on any origin can send without asking.
    const form = await send(
      server.url,
      { method: 'POST', headers: { origin: APP, 'content-type': 'text/plain' } },
      '{"query":"{ __typename }"}',
    );
    expect(form.status).toBe(400);
    expect(form.body).toMatch(/CSRF/);
    const get = await send(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: APP } });
    expect(get.status).toBe(400);
    expect(get.body).toMatch(/CSRF/);
    // With a header that forces a preflight, GET queries still work.
    const allowed = await send(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: APP, 'apollo-require-preflight': 'true' },
    });
    expect({ status: allowed.status, body: JSON.parse(allowed.body) }).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    });
  });

  it('leaves other paths alone', async () => {
    const res = await send(`${new URL(server.url).origin}/healthz`, { headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(corsHeadersOf(res)).toEqual([]);
  });
});

describe('CORS with the production default', () => {
  let server: TestServer;
  beforeAll(async () => {
    const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes' });
    server = await startTestServer({ corsOrigins: production.corsOrigins, graphqlIde: production.graphqlIde });
  });
  afterAll(() => server.close());

  it('allows no cross-origin browser access, not even from localhost dev servers', async () => {
    for (const origin of ['http://localhost:5173', 'http://localhost:3000', APP]) {
      const res = await preflight(server.url, origin);
      expect({ origin, status: res.status, cors: corsHeadersOf(res) }).toEqual({ origin, status: 403, cors: [] });
    }
  });
});

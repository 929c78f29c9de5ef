import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../../src/config';
import { startTestServer, type TestServer } from '../helpers/server';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(url: string, options: RequestOptions = {}, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// What a browser's address bar sends.
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-bytes' };

describe('GRAPHQL_IDE and introspection settings', () => {
  it('is on outside production and off in production, with introspection following it', () => {
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ graphqlIde: true, introspection: true });
    expect(loadConfig(PRODUCTION)).toMatchObject({ graphqlIde: false, introspection: false });
    // Turned on in production, the IDE brings the introspection it needs…
    expect(loadConfig({ ...PRODUCTION, GRAPHQL_IDE: 'true' })).toMatchObject({ graphqlIde: true, introspection: true });
    // …and with introspection turned off it stays off by default.
    expect(loadConfig({ NODE_ENV: 'development', GRAPHQL_INTROSPECTION: 'false' })).toMatchObject({
      graphqlIde: false,
      introspection: false,
    });
    expect(loadConfig({ NODE_ENV: 'development', GRAPHQL_IDE: 'false' })).toMatchObject({
      graphqlIde: false,
      introspection: true,
    });
  });

  it('refuses an IDE without introspection', () => {
    expect(() => loadConfig({ ...PRODUCTION, GRAPHQL_IDE: 'true', GRAPHQL_INTROSPECTION: 'false' })).toThrow(
      /GRAPHQL_IDE=true needs GRAPHQL_INTROSPECTION/,
    );
  });
});

describe('the IDE page and its assets', () => {
  let server: TestServer;
  let origin: string;
  let page: string;
  beforeAll(async () => {
    server = await startTestServer();
    origin = new URL(server.url).origin;
    page = (await send(server.url, { headers: { accept: BROWSER_ACCEPT } })).body.toString('utf8');
  });
  afterAll(() => server.close());

  const assetsOf = (html: string) =>
    [...html.matchAll(/(?:src|href)="(graphql\/ide\/[^"]+)"/g)].map((m) => `${origin}/${m[1]}`);

  it('serves GraphiQL to a browser at GET /graphql, loading nothing from elsewhere', async () => {
    const res = await send(server.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    const policy = res.headers['content-security-policy']!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("default-src 'none'");
    expect(page).toContain('<title>Customer API · GraphiQL</title>');
    // Every URL in the page is relative to this server (or a data: URL).
    const urls = [...page.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(6);
    for (const url of urls) expect(url).toMatch(/^(graphql\/ide\/[0-9a-f]{12}\/[\w.-]+|data:.*)$/);
  });

  it('serves each asset with its content type, for good (versioned URL), gzipped when asked', async () => {
    const assets = assetsOf(page);
    expect(assets.map((url) => url.split('/').pop()).sort()).toEqual(
      [
        'graphiql.min.css',
        'graphiql.min.js',
        'ide.css',
        'ide.js',
        'react-dom.production.min.js',
        'react.production.min.js',
      ].sort(),
    );
    for (const url of assets) {
      const res = await send(url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      expect(res.headers['content-type']).toBe(
        url.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      );
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(res.body.length).toBeGreaterThan(500);
    }
    const bundle = assets.find((url) => url.endsWith('/graphiql.min.js'))!;
    const plain = await send(bundle);
    expect(plain.body.toString('utf8')).toContain('GraphiQL');
    const zipped = await send(bundle, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
  });

  it('answers unknown assets and stale versions with 404', async () => {
    const bundle = assetsOf(page).find((url) => url.endsWith('/graphiql.min.js'))!;
    const version = bundle.split('/').at(-2)!;
    for (const path of [
      `graphql/ide/000000000000/graphiql.min.js`,
      `graphql/ide/${version}/package.json`,
      `graphql/ide/${version}/../../package.json`,
      `graphql/ide/${version}/`,
    ]) {
      const res = await send(`${origin}/${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });

  it('leaves GraphQL over GET and POST as it was', async () => {
    const get = await send(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect({ status: get.status, body: JSON.parse(get.body.toString()) }).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    });
    const post = await server.post({ query: '{ __typename }' });
    expect(post).toMatchObject({ status: 200, data: { __typename: 'Query' } });
  });
});

describe('with the IDE off (the production default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ graphqlIde: false, introspection: false });
  });
  afterAll(() => server.close());

  it('serves no page and no assets, and no CDN-loaded landing page either', async () => {
    const res = await send(server.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(400);
    const body = res.body.toString('utf8');
    expect(body).not.toMatch(/<html|<script|cdn|apollographql/i);
    const asset = await send(`${new URL(server.url).origin}/graphql/ide/000000000000/graphiql.min.js`);
    expect(asset.status).toBe(404);
  });
});

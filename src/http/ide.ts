import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { IDE_CLIENT_SCRIPT, IDE_STYLES } from './ide-client';
import type { HttpRoute } from './server';

/**
 * GraphiQL served by this server, with no network: GraphiQL 4's prebuilt UMD bundle and React 18's
 * UMD builds straight from node_modules (no bundler, no CDN), plus a small login helper
 * (ide-client.ts). GET /graphql from a browser (Accept: text/html) gets the page; everything else at
 * /graphql stays GraphQL. Assets live under /graphql/ide/<version>/, so a proxy that forwards only
 * /graphql still serves them, and the version in the path lets browsers cache them for good.
 */
const ASSET_PREFIX = '/graphql/ide/';
const JS = 'text/javascript; charset=utf-8';
const gzipAsync = promisify(gzipCallback);

interface Asset {
  type: string;
  /** A file in an installed package, or content of our own. */
  source: { package: string; file: string } | { text: string };
}

const ASSETS: Record<string, Asset> = {
  'react.production.min.js': { type: JS, source: { package: 'react', file: 'umd/react.production.min.js' } },
  'react-dom.production.min.js': {
    type: JS,
    source: { package: 'react-dom', file: 'umd/react-dom.production.min.js' },
  },
  'graphiql.min.js': { type: JS, source: { package: 'graphiql', file: 'graphiql.min.js' } },
  // The bundle's sourceMappingURL names the file it was copied from; developer tools ask for it.
  'index.umd.js.map': {
    type: 'application/json; charset=utf-8',
    source: { package: 'graphiql', file: 'graphiql.min.js.map' },
  },
  'graphiql.min.css': { type: 'text/css; charset=utf-8', source: { package: 'graphiql', file: 'graphiql.min.css' } },
  'ide.css': { type: 'text/css; charset=utf-8', source: { text: IDE_STYLES } },
  'ide.js': { type: JS, source: { text: IDE_CLIENT_SCRIPT } },
};

// Everything the page may load comes from this server: the browser itself refuses anything else.
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // GraphiQL sets inline styles (pane sizes)
  "img-src 'self' data:",
  "font-src 'self' data:", // GraphiQL's fonts are data: URLs inside its CSS
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function packageFile(pkg: string, file: string): string {
  // Resolve through package.json: the packages' export maps do not list their UMD files.
  const path = join(dirname(require.resolve(`${pkg}/package.json`)), file);
  if (!existsSync(path)) throw new Error(`GRAPHQL_IDE is on but ${pkg}/${file} is missing: run npm install`);
  return path;
}

/** Whether a GET asks for a page rather than a GraphQL result (a browser's address bar does). */
function prefersHtml(req: IncomingMessage): boolean {
  const accept = (req.headers.accept ?? '').toLowerCase();
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
}

function pageHtml(version: string): string {
  // Relative asset URLs: the page lives at .../graphql, so they resolve to .../graphql/ide/... even
  // behind a proxy that mounts the API under a prefix.
  const asset = (name: string) => `graphql/ide/${version}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer API · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<link rel="stylesheet" href="${asset('ide.css')}">
</head>
<body>
<div id="graphiql"><p class="ide-loading">Loading GraphiQL…</p></div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('ide.js')}"></script>
</body>
</html>
`;
}

/** The IDE's route: the page at GET /graphql (HTML wanted) and its assets. */
export function ideRoute(): HttpRoute {
  // Resolve now, so that a missing package stops the start rather than the first page view.
  const files = new Map(
    Object.entries(ASSETS).map(([name, asset]) => [
      name,
      'text' in asset.source ? null : packageFile(asset.source.package, asset.source.file),
    ]),
  );
  // Read on first use (most processes never serve the IDE); the version hashes our own assets and
  // the package versions, so an upgrade or a change of the login helper gets new URLs.
  const packages = ['react', 'react-dom', 'graphiql'].map(
    (pkg) => `${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}`,
  );
  const version = createHash('sha256')
    .update([...packages, IDE_CLIENT_SCRIPT, IDE_STYLES].join('\n'))
    .digest('hex')
    .slice(0, 12);
  const page = Buffer.from(pageHtml(version));
  const bodies = new Map<string, { plain: Buffer; gzip?: Promise<Buffer> }>();
  const body = (name: string) => {
    let entry = bodies.get(name);
    if (!entry) {
      const source = ASSETS[name].source;
      entry = { plain: 'text' in source ? Buffer.from(source.text) : readFileSync(files.get(name)!) };
      bodies.set(name, entry);
    }
    return entry;
  };

  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url.pathname === '/graphql') {
      if (!prefersHtml(req)) return false;
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': page.length,
        'cache-control': 'no-cache',
        'content-security-policy': PAGE_POLICY,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
      res.end(req.method === 'HEAD' ? undefined : page);
      return true;
    }
    if (!url.pathname.startsWith(ASSET_PREFIX)) return false;
    const [assetVersion, name, ...rest] = url.pathname.slice(ASSET_PREFIX.length).split('/');
    if (assetVersion !== version || rest.length > 0 || !Object.hasOwn(ASSETS, name)) return false; // → 404
    const entry = body(name);
    // The JavaScript bundle is about 1 MB; gzip it once, on first request (off the event loop), for remote users.
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && entry.plain.length > 1024;
    if (gzip) entry.gzip ??= gzipAsync(entry.plain);
    const content = gzip ? await entry.gzip! : entry.plain;
    res.writeHead(200, {
      'content-type': ASSETS[name].type,
      'content-length': content.length,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : content);
    return true;
  };
}

import type { HttpRoute } from './server';

/** Request headers a browser client may send cross-origin (answered to every allowed preflight). */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
];
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Seconds a browser may cache a preflight answer (Chromium caps this at 2 hours). */
const PREFLIGHT_MAX_AGE = 3600;

/** Ports front-end dev servers use by default: CRA/Next 3000, Vite 5173, Angular 4200, webpack/Vue 8080. */
const DEV_PORTS = [3000, 5173, 4200, 8080];

/**
 * The origins allowed to call the API from a browser, from CORS_ORIGINS (comma-separated origins,
 * `*` for any, `none` for no cross-origin access). Unset or empty: the localhost dev ports and the
 * server's own port outside production, none in production. Invalid entries stop the start.
 */
export function parseCorsOrigins(value: string | undefined, production: boolean, ownPort: number): string[] {
  const text = value?.trim() ?? '';
  if (text === '') {
    if (production) return [];
    const ports = ownPort > 0 ? [ownPort, ...DEV_PORTS] : DEV_PORTS;
    return ports.flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
  }
  if (text.toLowerCase() === 'none') return [];
  const origins = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (origins.includes('*')) return ['*'];
  return origins.map((entry) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      // reported below
    }
    // An origin is scheme://host[:port] and nothing more; the browser sends exactly that form.
    const originOnly = url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    if (!url || !originOnly || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new Error(
        `CORS_ORIGINS: "${entry}" is not an origin such as https://app.example.com (scheme, host and port only)`,
      );
    }
    return url.origin;
  });
}

/**
 * CORS for the GraphQL endpoint. An allowed Origin is echoed in Access-Control-Allow-Origin (never
 * `*` in the header, and no credentials: tokens travel in the Authorization header, not in cookies);
 * any other origin gets no CORS headers, so the browser withholds the response. Preflights are
 * answered here (Apollo answers OPTIONS with 400). Apollo's CSRF prevention still runs for GET and
 * POST: CORS decides what a browser may read, CSRF prevention what a simple request may execute.
 */
export function corsRoute(allowedOrigins: readonly string[]): HttpRoute {
  const anyOrigin = allowedOrigins.includes('*');
  const allowed = new Set(allowedOrigins);
  return (req, res, url) => {
    if (url.pathname !== '/graphql') return false;
    res.setHeader('vary', 'Origin'); // caches must not hand one origin's answer to another
    const origin = req.headers.origin;
    const ok = typeof origin === 'string' && origin !== 'null' && (anyOrigin || allowed.has(origin));
    if (ok) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'x-request-id');
    }
    if (req.method !== 'OPTIONS') return false;

    if (ok) {
      res.writeHead(204, {
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
        'access-control-max-age': String(PREFLIGHT_MAX_AGE),
      });
      res.end();
    } else if (origin !== undefined) {
      res.writeHead(403, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'Origin not allowed (see CORS_ORIGINS)' }));
    } else {
      res.writeHead(204, { allow: ALLOWED_METHODS }); // a plain OPTIONS, not a CORS preflight
      res.end();
    }
    return true;
  };
}

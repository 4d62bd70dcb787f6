// The web app: serves the built React app from web/dist and answers every other page path with its index.html.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Floorboard</title></head>
<body style="font:16px system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>Floorboard</h1>
<p>The API is running, but the web app has not been built yet.</p>
<p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it first) and reload this page.</p>
<p>The API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>`;

/** Paths the app's index.html must never stand in for: the API, and built files that do not exist. */
function isPagePath(url: string): boolean {
  const path = url.split('?')[0]!;
  return !path.startsWith('/api/') && !path.startsWith('/assets/') && path !== '/metrics';
}

/**
 * Serves web/dist: hashed assets cached for a year, index.html never cached, and the index for
 * every non-API path so the app's own routes (/board, /orders/ORD-1042) survive a reload.
 */
export async function installWebApp(server: FastifyInstance, dist = WEB_DIST): Promise<void> {
  const built = existsSync(join(dist, 'index.html'));
  if (built) {
    await server.register(fastifyStatic, {
      root: dist,
      wildcard: false,
      index: false,
      setHeaders: (reply, path) => {
        reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        reply.header('x-content-type-options', 'nosniff');
      },
    });
  }
  const page = (request: FastifyRequest, reply: FastifyReply) => {
    if (!isPagePath(request.url)) return reply.callNotFound();
    reply.header('cache-control', 'no-cache').header('x-frame-options', 'DENY').header('referrer-policy', 'same-origin');
    if (!built) {
      // A static page with one inline style and no script: its own policy, not the app's.
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
      return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
    }
    return reply.sendFile('index.html');
  };
  const options = { config: { public: true }, schema: { hide: true } };
  server.get('/', options, page);
  server.get('/*', options, page);
}

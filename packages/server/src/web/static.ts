/**
 * Serves the dashboard from the API's own port: `/` and every client-side route answer
 * index.html (never cached, so a new build shows at once), `/assets/*` answer the hashed
 * build outputs (cached for a year: their names change when their content does). Both come
 * brotli or gzip compressed when the browser accepts it, from the `.br`/`.gz` files the build
 * writes beside them (no compression work per request). `/api`,
 * `/docs` and the operations routes are never shadowed: an unknown API path stays a JSON 404.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const INDEX_FILE = 'index.html';
const ASSET_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/** Paths the dashboard never owns, even for a browser asking for HTML. */
const SERVER_PREFIXES = ['/api/', '/api?', '/docs', '/healthz', '/readyz', '/metrics'];

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigil</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Vigil is running</h1>
<p>The dashboard has not been built in this installation. <code>npm start</code> builds it; or run
<code>npm run build -w @vigil/web</code> and reload this page.</p>
<p>The API is at <a href="/docs">/docs</a>.</p>
</body></html>
`;

export interface WebApp {
  /** Answers a request no route matched with index.html when it is a page of the dashboard; false otherwise. */
  answerClientRoute(request: FastifyRequest, reply: FastifyReply): boolean;
}

function isClientRoute(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url;
  if (path === '/api' || SERVER_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
  // Browsers navigating ask for HTML; scripts and API clients asking for JSON keep the JSON 404.
  return (request.headers.accept ?? '').includes('text/html');
}

export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<WebApp> {
  // preCompressed: `x.js.br` or `x.js.gz` when Accept-Encoding allows, else `x.js` itself.
  await app.register(fastifyStatic, { root: webDir, serve: false, preCompressed: true });

  const sendIndex = (reply: FastifyReply) => {
    if (!existsSync(join(webDir, INDEX_FILE))) {
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    reply.header('cache-control', 'no-cache').header('vary', 'accept-encoding');
    return reply.sendFile(INDEX_FILE, { cacheControl: false });
  };

  app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
  app.get('/assets/*', { schema: { hide: true } }, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    reply.header('vary', 'accept-encoding');
    return reply.sendFile(join('assets', file), { maxAge: ASSET_MAX_AGE_MS, immutable: true });
  });

  return {
    answerClientRoute(request, reply) {
      if (!isClientRoute(request)) return false;
      void sendIndex(reply);
      return true;
    },
  };
}

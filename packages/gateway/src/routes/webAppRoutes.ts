import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import { ShardpayError } from '@shardpay/crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiError } from '../http/apiErrors.ts';

export interface WebAppRoutesOptions {
  /** The built app (apps/web/dist): index.html plus hashed files under assets/. */
  webDir: string;
}

/** Paths that belong to the API and its tools: never answered with the app's index.html. */
const API_PREFIXES = ['/v1', '/docs', '/metrics', '/health'];

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** The request's path, decoded; undefined when it is not valid percent-encoding. */
function requestPath(request: FastifyRequest): string | undefined {
  try {
    return decodeURIComponent(request.url.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
}

/** The path of a file of `root` that `path` names (relative, for sendFile), or undefined. */
async function fileUnder(root: string, path: string): Promise<string | undefined> {
  // Never dot files (the build's .vite/manifest.json) nor anything outside the web folder.
  if (/(^|[\\/])\./.test(path)) return undefined;
  const absolute = resolve(root, `.${path}`);
  if (!absolute.startsWith(root + sep)) return undefined;
  try {
    return (await stat(absolute)).isFile() ? relative(root, absolute) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves the web app (docs/web.md): the files of `webDir` as they are at each request (so a rebuild
 * is served without a restart; hashed assets cached for a year, index.html never cached) and, for
 * any other GET a browser sends for a page (Accept: text/html), index.html, so that the app's router
 * shows the page. Every other unknown path, and everything under /v1, /docs, /metrics and /health,
 * keeps the API's 404 error object.
 */
export async function webAppRoutes(app: FastifyInstance, options: WebAppRoutesOptions): Promise<void> {
  const root = resolve(options.webDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new ShardpayError('CONFIG_INVALID', `SHARDPAY_WEB_DIR has no index.html: ${root}`, {
      meta: { variable: 'SHARDPAY_WEB_DIR' },
    });
  }
  // Only `reply.sendFile` (with its range, ETag and traversal handling): the route below decides what to send.
  await app.register(fastifyStatic, {
    root,
    serve: false,
    cacheControl: false,
    setHeaders: (reply, path) => {
      const immutable = /[\\/]assets[\\/]/.test(path);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = requestPath(request);
    if (path !== undefined && !isApiPath(path)) {
      const file = path === '/' ? 'index.html' : await fileUnder(root, path);
      if (file !== undefined) return reply.sendFile(file);
      if ((request.headers.accept ?? '').includes('text/html')) return reply.sendFile('index.html');
    }
    throw apiError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
  });
}

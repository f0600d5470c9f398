import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { HttpApp } from '@chat/runtime';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** What the built page may do: its own scripts and styles, images from the platform, the WebSocket. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT =
  '<!doctype html><title>Chat</title><p>The page is not built: run <code>pnpm --filter @chat/web build</code> ' +
  '(<code>pnpm start</code> does).</p>';

/**
 * Serves the built page (`build()` of this package) at `/` and its files under `/assets/`. Only
 * the files the build wrote are routes; anything else stays the API's 404. The directory is read
 * when a request comes, so a rebuild needs no restart.
 */
export const registerPageRoutes = (http: HttpApp, pageDir: string): void => {
  const headers = (type: string) => ({
    'content-type': type,
    'cache-control': 'no-cache',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  const assets = () =>
    new Set(existsSync(join(pageDir, 'assets')) ? readdirSync(join(pageDir, 'assets')) : []);

  http.get('/', { config: { anonymous: true }, schema: { hide: true } }, async (_request, reply) => {
    const index = join(pageDir, 'index.html');
    if (!existsSync(index)) return reply.code(503).headers(headers(TYPES['.html']!)).send(NOT_BUILT);
    return reply.headers(headers(TYPES['.html']!)).send(await readFile(index));
  });

  http.get<{ Params: { file: string } }>(
    '/assets/:file',
    { config: { anonymous: true }, schema: { hide: true } },
    async (request, reply) => {
      const { file } = request.params;
      const type = TYPES[extname(file)];
      if (!type || !assets().has(file)) {
        return reply.code(404).send({ code: 'invalid_request', message: `No asset ${file}.` });
      }
      return reply.headers(headers(type)).send(await readFile(join(pageDir, 'assets', file)));
    },
  );
};

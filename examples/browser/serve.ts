import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPage, PAGE_DIR } from './build';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/** Serves the built page on loopback. */
export const servePage = (port: number): Promise<Server> => {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://page').pathname;
    const file = normalize(join(PAGE_DIR, path === '/' ? 'index.html' : path));
    const type = TYPES[extname(file)];
    if (!file.startsWith(PAGE_DIR) || !type) return response.writeHead(404).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildPage();
  const port = Number(process.env.PORT ?? 8080);
  await servePage(port);
  process.stdout.write(
    `open http://localhost:${port} (the platform: pnpm start, a token: pnpm -s token alice)\n`,
  );
}

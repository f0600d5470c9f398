import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, spawnDetached } from './processes';

/** The edge compose runs; the fleet on this machine renders it rather than keeping a copy. */
export const EDGE_CONFIG = join(REPO_ROOT, 'infra/edge/nginx.conf');

const UPSTREAM_SERVER = /^(\s*)server\s+([a-z0-9-]+):\d+\s+resolve;\s*$/;
const RESOLVER = /^\s*resolver\s[^;]*;\s*$/;
const LISTEN = /^(\s*)listen\s+\d+;\s*$/;
const HTTP_BLOCK = /^(\s*)http\s*\{\s*$/;
const PAGE_ROOT = /^(\s*)root\s+\/srv\/chat-web;\s*$/;

/** The chat page's build (`pnpm --filter @chat/web build`), what compose mounts at /srv/chat-web. */
export const PAGE_BUILD = join(REPO_ROOT, 'packages/web/dist');

export interface EdgeLayout {
  /** `host:port` the edge listens on. */
  listen: string;
  /** Where each compose host of the config runs here: `message` → [`127.0.0.1:41234`]. */
  upstreams: Record<string, string[]>;
  /** nginx's own files (request bodies and responses buffered to disk). */
  tempDir: string;
  /** The chat page's files, served where compose mounts them. */
  pageRoot: string;
}

/**
 * infra/edge/nginx.conf for loopback: every upstream server named by its compose host becomes the
 * addresses where that process runs here, the edge listens on `listen`, Docker's resolver goes,
 * the chat page is served from `pageRoot`, and nginx keeps its temporary files under `tempDir`. Routes are left as they are, so any
 * location added to nginx.conf is served here too. A host the fleet does not run is an error.
 */
export const renderEdgeConfig = (source: string, layout: EdgeLayout): string => {
  const rendered: string[] = [];
  for (const line of source.split('\n')) {
    if (RESOLVER.test(line)) {
      // Docker's resolver goes, and the comment that explains it with it.
      while (/^\s*#/.test(rendered.at(-1) ?? '')) rendered.pop();
      continue;
    }
    rendered.push(...renderLine(line, layout));
  }
  if (!rendered.some((line) => line.includes(`listen ${layout.listen};`))) {
    throw new Error('infra/edge/nginx.conf has no `listen <port>;` to render');
  }
  return rendered.join('\n');
};

const renderLine = (line: string, layout: EdgeLayout): string[] => {
  const listen = LISTEN.exec(line);
  if (listen) return [`${listen[1]}listen ${layout.listen};`];
  const pageRoot = PAGE_ROOT.exec(line);
  if (pageRoot) return [`${pageRoot[1]}root ${layout.pageRoot};`];
  const upstream = UPSTREAM_SERVER.exec(line);
  if (upstream) {
    const [, indent, host] = upstream;
    const addresses = layout.upstreams[host!];
    if (!addresses || addresses.length === 0) {
      throw new Error(`infra/edge/nginx.conf routes to "${host}", which the fleet does not run`);
    }
    return addresses.map((address) => `${indent}server ${address};`);
  }
  const http = HTTP_BLOCK.exec(line);
  if (http) {
    const inner = `${http[1]}  `;
    return [
      line,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (kind) => `${inner}${kind}_temp_path ${join(layout.tempDir, kind)};`,
      ),
    ];
  }
  return [line];
};

/** Debian's nginx, installed by infra/local when missing (as Redis is). */
export const nginxBinary = (): string =>
  execFileSync('bash', [join(REPO_ROOT, 'infra/local/nginx.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();

/**
 * Writes the rendered edge under `dir`, checks it with `nginx -t`, and starts nginx in the
 * foreground of its own session (no system service, no daemon), logging to `logFile`.
 */
export const startEdge = (layout: EdgeLayout & { dir: string; logFile: string }): number => {
  const nginx = nginxBinary();
  mkdirSync(layout.tempDir, { recursive: true });
  const config = join(layout.dir, 'nginx.conf');
  writeFileSync(config, renderEdgeConfig(readFileSync(EDGE_CONFIG, 'utf8'), layout));
  // As root nginx hands its workers to `nobody`, who may not reach this folder: they run as the
  // fleet's other processes do.
  const user = process.getuid?.() === 0 ? ' user root;' : '';
  const args = [
    '-p',
    layout.dir,
    '-c',
    config,
    '-e',
    'stderr',
    '-g',
    `daemon off; pid ${join(layout.dir, 'nginx.pid')};${user}`,
  ];
  execFileSync(nginx, [...args, '-t', '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return spawnDetached(nginx, args, { env: process.env, logFile: layout.logFile });
};

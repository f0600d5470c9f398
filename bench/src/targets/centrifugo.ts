import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { centrifugoWire } from '../wire/centrifugo';
import { freePort, spawnServer, waitForHttp } from './processes';
import { BENCH_SECRET, prometheusValue, type Target } from './target';

export const CENTRIFUGO_MODULE = 'github.com/centrifugal/centrifugo/v6@latest';

const goBin = (): string | null => {
  try {
    const gobin = execFileSync('go', ['env', 'GOBIN'], { encoding: 'utf8' }).trim();
    const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
    return gobin || join(gopath, 'bin');
  } catch {
    return null;
  }
};

/** The Centrifugo binary: CENTRIFUGO_BIN, else where `go install` puts it, else on the PATH. */
export const centrifugoBinary = (): string | null => {
  const candidates = [
    process.env.CENTRIFUGO_BIN,
    join(goBin() ?? join(homedir(), 'go', 'bin'), 'centrifugo'),
    ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'centrifugo')),
  ];
  return candidates.find((path): path is string => !!path && existsSync(path)) ?? null;
};

/** `go install` of Centrifugo, bounded to five minutes; returns the reason when it fails. */
export const buildCentrifugo = (): string | null => {
  const built = spawnSync('go', ['install', CENTRIFUGO_MODULE], { stdio: 'inherit', timeout: 300_000 });
  if (built.error) return `go install failed: ${built.error.message}`;
  if (built.status !== 0) return `go install exited with ${built.status ?? built.signal}`;
  return null;
};

/**
 * Centrifugo v6 with its in-memory engine: HS256 connection tokens (the same ones the platform
 * takes), channels without namespace open to subscribe and to publish for subscribers. Limited to
 * one OS thread (GOMAXPROCS=1), as the Node servers run their JavaScript on one: on a two-core
 * machine the other core is the load generator's.
 */
export const startCentrifugoTarget = async (): Promise<Target> => {
  const binary = centrifugoBinary();
  if (!binary) throw new Error('centrifugo binary not found: build it with `pnpm bench build-centrifugo`');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-centrifugo-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      http_server: { address: '127.0.0.1', port },
      log: { level: 'error' },
      usage_stats: { disabled: true },
      health: { enabled: true },
      prometheus: { enabled: true },
      client: { token: { hmac_secret_key: BENCH_SECRET }, allowed_origins: ['*'] },
      channel: {
        without_namespace: { allow_subscribe_for_client: true, allow_publish_for_subscriber: true },
      },
    }),
  );
  const settings = { GOMAXPROCS: '1' };
  const server = spawnServer('centrifugo', binary, ['-c', config], settings);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const version = spawnSync(binary, ['version'], { encoding: 'utf8' }).stdout.trim();
  return {
    name: 'centrifugo',
    wire: centrifugoWire,
    wsUrls: [`ws://127.0.0.1:${port}/connection/websocket`],
    apiUrl: null,
    settings,
    notes: [
      `${version} (${CENTRIFUGO_MODULE}), memory engine, JSON protocol, HS256 token verified on connect, GOMAXPROCS=1`,
    ],
    createRoom: async (_ownerId, name) => name,
    gatewayPids: () => [server.pid],
    serverPids: () => [server.pid],
    heapBytes: () => prometheusValue(`http://127.0.0.1:${port}/metrics`, 'go_memstats_heap_inuse_bytes'),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

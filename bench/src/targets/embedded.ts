import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeWire } from '../wire/wire';
import { freePort, spawnTypeScript, waitForHttp } from './processes';
import { BENCH_LIMITS, BENCH_SECRET, createRoomOverRest, prometheusValue, type Target } from './target';

export interface EmbeddedTargetOptions {
  /** An existing data directory (e.g. the seeded history); default: a fresh one, removed at stop. */
  dataDir?: string;
  /** Runs the platform under the CPU profiler, its profile written here when it stops. */
  profileDir?: string;
}

/** The whole platform in one process (`pnpm start`), on the embedded adapters, as its own process. */
export const startEmbeddedTarget = async (options: EmbeddedTargetOptions = {}): Promise<Target> => {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'chat-bench-embedded-'));
  const settings = { ...BENCH_LIMITS, LOG_LEVEL: 'warn' };
  const server = spawnTypeScript(
    'embedded',
    'services/embedded/src/main.ts',
    {
      ...settings,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET_KEY: BENCH_SECRET,
    },
    { profileDir: options.profileDir },
  );
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${origin}/readyz`, server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    name: 'embedded',
    wire: nativeWire,
    wsUrls: [`ws://127.0.0.1:${port}/ws`],
    apiUrl: origin,
    settings,
    notes: [
      'one process: gateway, message service, relay, projections, SQLite event store, read model and bus',
    ],
    createRoom: (ownerId, name) => createRoomOverRest(origin, ownerId, name),
    gatewayPids: () => [server.pid],
    serverPids: () => [server.pid],
    heapBytes: () => prometheusValue(`${origin}/metrics`, 'nodejs_heap_size_used_bytes'),
    async stop() {
      await server.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

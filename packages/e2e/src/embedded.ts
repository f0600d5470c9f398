import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbedded } from '@chat/embedded';
import { createLogger } from '@chat/runtime';
import { findInDirectory } from './clear-text-scan';
import { harnessOver, TEST_SECRET, type Harness } from './harness';

/**
 * Boots the embedded app in this process on a random port with its own data directory, or on
 * `options.dataDir` (kept at stop: the caller's, to start again on or to look into).
 */
export const startEmbeddedHarness = async (
  env: Record<string, string> = {},
  options: { dataDir?: string } = {},
): Promise<Harness> => {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'chat-e2e-'));
  const app = await startEmbedded({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    env: { ...process.env, JWT_SECRET_KEY: TEST_SECRET, ...env },
    logger: createLogger('e2e', process.env.LOG_LEVEL ?? 'silent'),
  });
  const origin = `127.0.0.1:${app.port}`;
  return harnessOver({
    wsUrls: [`ws://${origin}/ws`],
    apiUrl: `http://${origin}`,
    findInStores: async (needle) => findInDirectory(dataDir, needle),
    async stop() {
      await app.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
};

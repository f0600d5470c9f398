import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { freePort, runToEnd, startProcess, waitForReady, type RunningProcess } from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessOver, TEST_SECRET, type Harness } from './harness';
import { expectSameResultsAfterRebuild } from './search-rebuild';

describe('search index rebuilt from the event store', () => {
  let dataDir: string;
  let port: number;
  let server: RunningProcess;
  let h: Harness;
  // The embedded layout only, even where the environment names real servers for other suites.
  const env = () => ({
    DATA_DIR: dataDir,
    JWT_SECRET_KEY: TEST_SECRET,
    LOG_LEVEL: 'warn',
    ELASTICSEARCH_URL: '',
    EVENTSTORE_URL: '',
    // The rebuild opens the embedded run's key store (and generated key) only when no MongoDB is named.
    MONGODB_URL: '',
    KEY_STORE_URL: '',
  });
  const start = async () => {
    server = startProcess('services/embedded/src/main.ts', {
      ...env(),
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    await waitForReady(`http://127.0.0.1:${port}/readyz`, server, 60_000);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(joinPath(tmpdir(), 'chat-search-rebuild-'));
    port = await freePort();
    await start();
    h = harnessOver({ wsUrls: [], apiUrl: `http://127.0.0.1:${port}`, stop: async () => {} });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the same results after `pnpm search:rebuild` from an empty index', async () => {
    await expectSameResultsAfterRebuild(h, async () => {
      await server.stop();
      for (const file of ['index.db', 'index.db-wal', 'index.db-shm']) {
        rmSync(joinPath(dataDir, 'search', file), { force: true });
      }
      const rebuild = await runToEnd('services/search/src/rebuild-main.ts', env());
      expect(rebuild, rebuild.output).toMatchObject({ code: 0 });
      await start();
    });
  }, 180_000);
});

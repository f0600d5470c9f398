import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitForReady, type RunningProcess } from '@chat/testkit';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectAccessRebuiltAfterTrim } from './access-rebuild';
import { harnessOver, TEST_SECRET, type Harness } from './harness';

describe('room access rebuilt from the compacted topic alone, embedded', () => {
  let dataDir: string;
  let port: number;
  let server: RunningProcess;
  let h: Harness;
  const start = async () => {
    server = startProcess('services/embedded/src/main.ts', {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET_KEY: TEST_SECRET,
      LOG_LEVEL: 'warn',
    });
    await waitForReady(`http://127.0.0.1:${port}/readyz`, server, 60_000);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chat-access-rebuild-'));
    port = await freePort();
    await start();
    h = harnessOver({
      wsUrls: [`ws://127.0.0.1:${port}/ws`],
      apiUrl: `http://127.0.0.1:${port}`,
      stop: async () => {},
    });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every access question the same after message.events is trimmed and the view emptied', async () => {
    await expectAccessRebuiltAfterTrim(h, async () => {
      await server.stop();
      // Retention went by: nothing of message.events is left in the log.
      const log = new Database(join(dataDir, 'bus.db'));
      log.prepare("DELETE FROM log WHERE topic = 'message.events'").run();
      log.close();
      for (const file of ['room-access.db', 'room-access.db-wal', 'room-access.db-shm']) {
        rmSync(join(dataDir, file), { force: true });
      }
      await start();
    });
  }, 180_000);
});

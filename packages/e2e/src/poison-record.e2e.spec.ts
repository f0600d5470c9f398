import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBus } from '@chat/bus/embedded';
import { startEmbedded, type EmbeddedApp } from '@chat/embedded';
import { createLogger } from '@chat/runtime';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { harnessOver, TEST_SECRET, type Harness } from './harness';
import { expectPoisonRecordDeadLettered } from './poison-record';

describe('a record nobody can read, on the embedded bus', () => {
  let dataDir: string;
  let app: EmbeddedApp;
  let bus: EmbeddedBus;
  let h: Harness;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chat-poison-'));
    app = await startEmbedded({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      env: { ...process.env, JWT_SECRET_KEY: TEST_SECRET, CHAT_BUS__STALL_THRESHOLD_SECONDS: '0.3' },
      logger: createLogger('e2e', process.env.LOG_LEVEL ?? 'silent'),
    });
    // The same log file the platform writes, opened as another process would.
    bus = EmbeddedBus.open(join(dataDir, 'bus.db'));
    const origin = `127.0.0.1:${app.port}`;
    h = harnessOver({ wsUrls: [`ws://${origin}/ws`], apiUrl: `http://${origin}`, stop: async () => {} });
  }, 60_000);
  afterAll(async () => {
    await bus?.close();
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is dead-lettered by every consumer; the partition moves on; readiness names the stall meanwhile', async () => {
    await expectPoisonRecordDeadLettered(h, { bus, readyzUrls: [`http://127.0.0.1:${app.port}/readyz`] });
  }, 60_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@chat/testkit';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedHarness } from './embedded';
import type { Harness } from './harness';
import { expectOldMessagesExpired, RETENTION_ENV } from './retention';

describe('retention, embedded', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-retention-'));
  let h: Harness;
  beforeAll(async () => {
    // Data keys of a fifth of a second, so the periods of the expired messages end within the test.
    h = await startEmbeddedHarness({ ...RETENTION_ENV, CHAT_PRIVACY__KEY_PERIOD_MS: '200' }, { dataDir });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The room's data keys in the key store's file: by user and period, and why gone (null: live). */
  const keysOf = (roomId: string) => {
    const db = new Database(join(dataDir, 'privacy', 'keys.db'), { readonly: true });
    try {
      return db.prepare('SELECT period, gone FROM data_keys WHERE scope = ? ORDER BY period').all(roomId) as {
        period: number;
        gone: string | null;
      }[];
    } finally {
      db.close();
    }
  };

  it('expires messages past their room’s retention: tombstones in history and resume, gone from search, keys destroyed', async () => {
    await expectOldMessagesExpired(h, async (roomId) => {
      // Every key of the expired messages' periods is destroyed, as expired, once those periods end.
      await eventually(() => {
        const keys = keysOf(roomId);
        expect(keys.length).toBeGreaterThan(0);
        expect(keys.every((key) => key.gone === 'expired')).toBe(true);
      }, 10_000);
    });
  }, 60_000);
});

import { afterAll, beforeAll, describe, it } from 'vitest';
import { startEmbeddedHarness } from './embedded';
import type { Harness } from './harness';
import { expectOldMessagesExpired, RETENTION_ENV } from './retention';

describe('retention, embedded', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEmbeddedHarness(RETENTION_ENV);
  }, 60_000);
  afterAll(() => h?.stop());

  it('expires messages past their room’s retention: tombstones in history and resume, gone from search', async () => {
    await expectOldMessagesExpired(h);
  }, 60_000);
});

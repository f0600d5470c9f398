import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContentCipher } from '@chat/privacy';
import { SqliteKeyStore } from '@chat/privacy/sqlite';
import { cipherInMemory } from '@chat/privacy/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from './decide';
import { cipherShredder } from './cipher-shredder';

/** The period of the test cipher's keys. */
const PERIOD_MS = DAY_MS;

describe('retention’s key destruction on the key store', () => {
  let directory: string;
  let store: SqliteKeyStore;
  let cipher: ContentCipher;
  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'retention-keys-'));
    store = SqliteKeyStore.open(join(directory, 'keys.db'));
    cipher = await cipherInMemory(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const sealed = async (scope: string, user_id: string, period: number) => {
    const aad = `${scope}/${user_id}/${period}`;
    const value = await cipher.seal(
      `said in period ${period}`,
      { scope, user_id, at: period * PERIOD_MS },
      aad,
    );
    return () => cipher.open(value, aad);
  };

  it('destroys the room’s keys of every period that ended by the cutoff, and no other', async () => {
    const ended = await sealed('r1', 'ann', 4);
    const endsAtCutoff = await sealed('r1', 'bob', 5);
    const holdingTheCutoff = await sealed('r1', 'ann', 6);
    const otherRoom = await sealed('r2', 'ann', 4);
    const shredder = cipherShredder(cipher, PERIOD_MS);

    // Period 6 runs through day 6: a cutoff inside it leaves its key (newer messages need it).
    expect(await shredder.destroyRoomKeysBefore('r1', 6 * PERIOD_MS + PERIOD_MS / 2)).toBe(2);
    // Gone at once in this process, though the cipher had the keys cached.
    expect(await ended()).toEqual({ ok: false, gone: 'expired' });
    expect(await endsAtCutoff()).toEqual({ ok: false, gone: 'expired' });
    expect(await holdingTheCutoff()).toEqual({ ok: true, text: 'said in period 6' });
    expect(await otherRoom()).toEqual({ ok: true, text: 'said in period 4' });
    expect(await shredder.destroyRoomKeysBefore('r1', 6 * PERIOD_MS + PERIOD_MS / 2)).toBe(0);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyIdOf, type KeyRef, type KeyStore } from '@chat/privacy';
import { SqliteKeyStore } from '@chat/privacy/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyStoreShredder } from './key-store-shredder';

const PERIOD_MS = 60_000;

describe('retention’s key destruction on the key store', () => {
  let directory: string;
  let store: KeyStore;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'retention-keys-'));
    store = SqliteKeyStore.open(join(directory, 'keys.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const keyOf = async (ref: KeyRef) => {
    const key_id = keyIdOf(ref);
    await store.getOrCreate({ key_id, ...ref, kek_id: 'kek-a', wrapped: `wrapped-${key_id}` });
    return key_id;
  };
  const statusOf = async (keyId: string) => (await store.get(keyId)).status;

  it('destroys the room’s keys of every period that ended by the cutoff, and no other', async () => {
    const ended = await keyOf({ scope: 'r1', user_id: 'ann', period: 4 });
    const endsAtCutoff = await keyOf({ scope: 'r1', user_id: 'bob', period: 5 });
    const holdingTheCutoff = await keyOf({ scope: 'r1', user_id: 'ann', period: 6 });
    const otherRoom = await keyOf({ scope: 'r2', user_id: 'ann', period: 4 });
    const shredder = keyStoreShredder(store, PERIOD_MS);

    // Period 6 runs from 6 to 7 minutes: a cutoff inside it leaves its key (newer messages need it).
    expect(await shredder.destroyRoomKeysBefore('r1', 6 * PERIOD_MS + PERIOD_MS / 2)).toBe(2);
    expect(await store.get(ended)).toEqual({ status: 'gone', reason: 'expired' });
    expect(await statusOf(endsAtCutoff)).toBe('gone');
    expect(await statusOf(holdingTheCutoff)).toBe('live');
    expect(await statusOf(otherRoom)).toBe('live');
    expect(await shredder.destroyRoomKeysBefore('r1', 6 * PERIOD_MS + PERIOD_MS / 2)).toBe(0);
  });
});

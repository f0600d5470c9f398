import { randomBytes } from 'node:crypto';
import { ContentCipher } from './cipher';
import { kekOf } from './kek';
import { SqliteKeyStore } from './store/sqlite-key-store';

/**
 * A real cipher, for tests that run services in their process: by default on a key store in
 * memory under a random KEK, so what it seals only it can open; given a store file and a KEK, it
 * reads again after a restart what it sealed before.
 */
export const cipherInMemory = async (
  store = SqliteKeyStore.open(':memory:'),
  kek = kekOf(randomBytes(32)),
): Promise<ContentCipher> =>
  ContentCipher.start(store, kek, {
    keyPeriodMs: 86_400_000,
    cacheSize: 1_000,
    cacheTtlMs: 60_000,
  });

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onServer, runToEnd, uniqueId } from '@chat/testkit';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ContentCipher, type CipherOptions } from './cipher';
import { kekOf } from './kek';
import { MongoKeyStore } from './store/mongo-key-store';
import type { KeyStore } from './store/port';
import { SqliteKeyStore } from './store/sqlite-key-store';

const options: CipherOptions = { keyPeriodMs: 86_400_000, cacheSize: 100, cacheTtlMs: 60_000 };
const hex = () => randomBytes(32).toString('hex');

/** Where `pnpm keys:rotate` finds the key store, and how a test opens the same one. */
interface Place {
  env: Record<string, string>;
  open(): Promise<KeyStore>;
}

/** The whole command against a key store holding values sealed under an old key. */
const describeRotation = (name: string, place: () => Promise<Place>) => {
  describe(`pnpm keys:rotate on ${name}`, () => {
    it('re-wraps every key under the new ENCRYPTION_KEY: everything opens with it, the old key is refused', async () => {
      const { env, open } = await place();
      const [oldKey, newKey] = [hex(), hex()];
      let store = await open();
      const before = await ContentCipher.start(store, kekOf(Buffer.from(oldKey, 'hex')), options);
      const rooms = ['r1', 'r2', 'r3'];
      const sealed = await Promise.all(
        rooms.map((scope) => before.seal(`in ${scope}`, { scope, user_id: 'ann', at: Date.now() }, scope)),
      );
      await store.close();

      const rotate = (old: string) =>
        runToEnd('packages/privacy/src/rotate-main.ts', {
          ...env,
          OLD_ENCRYPTION_KEY: old,
          ENCRYPTION_KEY: newKey,
          LOG_LEVEL: 'info',
        });
      // A wrong old key is refused before anything changes.
      const wrongOld = await rotate(hex());
      expect(wrongOld.code).toBe(1);
      expect(wrongOld.output).toContain('OLD_ENCRYPTION_KEY');
      const first = await rotate(oldKey);
      expect(first, first.output).toMatchObject({ code: 0 });
      expect(first.output).toContain('"rewrapped":3');
      // Run again (as after an interruption): nothing left to do.
      const again = await rotate(oldKey);
      expect(again, again.output).toMatchObject({ code: 0 });
      expect(again.output).toContain('"rewrapped":0');

      store = await open();
      try {
        const after = await ContentCipher.start(store, kekOf(Buffer.from(newKey, 'hex')), options);
        const opened = await Promise.all(sealed.map((value, i) => after.open(value, rooms[i]!)));
        expect(opened).toEqual(rooms.map((scope) => ({ ok: true, text: `in ${scope}` })));
        await expect(
          ContentCipher.start(store, kekOf(Buffer.from(oldKey, 'hex')), options),
        ).rejects.toMatchObject({ code: 'wrong_encryption_key' });
      } finally {
        await store.close();
      }
    });

    it('refuses to run without both keys', async () => {
      const { env } = await place();
      const run = await runToEnd('packages/privacy/src/rotate-main.ts', { ...env, ENCRYPTION_KEY: hex() });
      expect(run.code).toBe(1);
      expect(run.output).toContain('OLD_ENCRYPTION_KEY');
    });
  });
};

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describeRotation('SQLite (DATA_DIR)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'keys-rotate-'));
  directories.push(directory);
  // The embedded layout: no MongoDB named, even where the environment names one for other suites.
  return {
    env: { DATA_DIR: directory, MONGODB_URL: '', KEY_STORE_URL: '' },
    open: async () => SqliteKeyStore.open(join(directory, 'privacy', 'keys.db')),
  };
});

await onServer('mongodb', 'pnpm keys:rotate on MongoDB', (server) => {
  const databases: string[] = [];
  afterAll(async () => {
    const client = await MongoClient.connect(server.url);
    for (const database of databases) await client.db(database).dropDatabase();
    await client.close();
    await server.stop();
  });
  describeRotation('MongoDB (KEY_STORE_URL)', async () => {
    const database = uniqueId('keys-rotate');
    databases.push(database);
    const url = new URL(server.url);
    url.pathname = `/${database}`;
    return { env: { KEY_STORE_URL: url.toString() }, open: () => MongoKeyStore.open(url.toString()) };
  });
});

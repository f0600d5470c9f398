import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyIdOf, type KeyRef } from '../key-id';
import type { KeyStore, WrappedKey } from './port';

/** Where an adapter keeps its store for one test: a SQLite file, a MongoDB database. */
export interface KeyStorePlace {
  /** Opens a store on this place; opened again, it finds what was saved before, as after a restart. */
  open(): Promise<KeyStore>;
  /** Removes the place once its stores are closed. */
  dispose(): Promise<void>;
}

const candidate = (ref: KeyRef, wrapped = `wrapped-${Math.random()}`, kek_id = 'kek-a'): WrappedKey => ({
  key_id: keyIdOf(ref),
  ...ref,
  kek_id,
  wrapped,
});

/** The one suite every KeyStore adapter passes; `freshPlace` gives each test an empty place. */
export const describeKeyStore = (adapter: string, freshPlace: () => Promise<KeyStorePlace>): void => {
  describe(`key store conformance: ${adapter}`, () => {
    let place: KeyStorePlace;
    let store: KeyStore;

    beforeEach(async () => {
      place = await freshPlace();
      store = await place.open();
    });
    afterEach(async () => {
      await store.close();
      await place.dispose();
    });

    const restart = async () => {
      await store.close();
      store = await place.open();
    };

    it('knows no key before one is created', async () => {
      expect(await store.get('k-none')).toEqual({ status: 'missing' });
    });

    it('keeps the first key created for an id, across a restart', async () => {
      const first = candidate({ scope: 'r1', user_id: 'ann', period: 7 }, 'first');
      expect(await store.getOrCreate(first)).toEqual({ status: 'live', key: first });
      expect(await store.getOrCreate({ ...first, wrapped: 'second' })).toEqual({
        status: 'live',
        key: first,
      });
      await restart();
      expect(await store.get(first.key_id)).toEqual({ status: 'live', key: first });
    });

    it('gives concurrent creators of one key the same key', async () => {
      const ref = { scope: 'r1', user_id: 'ann', period: 7 };
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.getOrCreate(candidate(ref, `attempt-${i}`))),
      );
      const wrapped = answers.map((answer) => (answer.status === 'live' ? answer.key.wrapped : null));
      expect(new Set(wrapped).size).toBe(1);
      expect(await store.get(keyIdOf(ref))).toEqual(answers[0]);
    });

    it('erases every key of a user, in every scope and period, and nobody else’s', async () => {
      const anns = [
        candidate({ scope: 'r1', user_id: 'ann', period: 1 }),
        candidate({ scope: 'r2', user_id: 'ann', period: 2 }),
        candidate({ scope: 'files', user_id: 'ann', period: 2 }),
      ];
      const bobs = candidate({ scope: 'r1', user_id: 'bob', period: 1 });
      for (const key of [...anns, bobs]) await store.getOrCreate(key);
      expect(await store.destroyByUser('ann')).toBe(3);
      for (const key of anns)
        expect(await store.get(key.key_id)).toEqual({ status: 'gone', reason: 'erased' });
      expect(await store.get(bobs.key_id)).toEqual({ status: 'live', key: bobs });
      // Again: nothing more to destroy, the tombstones stay.
      expect(await store.destroyByUser('ann')).toBe(0);
      await restart();
      expect(await store.get(anns[0]!.key_id)).toEqual({ status: 'gone', reason: 'erased' });
    });

    it('expires the keys of one scope before a period, and no others', async () => {
      const old = [
        candidate({ scope: 'r1', user_id: 'ann', period: 1 }),
        candidate({ scope: 'r1', user_id: 'bob', period: 4 }),
      ];
      const kept = [
        candidate({ scope: 'r1', user_id: 'ann', period: 5 }),
        candidate({ scope: 'r2', user_id: 'ann', period: 1 }),
      ];
      for (const key of [...old, ...kept]) await store.getOrCreate(key);
      expect(await store.destroyScopeBefore('r1', 5)).toBe(2);
      for (const key of old)
        expect(await store.get(key.key_id)).toEqual({ status: 'gone', reason: 'expired' });
      for (const key of kept) expect((await store.get(key.key_id)).status).toBe('live');
    });

    it('keeps the first reason a key went, and never creates a destroyed key again', async () => {
      const key = candidate({ scope: 'r1', user_id: 'ann', period: 1 });
      await store.getOrCreate(key);
      await store.destroyScopeBefore('r1', 2);
      expect(await store.destroyByUser('ann')).toBe(0);
      expect(await store.getOrCreate(candidate({ scope: 'r1', user_id: 'ann', period: 1 }))).toEqual({
        status: 'gone',
        reason: 'expired',
      });
      expect(await store.get(key.key_id)).toEqual({ status: 'gone', reason: 'expired' });
    });

    it('records the first KEK checked, and names both on a mismatch', async () => {
      expect(await store.checkKek('kek-a')).toEqual({ ok: true });
      await restart();
      expect(await store.checkKek('kek-a')).toEqual({ ok: true });
      expect(await store.checkKek('kek-b')).toEqual({
        ok: false,
        code: 'wrong_encryption_key',
        stored_kek_id: 'kek-a',
        given_kek_id: 'kek-b',
      });
      await store.recordKek('kek-b');
      expect(await store.checkKek('kek-b')).toEqual({ ok: true });
    });

    it('lists the live keys under a KEK in pages, and re-wraps each only from that KEK', async () => {
      const keys = Array.from({ length: 5 }, (_, i) =>
        candidate({ scope: 'r1', user_id: `u${i}`, period: 1 }),
      );
      for (const key of keys) await store.getOrCreate(key);
      await store.getOrCreate(candidate({ scope: 'r1', user_id: 'other', period: 1 }, 'w', 'kek-b'));
      await store.destroyByUser('u4');
      const ids = keys
        .slice(0, 4)
        .map((key) => key.key_id)
        .sort();
      const firstPage = await store.listWrappedUnder('kek-a', 3);
      expect(firstPage.map((key) => key.key_id)).toEqual(ids.slice(0, 3));
      const secondPage = await store.listWrappedUnder('kek-a', 3, firstPage[2]!.key_id);
      expect(secondPage.map((key) => key.key_id)).toEqual(ids.slice(3));
      expect(firstPage[0]).toEqual(keys.find((key) => key.key_id === ids[0]));

      expect(await store.rewrap(ids[0]!, 'kek-a', { kek_id: 'kek-c', wrapped: 'new' })).toBe(true);
      expect(await store.rewrap(ids[0]!, 'kek-a', { kek_id: 'kek-c', wrapped: 'newer' })).toBe(false);
      expect(await store.rewrap(keys[4]!.key_id, 'kek-a', { kek_id: 'kek-c', wrapped: 'x' })).toBe(false);
      expect(await store.get(ids[0]!)).toMatchObject({
        status: 'live',
        key: { kek_id: 'kek-c', wrapped: 'new' },
      });
      expect(await store.get(keys[4]!.key_id)).toEqual({ status: 'gone', reason: 'erased' });
      expect((await store.listWrappedUnder('kek-a', 10)).map((key) => key.key_id)).toEqual(ids.slice(1));
    });
  });
};

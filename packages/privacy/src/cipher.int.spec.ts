import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentCipher, type CipherOptions } from './cipher';
import { isSealed } from './envelope';
import { KeyGoneError } from './errors';
import { kekOf } from './kek';
import { keyIdOf } from './key-id';
import { rotateKeys } from './rotate';
import type { KeyStore } from './store/port';
import { SqliteKeyStore } from './store/sqlite-key-store';

const DAY = 86_400_000;
const options: CipherOptions = { keyPeriodMs: DAY, cacheSize: 100, cacheTtlMs: 60_000 };
const at = '2026-12-05T10:00:00.000Z';
const ann = { scope: 'room-1', user_id: 'ann', at };

/** Counts the store's reads and creations, to show what the cache saves. */
const counting = (store: KeyStore) => {
  const calls = { get: 0, getOrCreate: 0 };
  const counted: KeyStore = Object.assign(Object.create(store) as KeyStore, {
    get: (id: string) => (calls.get++, store.get(id)),
    getOrCreate: (key: Parameters<KeyStore['getOrCreate']>[0]) => (
      calls.getOrCreate++,
      store.getOrCreate(key)
    ),
  });
  return { counted, calls };
};

describe('content cipher', () => {
  let store: SqliteKeyStore;
  const kek = kekOf(randomBytes(32));
  beforeEach(() => {
    store = SqliteKeyStore.open(':memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  it('opens what it sealed, in this process and in another one on the same store', async () => {
    const cipher = await ContentCipher.start(store, kek, options);
    const sealed = await cipher.seal('hello canary', ann, 'room-1/m1');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('canary');
    expect(await cipher.open(sealed, 'room-1/m1')).toEqual({ ok: true, text: 'hello canary' });
    const other = await ContentCipher.start(store, kek, options);
    expect(await other.open(sealed, 'room-1/m1')).toEqual({ ok: true, text: 'hello canary' });
  });

  it('uses one key per room, user and day', async () => {
    const cipher = await ContentCipher.start(store, kek, options);
    const keyOf = async (context: typeof ann) => (await cipher.seal('x', context, 'a')).split(':')[2];
    const base = await keyOf(ann);
    expect(base).toBe(keyIdOf({ scope: 'room-1', user_id: 'ann', period: Math.floor(Date.parse(at) / DAY) }));
    expect(await keyOf({ ...ann, at: '2026-12-05T23:59:59.999Z' })).toBe(base);
    expect(await keyOf({ ...ann, at: '2026-12-06T00:00:00.000Z' })).not.toBe(base);
    expect(await keyOf({ ...ann, scope: 'room-2' })).not.toBe(base);
    expect(await keyOf({ ...ann, user_id: 'bob' })).not.toBe(base);
  });

  it('refuses a tampered value and other associated data, as values', async () => {
    const cipher = await ContentCipher.start(store, kek, options);
    const sealed = await cipher.seal('secret', ann, 'room-1/m1');
    expect(await cipher.open(sealed, 'room-1/m2')).toMatchObject({ ok: false, refused: 'tampered' });
    const body = sealed.split(':')[4]!;
    const tampered = sealed.replace(body, `${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`);
    expect(await cipher.open(tampered, 'room-1/m1')).toMatchObject({ ok: false, refused: 'tampered' });
    expect(await cipher.open('sealed:v1:garbage', 'room-1/m1')).toMatchObject({
      ok: false,
      refused: 'tampered',
    });
  });

  it('reads values that were never sealed as they are', async () => {
    const cipher = await ContentCipher.start(store, kek, options);
    expect(await cipher.open('written before encryption', 'any')).toEqual({
      ok: true,
      text: 'written before encryption',
    });
  });

  it('answers a destroyed key as gone, with the reason, and refuses to seal under it', async () => {
    const cipher = await ContentCipher.start(store, kek, options);
    const anns = await cipher.seal('by ann', ann, 'a');
    const old = await cipher.seal('old', { ...ann, user_id: 'bob', at: '2026-01-01T00:00:00Z' }, 'b');
    await store.destroyByUser('ann');
    await store.destroyScopeBefore('room-1', Math.floor(Date.parse('2026-06-01') / DAY));
    cipher.forget({ user_id: 'ann' });
    cipher.forget({ scope: 'room-1', before: Math.floor(Date.parse('2026-06-01') / DAY) });
    expect(await cipher.open(anns, 'a')).toEqual({ ok: false, gone: 'erased' });
    expect(await cipher.open(old, 'b')).toEqual({ ok: false, gone: 'expired' });
    await expect(cipher.seal('more', ann, 'c')).rejects.toBeInstanceOf(KeyGoneError);
    // Another process that never cached the key finds it gone too.
    const other = await ContentCipher.start(store, kek, options);
    expect(await other.open(anns, 'a')).toEqual({ ok: false, gone: 'erased' });
  });

  it('asks the store once per key, however many values and concurrent callers', async () => {
    const { counted, calls } = counting(store);
    const cipher = await ContentCipher.start(counted, kek, options);
    const sealed = await Promise.all(
      Array.from({ length: 50 }, (_, i) => cipher.seal(`m${i}`, ann, `a${i}`)),
    );
    expect(calls.getOrCreate).toBe(1);
    const reader = await ContentCipher.start(counted, kek, options);
    const opened = await Promise.all(sealed.map((value, i) => reader.open(value, `a${i}`)));
    expect(opened.every((result) => result.ok)).toBe(true);
    expect(calls.get).toBe(1);
  });

  it('keeps at most cacheSize keys, and asks again after cacheTtlMs', async () => {
    const { counted, calls } = counting(store);
    const cipher = await ContentCipher.start(counted, kek, { ...options, cacheSize: 2 });
    const rooms = ['r1', 'r2', 'r3'];
    const sealed = await Promise.all(rooms.map((scope) => cipher.seal('x', { ...ann, scope }, 'a')));
    await cipher.open(sealed[2]!, 'a');
    expect(calls.get).toBe(0);
    await cipher.open(sealed[0]!, 'a');
    expect(calls.get).toBe(1);
    const shortLived = await ContentCipher.start(counted, kek, { ...options, cacheTtlMs: 0 });
    await shortLived.open(sealed[0]!, 'a');
    await shortLived.open(sealed[0]!, 'a');
    expect(calls.get).toBe(3);
  });

  it('keeps using a key it had while the store cannot answer, and refuses it once the store says it is gone', async () => {
    const answer = { mode: 'up' as 'up' | 'down' | 'silent' };
    const flaky: KeyStore = Object.assign(Object.create(store) as KeyStore, {
      get: (id: string) =>
        answer.mode === 'up'
          ? store.get(id)
          : answer.mode === 'down'
            ? Promise.reject(new Error('key store unreachable'))
            : new Promise<never>(() => {}),
    });
    const writer = await ContentCipher.start(store, kek, options);
    const sealed = await writer.seal('hello', ann, 'a');
    const bobs = await writer.seal('hi', { ...ann, user_id: 'bob' }, 'b');
    const fresh = await ContentCipher.start(flaky, kek, { ...options, cacheTtlMs: 0 });
    answer.mode = 'down';
    await expect(fresh.open(sealed, 'a')).rejects.toThrow('key store unreachable');

    const reader = await ContentCipher.start(flaky, kek, { ...options, cacheTtlMs: 0 });
    answer.mode = 'up';
    expect(await reader.open(sealed, 'a')).toEqual({ ok: true, text: 'hello' });
    expect(await reader.open(bobs, 'b')).toEqual({ ok: true, text: 'hi' });
    answer.mode = 'down';
    expect(await reader.open(sealed, 'a')).toEqual({ ok: true, text: 'hello' });
    // Back: asked again, and answering; then silent: the first lookup gives it a second.
    answer.mode = 'up';
    expect(await reader.open(sealed, 'a')).toEqual({ ok: true, text: 'hello' });
    answer.mode = 'silent';
    const started = performance.now();
    expect(await reader.open(sealed, 'a')).toEqual({ ok: true, text: 'hello' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    // The store still has not answered: nobody else waits for it, for this key or another.
    const next = performance.now();
    expect(await reader.open(sealed, 'a')).toEqual({ ok: true, text: 'hello' });
    expect(await reader.open(bobs, 'b')).toEqual({ ok: true, text: 'hi' });
    expect(performance.now() - next).toBeLessThan(500);

    const other = await ContentCipher.start(flaky, kek, { ...options, cacheTtlMs: 0 });
    answer.mode = 'up';
    expect(await other.open(sealed, 'a')).toEqual({ ok: true, text: 'hello' });
    await writer.destroyUserKeys('ann');
    expect(await other.open(sealed, 'a')).toEqual({ ok: false, gone: 'erased' });
  });

  it('refuses to start with another KEK than the store’s, naming the problem', async () => {
    await ContentCipher.start(store, kek, options);
    await expect(ContentCipher.start(store, kekOf(randomBytes(32)), options)).rejects.toThrow(
      /ENCRYPTION_KEY is not the key this key store's data keys are wrapped under/,
    );
  });

  it('keeps everything readable after a rotation to a new KEK, and refuses the old KEK then', async () => {
    const cipher = await ContentCipher.start(store, kek, options);
    const sealed = await Promise.all(
      ['r1', 'r2', 'r3'].map((scope) => cipher.seal(`in ${scope}`, { ...ann, scope }, scope)),
    );
    const next = kekOf(randomBytes(32));
    expect(await rotateKeys(store, kek, next)).toEqual({ rewrapped: 3 });
    // Interrupted or repeated: nothing left to do, same outcome.
    expect(await rotateKeys(store, kek, next)).toEqual({ rewrapped: 0 });
    const after = await ContentCipher.start(store, next, options);
    expect(await Promise.all(sealed.map((value, i) => after.open(value, ['r1', 'r2', 'r3'][i]!)))).toEqual(
      ['r1', 'r2', 'r3'].map((scope) => ({ ok: true, text: `in ${scope}` })),
    );
    await expect(ContentCipher.start(store, kek, options)).rejects.toThrow(/wrong|not the key/);
    // An old key that is not the store's is refused before anything changes.
    await expect(rotateKeys(store, kekOf(randomBytes(32)), kekOf(randomBytes(32)))).rejects.toThrow(
      /OLD_ENCRYPTION_KEY .* is not the key this key store is wrapped under/,
    );
  });

  it('gives each file a key of its own, owned by its uploader: erasing the uploader destroys it', async () => {
    const cipher = await ContentCipher.start(store, kek, options);
    expect(await cipher.fileKeyToRead('f1', 'ann')).toBeNull();
    const { key } = await cipher.fileKey('f1', 'ann');
    expect((await cipher.fileKey('f1', 'ann')).key.equals(key)).toBe(true);
    expect((await cipher.fileKey('f2', 'ann')).key.equals(key)).toBe(false);
    const reader = await ContentCipher.start(store, kek, options);
    expect(await reader.fileKeyToRead('f1', 'ann')).toEqual({ ok: true, key });
    await store.destroyByUser('ann');
    const afterErasure = await ContentCipher.start(store, kek, options);
    expect(await afterErasure.fileKeyToRead('f1', 'ann')).toEqual({ ok: false, gone: 'erased' });
  });

  it('destroys keys for erasure and retention, and stops opening them in this process at once', async () => {
    const cipher = await ContentCipher.start(store, kek, options);
    const anns = await cipher.seal('by ann', ann, 'a');
    const bobs = await cipher.seal('by bob', { ...ann, user_id: 'bob' }, 'b');
    const older = await cipher.seal('older', { ...ann, user_id: 'bob', at: '2026-11-01T00:00:00Z' }, 'c');
    expect(await cipher.open(anns, 'a')).toMatchObject({ ok: true });
    expect(await cipher.destroyUserKeys('ann')).toBe(1);
    expect(await cipher.open(anns, 'a')).toEqual({ ok: false, gone: 'erased' });
    const day = Math.floor(Date.parse(at) / DAY);
    expect(await cipher.destroyScopeKeysBefore('room-1', day)).toBe(1);
    expect(await cipher.open(older, 'c')).toEqual({ ok: false, gone: 'expired' });
    expect(await cipher.open(bobs, 'b')).toEqual({ ok: true, text: 'by bob' });
  });
});

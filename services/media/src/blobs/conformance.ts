import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from './port';

export interface OpenedBlobStore {
  store: BlobStore;
  /** What relative URLs of the store are resolved against (its service's origin). */
  origin?: string;
  dispose: () => Promise<void>;
}

/**
 * The one suite every BlobStore adapter passes, through the signed URLs as a client uses them.
 * Keys are unique per test, so it can run against a shared bucket.
 */
export const blobStoreConformance = (name: string, open: () => Promise<OpenedBlobStore>) => {
  const inAMinute = () => new Date(Date.now() + 60_000);
  const withStore =
    (test: (opened: OpenedBlobStore & { key: (name: string) => string }) => Promise<void>) => async () => {
      const opened = await open();
      const run = crypto.randomUUID();
      const keys: string[] = [];
      const key = (name: string) => {
        keys.push(`conformance/${run}/${name}`);
        return keys.at(-1)!;
      };
      try {
        await test({ ...opened, key });
      } finally {
        for (const each of keys) await opened.store.delete(each);
        await opened.dispose();
      }
    };
  const described = (inspected: { size: number; head: Uint8Array } | null) =>
    inspected && { size: inspected.size, head: Buffer.from(inspected.head).toString() };
  const request = (opened: OpenedBlobStore, url: string, init?: RequestInit) =>
    fetch(new URL(url, opened.origin), init);
  const put = async (opened: OpenedBlobStore, key: string, bytes: Buffer, expiresAt = inAMinute()) =>
    request(opened, await opened.store.uploadUrl(key, { size: bytes.length, expiresAt }), {
      method: 'PUT',
      body: bytes,
    });

  async function* streamOf(bytes: Buffer): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
  }
  const readAll = async (store: BlobStore, key: string): Promise<Buffer | null> => {
    const body = await store.read(key);
    if (!body) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  };

  describe(`BlobStore conformance: ${name}`, () => {
    it(
      'stores what is PUT to an upload URL, to be read back',
      withStore(async (opened) => {
        const bytes = Buffer.from('%PDF-1.7 the whole report');
        const key = opened.key('report');
        expect((await put(opened, key, bytes)).ok).toBe(true);
        expect(await readAll(opened.store, key)).toEqual(bytes);
      }),
    );

    it(
      'writes an object of any size from a stream, replacing what was there; reads null for no object',
      withStore(async (opened) => {
        const key = opened.key('written');
        const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
        await opened.store.write(key, streamOf(Buffer.from('first')), 5);
        await opened.store.write(key, streamOf(big), big.length);
        // Compared as bytes: a deep equality of megabytes takes seconds.
        expect((await readAll(opened.store, key))?.equals(big)).toBe(true);
        expect(await opened.store.read(opened.key('absent'))).toBeNull();
      }),
    );

    it(
      'inspects an object: its size and its first bytes; null for no object',
      withStore(async (opened) => {
        const key = opened.key('inspected');
        await put(opened, key, Buffer.from('0123456789'));
        expect(described(await opened.store.inspect(key, 4))).toEqual({ size: 10, head: '0123' });
        expect(described(await opened.store.inspect(key, 100))).toEqual({ size: 10, head: '0123456789' });
        expect(await opened.store.inspect(opened.key('absent'), 4)).toBeNull();
      }),
    );

    it(
      'refuses a body of another size than the upload URL was made for',
      withStore(async (opened) => {
        const key = opened.key('sized');
        const url = await opened.store.uploadUrl(key, { size: 5, expiresAt: inAMinute() });
        expect((await request(opened, url, { method: 'PUT', body: Buffer.from('123456') })).ok).toBe(false);
        expect(await opened.store.inspect(key, 1)).toBeNull();
      }),
    );

    it(
      'refuses an expired upload URL',
      withStore(async (opened) => {
        const late = opened.key('late');
        const uploadUrl = await opened.store.uploadUrl(late, {
          size: 4,
          expiresAt: new Date(Date.now() + 1_000),
        });
        await sleep(2_100);
        expect((await request(opened, uploadUrl, { method: 'PUT', body: Buffer.from('late') })).status).toBe(
          403,
        );
        expect(await opened.store.inspect(late, 1)).toBeNull();
      }),
    );

    it(
      'refuses a signed URL whose key was changed',
      withStore(async (opened) => {
        const mine = opened.key('mine');
        const theirs = opened.key('theirs');
        await put(opened, theirs, Buffer.from('secret'));
        const url = await opened.store.uploadUrl(mine, { size: 6, expiresAt: inAMinute() });
        const forged = await request(opened, url.replace('/mine?', '/theirs?'), {
          method: 'PUT',
          body: Buffer.from('forged'),
        });
        expect(forged.status).toBe(403);
        expect(await readAll(opened.store, theirs)).toEqual(Buffer.from('secret'));
      }),
    );

    it(
      'moves an object, and tells when there was nothing to move',
      withStore(async (opened) => {
        const [from, to] = [opened.key('staged'), opened.key('final/file')];
        await put(opened, from, Buffer.from('moving'));
        expect(await opened.store.move(from, to)).toBe(true);
        expect(await opened.store.inspect(from, 1)).toBeNull();
        expect(described(await opened.store.inspect(to, 6))).toEqual({ size: 6, head: 'moving' });
        expect(await opened.store.move(from, to)).toBe(false);
      }),
    );

    it(
      'deletes an object; deleting one that is not there is fine',
      withStore(async (opened) => {
        const key = opened.key('doomed');
        await put(opened, key, Buffer.from('bye'));
        await opened.store.delete(key);
        expect(await opened.store.inspect(key, 1)).toBeNull();
        await opened.store.delete(key);
      }),
    );
  });
};

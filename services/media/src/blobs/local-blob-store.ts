import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { dirname, join } from 'node:path';
import { reject, type Rejection, type Result } from '@chat/contracts';
import { assertKey, type BlobStore } from './port';
import { UrlSigner } from './url-signer';

/** Where the media service serves the signed URLs of this store (see `local-blob-routes.ts`). */
export const LOCAL_BLOB_ROUTE = '/api/media/blobs/';

class UploadTooLong extends Error {}

const sizeMismatch = (size: number): Result<never, Rejection> => ({
  ok: false,
  error: reject('file_size_mismatch', `This URL takes exactly ${size} bytes.`),
});

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The embedded blob store: objects are files under a directory, and the upload URLs point at the
 * media service itself, which checks their signature before it writes a file. The URLs are
 * relative to the platform's origin.
 */
export class LocalBlobStore implements BlobStore {
  private constructor(
    private readonly root: string,
    private readonly signer: UrlSigner,
  ) {}

  /** `signer` signs the URLs; one with a random secret (the default) makes them die with the process. */
  static open(root: string, signer = new UrlSigner(randomBytes(32))): LocalBlobStore {
    mkdirSync(root, { recursive: true });
    return new LocalBlobStore(root, signer);
  }

  async uploadUrl(key: string, upload: { size: number; expiresAt: Date }): Promise<string> {
    assertKey(key);
    const query = this.signer.sign('PUT', key, upload.expiresAt, { size: String(upload.size) });
    return `${LOCAL_BLOB_ROUTE}${key}?${query}`;
  }

  async inspect(key: string, headBytes: number): Promise<{ size: number; head: Uint8Array } | null> {
    const file = await this.openIfThere(key);
    if (!file) return null;
    try {
      const { size } = await file.stat();
      const head = Buffer.alloc(Math.min(headBytes, size));
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      return { size, head: head.subarray(0, bytesRead) };
    } finally {
      await file.close();
    }
  }

  async read(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    return (await this.openIfThere(key))?.createReadStream() ?? null;
  }

  async write(key: string, body: AsyncIterable<Uint8Array>, size: number): Promise<void> {
    const stored = await this.storeUpload(key, size, body);
    if (!stored.ok) throw new Error(`Writing ${key}: ${stored.error.message}`);
  }

  async move(from: string, to: string): Promise<boolean> {
    const target = this.pathOf(to);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(this.pathOf(from), target);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /**
   * Which upload a PUT to a signed URL may deliver, checked before any of its body is read: the
   * size the URL was signed for, or why the URL is refused (a body whose declared length is not
   * that size is refused too).
   */
  checkUpload(key: string, query: URLSearchParams, declaredLength: number | null): Result<number, Rejection> {
    const checked = this.signer.check('PUT', key, query);
    if (!checked.ok) return checked;
    const size = Number(query.get('size'));
    if (declaredLength !== null && declaredLength !== size) return sizeMismatch(size);
    return { ok: true, value: size };
  }

  /**
   * Stores the body of a PUT that `checkUpload` accepted, streamed to disk: written aside and
   * renamed once complete, so a reader never sees half a file; refused (and nothing kept) as soon
   * as it runs past `size`, or when it ends short of it.
   */
  async storeUpload(
    key: string,
    size: number,
    body: AsyncIterable<Uint8Array>,
  ): Promise<Result<void, Rejection>> {
    const path = this.pathOf(key);
    const partial = `${path}.${randomUUID()}.part`;
    await mkdir(dirname(path), { recursive: true });
    let written = 0;
    const counted = async function* () {
      for await (const chunk of body) {
        written += chunk.byteLength;
        if (written > size) throw new UploadTooLong();
        yield chunk;
      }
    };
    try {
      await pipeline(counted(), createWriteStream(partial));
    } catch (error) {
      await rm(partial, { force: true });
      if (error instanceof UploadTooLong) return sizeMismatch(size);
      throw error;
    }
    if (written !== size) {
      await rm(partial, { force: true });
      return sizeMismatch(size);
    }
    await rename(partial, path);
    return { ok: true, value: undefined };
  }

  private async openIfThere(key: string) {
    try {
      return await open(this.pathOf(key), 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  private pathOf(key: string): string {
    assertKey(key);
    return join(this.root, key);
  }
}

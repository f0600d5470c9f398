import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { reject, type Rejection, type Result } from '@chat/contracts';
import { assertKey, type BlobStore } from './port';

/** Where the media service serves the signed URLs of this store (see `local-blob-routes.ts`). */
export const LOCAL_BLOB_ROUTE = '/api/media/blobs/';

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';
const unixSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** A download as the signed URL describes it. */
export interface SignedDownload {
  path: string;
  size: number;
  contentType: string;
  fileName: string;
}

/**
 * The embedded blob store: objects are files under a directory, and the signed URLs point at the
 * media service itself, which checks them (HMAC-SHA256 over method, key and parameters, with an
 * expiry) before it reads or writes a file. The URLs are relative to the platform's origin.
 */
export class LocalBlobStore implements BlobStore {
  private constructor(
    private readonly root: string,
    private readonly secret: Buffer,
  ) {}

  /** `secret` signs the URLs; a random one (the default) makes them die with the process. */
  static open(root: string, secret: Buffer = randomBytes(32)): LocalBlobStore {
    mkdirSync(root, { recursive: true });
    return new LocalBlobStore(root, secret);
  }

  async uploadUrl(key: string, upload: { size: number; expiresAt: Date }): Promise<string> {
    return this.signedUrl('PUT', key, {
      expires: String(unixSeconds(upload.expiresAt)),
      size: String(upload.size),
    });
  }

  async downloadUrl(
    key: string,
    download: { expiresAt: Date; fileName: string; contentType: string },
  ): Promise<string> {
    return this.signedUrl('GET', key, {
      expires: String(unixSeconds(download.expiresAt)),
      name: download.fileName,
      type: download.contentType,
    });
  }

  async inspect(key: string, headBytes: number): Promise<{ size: number; head: Uint8Array } | null> {
    let file;
    try {
      file = await open(this.pathOf(key), 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const { size } = await file.stat();
      const head = Buffer.alloc(Math.min(headBytes, size));
      const { bytesRead } = await file.read(head, 0, head.length, 0);
      return { size, head: head.subarray(0, bytesRead) };
    } finally {
      await file.close();
    }
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

  /** Stores the body of a PUT to a signed upload URL, if the URL is valid and the body its size. */
  async acceptUpload(key: string, query: URLSearchParams, body: Buffer): Promise<Result<void, Rejection>> {
    const checked = this.check('PUT', key, query);
    if (!checked.ok) return checked;
    const size = Number(query.get('size'));
    if (body.length !== size) {
      return { ok: false, error: reject('file_size_mismatch', `This URL takes exactly ${size} bytes.`) };
    }
    // Written aside, then renamed: a reader never sees half a file.
    const path = this.pathOf(key);
    const partial = `${path}.${randomUUID()}.part`;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(partial, body);
    await rename(partial, path);
    return { ok: true, value: undefined };
  }

  /** The file a GET of a signed download URL serves, if the URL is valid and the file exists. */
  async openDownload(key: string, query: URLSearchParams): Promise<Result<SignedDownload, Rejection>> {
    const checked = this.check('GET', key, query);
    if (!checked.ok) return checked;
    const path = this.pathOf(key);
    try {
      const { size } = await stat(path);
      return {
        ok: true,
        value: { path, size, contentType: query.get('type')!, fileName: query.get('name')! },
      };
    } catch (error) {
      if (isMissing(error)) return { ok: false, error: reject('file_not_found', 'No such file.') };
      throw error;
    }
  }

  private signedUrl(method: string, key: string, params: Record<string, string>): string {
    assertKey(key);
    const query = new URLSearchParams(params);
    query.set('signature', this.signature(method, key, query));
    return `${LOCAL_BLOB_ROUTE}${key}?${query}`;
  }

  /** Over every parameter but the signature, sorted: parameters cannot be changed, added or dropped. */
  private signature(method: string, key: string, query: URLSearchParams): string {
    const signed = [...query].filter(([name]) => name !== 'signature').sort(([a], [b]) => (a < b ? -1 : 1));
    return createHmac('sha256', this.secret)
      .update(JSON.stringify([method, key, signed]))
      .digest('base64url');
  }

  private check(method: string, key: string, query: URLSearchParams): Result<void, Rejection> {
    const given = Buffer.from(query.get('signature') ?? '');
    const expected = Buffer.from(this.signature(method, key, query));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, error: reject('forbidden', 'The URL is not valid.') };
    }
    if (Number(query.get('expires')) < unixSeconds(new Date())) {
      return { ok: false, error: reject('forbidden', 'The URL has expired.') };
    }
    return { ok: true, value: undefined };
  }

  private pathOf(key: string): string {
    assertKey(key);
    return join(this.root, key);
  }
}

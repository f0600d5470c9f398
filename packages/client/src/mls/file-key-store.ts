/// <reference types="node" />
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MlsKeyStore } from './key-store';

const SUFFIX = '.key';

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * An encrypted-room client's key material in a directory, for Node (`@chat/client/mls/file-store`):
 * one file per key, named by the key (base64url), readable by its owner only. A value is written
 * aside and renamed into place, so a crash leaves the old state or the new one, never half of
 * either; rooms stay readable across restarts of the process.
 */
export class FileKeyStore implements MlsKeyStore {
  private constructor(private readonly directory: string) {}

  static async open(directory: string): Promise<FileKeyStore> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return new FileKeyStore(directory);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    const aside = `${path}.${randomUUID()}.part`;
    await writeFile(aside, value, { mode: 0o600 });
    await rename(aside, path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async keys(prefix: string): Promise<string[]> {
    return (await readdir(this.directory))
      .filter((name) => name.endsWith(SUFFIX))
      .map((name) => Buffer.from(name.slice(0, -SUFFIX.length), 'base64url').toString())
      .filter((key) => key.startsWith(prefix));
  }

  private pathOf(key: string): string {
    return join(this.directory, `${Buffer.from(key).toString('base64url')}${SUFFIX}`);
  }
}

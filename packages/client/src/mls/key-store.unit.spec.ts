import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from './file-key-store';
import { MemoryKeyStore, type MlsKeyStore } from './key-store';

const directories: string[] = [];
const freshDirectory = () => {
  directories.push(mkdtempSync(join(tmpdir(), 'mls-keys-')));
  return directories.at(-1)!;
};
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

const bytes = (...values: number[]) => new Uint8Array(values);

describe.each([
  ['memory', async (): Promise<MlsKeyStore> => new MemoryKeyStore()],
  ['a directory', async (): Promise<MlsKeyStore> => FileKeyStore.open(freshDirectory())],
])('an MLS key store in %s', (_name, open) => {
  it('gives back what was set, replaces it, and forgets what was deleted', async () => {
    const store = await open();
    expect(await store.get('group/r1')).toBeUndefined();
    await store.set('group/r1', bytes(1, 2, 3));
    await store.set('group/r1', bytes(4));
    expect(await store.get('group/r1')).toEqual(bytes(4));
    await store.delete('group/r1');
    await store.delete('group/r1');
    expect(await store.get('group/r1')).toBeUndefined();
  });

  it('lists the keys under a prefix, whatever characters they hold', async () => {
    const store = await open();
    for (const key of ['kp/dev 1/a', 'kp/dev 1/b', 'group/r/é', 'kp/other']) await store.set(key, bytes(0));
    expect((await store.keys('kp/dev 1/')).sort()).toEqual(['kp/dev 1/a', 'kp/dev 1/b']);
    expect(await store.keys('group/')).toEqual(['group/r/é']);
  });
});

describe('the file key store', () => {
  it('keeps its keys across a reopening, in files only its owner can read, with nothing left aside', async () => {
    const directory = freshDirectory();
    await (await FileKeyStore.open(directory)).set('group/r1', bytes(9, 9));
    const reopened = await FileKeyStore.open(directory);
    expect(await reopened.get('group/r1')).toEqual(bytes(9, 9));
    const files = readdirSync(directory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.key$/);
    expect(statSync(join(directory, files[0]!)).mode & 0o077).toBe(0);
  });
});

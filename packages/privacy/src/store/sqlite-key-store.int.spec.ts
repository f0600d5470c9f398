import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKeyStore } from './conformance';
import { SqliteKeyStore } from './sqlite-key-store';

describeKeyStore('SQLite', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'key-store-'));
  return {
    open: async () => SqliteKeyStore.open(join(directory, 'keys.db')),
    dispose: async () => rmSync(directory, { recursive: true, force: true }),
  };
});

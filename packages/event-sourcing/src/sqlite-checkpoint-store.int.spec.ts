import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCheckpointStore } from './checkpoint-store.conformance';
import { SqliteCheckpointStore } from './sqlite-checkpoint-store';

describeCheckpointStore('SQLite', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'checkpoints-'));
  return {
    open: async () => SqliteCheckpointStore.open(join(directory, 'checkpoints.db')),
    dispose: async () => rmSync(directory, { recursive: true, force: true }),
  };
});
